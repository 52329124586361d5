"""HTTP-level replay of the recorded arXiv API and OAI-PMH exchanges in ../shared/data/fixtures.

Requests made by the real `arxiv` and `sickle` clients go through `requests`, which the
`responses` library intercepts; a request is answered by the recording with the same path
and query parameters (in any order). Recordings of the same request are served in order
(the OAI 503-then-200 pair). An unrecorded request fails the test loudly.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict, deque
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import responses


def _key(url: str) -> tuple[str, str, tuple]:
    parts = urlsplit(url)
    return (parts.hostname or "", parts.path, tuple(sorted(parse_qsl(parts.query, keep_blank_values=True))))


class Replay:
    def __init__(self) -> None:
        self.answers: dict[tuple, deque] = defaultdict(deque)
        self.requested: list[str] = []

    def add(self, url: str, status: int, body: str, headers: dict[str, str] | None = None) -> None:
        self.answers[_key(url)].append((status, headers or {}, body))

    def add_arxiv_api(self, fixture: Path) -> None:
        data = json.loads(fixture.read_text())
        self.add(data["url"], data["status_code"], data["body"], {"Content-Type": "application/atom+xml"})

    def add_oai(self, fixture: Path) -> None:
        for exchange in json.loads(fixture.read_text()):
            raw = exchange["rawHeaders"]
            headers = {raw[i]: raw[i + 1] for i in range(0, len(raw), 2)}
            headers = {k: v for k, v in headers.items() if k.lower() in {"content-type", "retry-after"}}
            scope = exchange["scope"].replace(":80", "")
            self.add(scope + exchange["path"], exchange["status"], exchange["response"], headers)

    def callback(self, request):
        self.requested.append(request.url)
        queue = self.answers.get(_key(request.url))
        if not queue:
            raise AssertionError(f"no recorded response for {request.url}")
        status, headers, body = queue.popleft() if len(queue) > 1 else queue[0]
        return status, headers, body

    def install(self, mock: responses.RequestsMock) -> None:
        mock.add_callback(responses.GET, re.compile(r"https?://.*"), callback=self.callback)
        mock.add_callback(responses.POST, re.compile(r"https?://.*"), callback=self.callback)
        mock.add_callback(responses.HEAD, re.compile(r"https?://.*"), callback=self.callback)
