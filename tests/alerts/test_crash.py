"""kill -9 of the webhook sender: a child `dailypapers alerts deliver` is killed (SIGKILL) at
each point of a delivery, then the same command runs again; the local receiver must have
accepted every (hook, paper) exactly once. Also: two senders at once never double-send."""

from __future__ import annotations

import signal
import subprocess
import sys
import uuid

import pytest

from tests.alerts.receiver import Receiver
from tests.crash.scratch import ROOT, drop_scratch, make_scratch

PAPERS = 6


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    site = make_scratch(tmp_path_factory.mktemp("alerts-crash"))
    site.env["DAILYPAPERS_WEBHOOK_ALLOW_PRIVATE_HOSTS"] = "1"
    yield site
    drop_scratch(site)


def _seed(scratch, url: str) -> str:
    tag = f"t{uuid.uuid4().hex[:8]}"
    subprocess.run(
        [sys.executable, "-m", "tests.alerts.crash_child", "seed", tag, url, str(PAPERS)],
        env=scratch.env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    return tag


def _deliver(scratch, failpoint: str = "") -> subprocess.CompletedProcess:
    return scratch.run("alerts", "deliver", check=False, env={"DAILYPAPERS_WEBHOOK_FAILPOINT": failpoint}, timeout=120)


@pytest.mark.parametrize(
    "failpoint", ["before_handoff:1", "before_handoff:4", "after_accept:2", "after_sent:3", "after_accept:6"]
)
def test_a_killed_sender_resumes_and_each_paper_is_delivered_once(scratch, failpoint):
    with Receiver() as receiver:
        _seed(scratch, receiver.url)
        killed = _deliver(scratch, failpoint)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        stopped_at = int(failpoint.split(":")[1]) - (failpoint.startswith("before") and 1)
        assert len(receiver.accepted()) == stopped_at  # what went out before the kill
        resumed = _deliver(scratch)
        assert resumed.returncode == 0, resumed.stderr
        counts = receiver.per_delivery()
        assert len(counts) == PAPERS and set(counts.values()) == {1}, counts
    rows = scratch.query(
        "SELECT d.state, d.uncertain FROM alerts_webhookdelivery d JOIN alerts_webhook h ON h.id = d.webhook_id "
        "WHERE h.url = %s",
        [receiver.url],
    )
    assert [state for state, _ in rows] == ["sent"] * PAPERS
    # Killed between the receiver's answer and recording it: the row is recovered as sent, uncertain.
    assert sum(bool(uncertain) for _, uncertain in rows) == (1 if failpoint.startswith("after_accept") else 0)


def test_two_senders_at_once_never_send_twice(scratch):
    with Receiver() as receiver:
        _seed(scratch, receiver.url)
        first, second = (scratch.start("alerts", "deliver", "--wait", "60") for _ in range(2))
        assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
        counts = receiver.per_delivery()
        assert len(counts) == PAPERS and set(counts.values()) == {1}, counts
