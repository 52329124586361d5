"""Load test: many concurrent readers over a realistic mix of pages, against `dailypapers
serve` (gunicorn) and, in the same run, Django's development server, on SQLite and on
PostgreSQL, with the shared 74,728-paper corpus loaded by `dailypapers ingest file`.

    .venv/bin/python bench/load.py                       # 200 readers, 60 s, both databases, both servers
    .venv/bin/python bench/load.py --duration 20 --concurrency 100 --databases sqlite --servers serve

Needs wrk (Debian: `apt-get install wrk`); only this script does, not the site or its tests.
Each endpoint class gets its share of the readers as one wrk process of its own (all running
at once), so each reports its own requests/s and p50/p95/p99; bench/load.lua picks a random
URL per request from a list sampled from the database. Loopback only. The SQLite site is kept
in --sqlite-home between runs (loaded once); PostgreSQL is a throw-away cluster
(tests/pgcluster.py) loaded on every run unless --postgres-url names a loaded database.
API rate limits are switched off for the run: every reader comes from 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared/data/arxiv/papers-2025-03-to-2026-07.jsonl.gz"
LUA = Path(__file__).with_name("load.lua")
# Share of the readers per endpoint class: mostly browsing days and papers, as on HF's site.
MIX = {"home": 0.12, "day": 0.20, "paper": 0.25, "search": 0.08, "trending": 0.10, "api": 0.15, "feeds": 0.10}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load per server (default 60)")
    parser.add_argument(
        "--concurrency", type=int, default=200, help="concurrent readers (connections), split by MIX (default 200)"
    )
    parser.add_argument(
        "--workers", type=int, default=max(2, os.cpu_count() or 1), help="gunicorn workers (default: cores, at least 2)"
    )
    parser.add_argument("--databases", default="sqlite,postgres", help="comma list of sqlite, postgres")
    parser.add_argument("--servers", default="serve,dev", help="comma list of serve (gunicorn), dev (runserver)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--sqlite-home", type=Path, default=Path(tempfile.gettempdir()) / "dailypapers-load-sqlite")
    parser.add_argument(
        "--postgres-url", default="", help="an already loaded PostgreSQL database (default: a throw-away cluster)"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    return parser.parse_args()


def site_env(home: Path, database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="dailypapers.settings",
        DAILYPAPERS_HOME=str(home),
        DATABASE_URL=database_url,
        SECRET_KEY="load-bench-secret-key-0123456789-abcdefghijklmnop",
        PYTHONPATH=str(ROOT),
        DAILYPAPERS_API_RATE_ANONYMOUS="",
        DAILYPAPERS_API_RATE_MEMBER="",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # 200 readers from one address: the per-client search/feed limit would refuse them as
        # one client, and load shedding (503) would cut the throughput this bench measures.
        DAILYPAPERS_SEARCH_RATE="",
        DAILYPAPERS_SEARCH_CONCURRENCY="64",
    )
    return env


def dailypapers(env, *args, **kw):
    return subprocess.run([sys.executable, "-m", "dailypapers.cli", *args], env=env, cwd=ROOT, check=True, **kw)


def query(env, sql: str) -> list[tuple]:
    if env["DATABASE_URL"]:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            return conn.execute(sql).fetchall()
    with contextlib.closing(sqlite3.connect(Path(env["DAILYPAPERS_HOME"]) / "dailypapers.sqlite3")) as conn:
        return conn.execute(sql).fetchall()


def load_corpus(env, corpus: Path) -> None:
    dailypapers(env, "migrate", "--verbosity", "0")
    have = query(env, "SELECT COUNT(*) FROM catalog_paper")[0][0]
    if have >= 70_000:
        print(f"  {have:,} papers already loaded", flush=True)
        return
    started = time.perf_counter()
    dailypapers(env, "ingest", "--no-progress", "file", str(corpus), stdout=subprocess.DEVNULL)
    count = query(env, "SELECT COUNT(*) FROM catalog_paper")[0][0]
    print(
        f"  loaded {count:,} papers with `dailypapers ingest file` in {time.perf_counter() - started:.0f} s", flush=True
    )


def url_lists(env, folder: Path) -> dict[str, Path]:
    """A URL file per endpoint class, sampled from the loaded catalogue."""
    rng = random.Random(7)
    days = [
        str(row[0])
        for row in query(
            env,
            "SELECT DISTINCT featured_on FROM catalog_paper WHERE featured_on IS NOT NULL ORDER BY 1 DESC LIMIT 120",
        )
    ]
    ids = [
        row[0]
        for row in query(
            env,
            "SELECT arxiv_id FROM catalog_paper WHERE hidden = %s ORDER BY id"
            % ("false" if env["DATABASE_URL"] else "0"),
        )
    ]
    ids = rng.sample(ids, min(3000, len(ids)))
    titles = [row[0] for row in query(env, "SELECT title FROM catalog_paper ORDER BY id DESC LIMIT 2000")]
    words = [w for t in titles for w in t.lower().split() if w.isalpha() and len(w) > 4]
    queries = ["+".join(rng.sample(words, 2)) for _ in range(300)]
    import datetime as dt

    weeks = sorted({"{}-W{:02d}".format(*dt.date.fromisoformat(d).isocalendar()[:2]) for d in days})
    months = sorted({d[:7] for d in days})
    lists = {
        "home": ["/"],
        "day": [f"/papers?date={d}" for d in days]
        + [f"/papers?date={d}&category=cs.LG" for d in days[:30]]
        + [f"/papers?week={w}" for w in weeks]
        + [f"/papers?month={m}" for m in months],
        "paper": [f"/papers/{i}" for i in ids],
        "search": [f"/search?q={q}" for q in queries],
        "trending": ["/papers/trending", "/papers/trending?window=week", "/papers/trending?window=month"],
        "api": [f"/api/daily_papers?date={d}" for d in days[:40]]
        + [f"/api/v1/papers/{i}" for i in ids[:500]]
        + ["/api/v1/trending", "/api/daily_papers"]
        + [f"/api/v1/search?mode=keyword&q={q}" for q in queries[:50]],
        "feeds": [
            "/feeds/daily.rss",
            "/feeds/daily.atom",
            "/feeds/trending.rss",
            "/feeds/category/cs.LG.rss",
            "/feeds/category/cs.CV.atom",
        ],
    }
    files = {}
    for name, urls in lists.items():
        files[name] = folder / f"{name}.txt"
        files[name].write_text("\n".join(urls) + "\n")
    return files


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(env, kind: str, workers: int, log: Path):
    port = free_port()
    # The development server is `dailypapers serve --dev` minus its auto-reloader: files edited
    # in the working tree while the benchmark runs would restart it mid-measurement.
    args = (
        ["runserver", "--noreload", f"127.0.0.1:{port}"]
        if kind == "dev"
        else ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    )
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "dailypapers.cli", *args],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{kind} server did not start; see {log}") from None
                time.sleep(0.3)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def warm_up(base: str, files: dict[str, Path], rounds: int) -> None:
    """Load the search model and fill connection pools in every worker before measuring."""
    for _name, path in files.items():
        urls = path.read_text().split()
        for url in urls[:rounds]:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(base + url, timeout=120).read()


def run_mix(base: str, files: dict[str, Path], *, concurrency: int, duration: int) -> dict[str, dict]:
    procs = {}
    for n, (name, share) in enumerate(MIX.items()):
        connections = max(1, round(concurrency * share))
        procs[name] = subprocess.Popen(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "60s",
                "-s",
                str(LUA),
                base,
                "--",
                str(files[name]),
                str(n),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    results = {}
    for name, proc in procs.items():
        out, _ = proc.communicate()
        line = next((row for row in out.splitlines() if row.startswith("RESULT ")), None)
        if line is None:
            raise SystemExit(f"wrk for {name} printed no result:\n{out}")
        r = json.loads(line[len("RESULT ") :])
        r["connections"] = max(1, round(concurrency * MIX[name]))
        r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
        r["errors"] = r["connect"] + r["read"] + r["write"] + r["timeout"] + r["status"]
        results[name] = r
    return results


def mix_rate(results: dict[str, dict]) -> float:
    """Requests/s at which the whole MIX is served: the slowest class against its share. A
    threaded server that lets cheap requests overtake dear ones scores high on raw requests/s
    while starving the dear pages; this counts only what the intended mix got."""
    return min(r["rps"] / MIX[name] for name, r in results.items())


def print_table(title: str, results: dict[str, dict]) -> float:
    total_rps = sum(r["rps"] for r in results.values())
    total_req = sum(r["requests"] for r in results.values())
    errors = sum(r["errors"] for r in results.values())
    print(
        f"\n{title}: {total_rps:.1f} requests/s ({mix_rate(results):.1f}/s of the whole mix), {total_req:,} "
        f"requests, {errors} errors"
    )
    print(f"  {'endpoint':9} {'readers':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in results.items():
        print(
            f"  {name:9} {r['connections']:>7} {r['rps']:>8.1f} {r['p50'] / 1000:>8.0f} {r['p95'] / 1000:>8.0f} "
            f"{r['p99'] / 1000:>8.0f} {r['errors']:>7}"
        )
    return total_rps


def bench_database(name: str, env, args, results: dict) -> None:
    print(f"\n== {name} ==", flush=True)
    load_corpus(env, args.corpus)
    folder = Path(tempfile.mkdtemp(prefix="dailypapers-load-urls-"))
    files = url_lists(env, folder)
    log = Path(env["DAILYPAPERS_HOME"]) / "load-server.log"
    for kind in args.servers.split(","):
        with running_server(env, kind, args.workers, log) as base:
            warm_up(base, files, rounds=2 * args.workers)
            results[f"{name}/{kind}"] = run_mix(base, files, concurrency=args.concurrency, duration=args.duration)
        print_table(
            f"{name}, "
            + (
                f"dailypapers serve (gunicorn, {args.workers} workers)"
                if kind == "serve"
                else "development server (runserver --noreload)"
            ),
            results[f"{name}/{kind}"],
        )
    if {"serve", "dev"} <= set(args.servers.split(",")):
        serve, dev = results[f"{name}/serve"], results[f"{name}/dev"]
        raw = sum(r["rps"] for r in serve.values()) / max(1e-9, sum(r["rps"] for r in dev.values()))
        whole = mix_rate(serve) / max(1e-9, mix_rate(dev))
        print(
            f"\n{name}: serve / development server = {whole:.1f}x on the whole mix ({raw:.1f}x raw requests/s)",
            flush=True,
        )
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")
    print(
        f"{args.concurrency} readers, {args.duration} s per server, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}",
        flush=True,
    )
    results: dict[str, dict] = {}
    databases = args.databases.split(",")
    if "sqlite" in databases:
        args.sqlite_home.mkdir(parents=True, exist_ok=True)
        bench_database("SQLite", site_env(args.sqlite_home, ""), args, results)
    if "postgres" in databases:
        home = Path(tempfile.mkdtemp(prefix="dailypapers-load-pg-"))
        if args.postgres_url:
            bench_database("PostgreSQL", site_env(home, args.postgres_url), args, results)
        else:
            from tests.pgcluster import postgres_cluster

            with postgres_cluster() as url:
                bench_database("PostgreSQL", site_env(home, url), args, results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
