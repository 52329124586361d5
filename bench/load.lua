-- wrk script for bench/load.py: each request takes a random URL from the file given as the
-- first script argument; done() prints one JSON line with the latency percentiles (µs).
local urls = {}

init = function(args)
  for line in io.lines(args[1]) do
    if #line > 0 then urls[#urls + 1] = line end
  end
  math.randomseed(os.time() + (tonumber(args[2]) or 0))
end

request = function()
  return wrk.format("GET", urls[math.random(#urls)])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nRESULT {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end
