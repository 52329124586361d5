"""SIGKILL `dailypapers serve` (the gunicorn master and its workers) while readers upvote
through the API, restart it, replay every vote: each vote acknowledged before the kill is
there, no vote is there twice, and every paper's upvote counter equals its vote rows (the
vote and the counter commit in one transaction)."""

from __future__ import annotations

import http.client
import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from tests.crash.scratch import kill_group, write_corpus

MEMBERS = 6
PAPERS = 12

SEED = """
import json
from django.contrib.auth import get_user_model
from dailypapers.api.tokens import create_token
tokens = []
for n in range({members}):
    user = get_user_model().objects.create_user(f"voter{{n}}", f"voter{{n}}@example.org", "pw-unused-0123456789")
    tokens.append(create_token(user=user, name="crash test")[1])
print(json.dumps(tokens))
"""


def _vote(base: str, token: str, arxiv_id: str) -> int:
    request = urllib.request.Request(
        f"{base}/api/v1/upvotes/{arxiv_id}", method="POST", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            json.load(response)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (OSError, http.client.HTTPException):
        return 0  # the server died under this request (maybe mid-answer): no acknowledgement


def _votes(scratch) -> list[tuple[str, str]]:
    return scratch.query(
        "SELECT u.username, p.arxiv_id FROM community_vote v JOIN auth_user u ON u.id = v.user_id "
        "JOIN catalog_paper p ON p.id = v.paper_id"
    )


def _counters_match(scratch) -> None:
    mismatched = scratch.query(
        "SELECT p.arxiv_id, p.upvotes, COUNT(v.id) FROM catalog_paper p LEFT JOIN community_vote v "
        "ON v.paper_id = p.id GROUP BY p.id, p.arxiv_id, p.upvotes HAVING p.upvotes <> COUNT(v.id)"
    )
    assert not mismatched, mismatched


def test_votes_survive_a_killed_server_exactly_once(scratch, tmp_path):
    scratch.run(
        "ingest", "--no-progress", "file", str(write_corpus(tmp_path / "papers.jsonl.gz", PAPERS, prefix="2505"))
    )
    tokens = json.loads(scratch.run("shell", "-c", SEED.format(members=MEMBERS)).stdout.strip().splitlines()[-1])
    usernames = {token: f"voter{n}" for n, token in enumerate(tokens)}
    wanted = [(token, f"2505.{i:05d}") for token in tokens for i in range(PAPERS)]
    rates = {"DAILYPAPERS_API_RATE_MEMBER": "", "DAILYPAPERS_API_RATE_ANONYMOUS": ""}

    acknowledged: list[tuple[str, str]] = []
    lock = threading.Lock()
    with scratch.server(workers=2, env=rates) as (proc, base):
        killed = threading.Event()

        def cast(pair):
            if killed.is_set():
                return
            if _vote(base, *pair) == 200:
                with lock:
                    acknowledged.append(pair)
                    if len(acknowledged) >= len(wanted) // 3 and not killed.is_set():
                        killed.set()
                        kill_group(proc)  # SIGKILL to the whole process group, mid-stream

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(cast, wanted))
        assert killed.is_set() and proc.returncode is not None

    stored = _votes(scratch)
    assert len(stored) == len(set(stored)), "a vote is stored twice"
    assert {(usernames[t], a) for t, a in acknowledged} <= set(stored), "an acknowledged vote was lost"
    assert len(stored) < len(wanted), "the kill should land mid-stream"
    _counters_match(scratch)

    with scratch.server(workers=2, env=rates) as (_, base):  # restart; clients retry everything
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda pair: _vote(base, *pair), wanted))
    assert set(statuses) == {200}
    stored = _votes(scratch)
    assert sorted(stored) == sorted((usernames[t], a) for t, a in wanted)
    _counters_match(scratch)
