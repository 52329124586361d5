"""A webhook receiver on loopback for tests and bench/freshness.py: records every complete
request (path, headers, body, arrival time), answers 500 to the first `fail_first` requests
(or to all while `always_fail`), 204 otherwise. A request whose body is shorter than its
Content-Length (a sender that died mid-request) is not a delivery, as for any HTTP server."""

from __future__ import annotations

import collections
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self):
        self.requests: list[dict] = []
        self.fail_first = 0
        self.always_fail = False
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                if len(body) < length:  # the sender died mid-body: nothing to act on
                    self.close_connection = True
                    return
                with receiver.lock:
                    failing = receiver.always_fail or receiver.fail_first > 0
                    receiver.fail_first = max(receiver.fail_first - 1, 0)
                    receiver.requests.append(
                        {
                            "path": self.path,
                            "headers": dict(self.headers),
                            "body": body,
                            "at": time.time(),
                            "failed": failing,
                        }
                    )
                self.send_response(500 if failing else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def accepted(self) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if not r["failed"]]

    def per_delivery(self) -> collections.Counter:
        return collections.Counter(r["headers"]["X-Dailypapers-Delivery"] for r in self.accepted())

    def bodies(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.accepted()]
