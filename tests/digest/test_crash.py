"""The kill -9 tests: a child `dailypapers digest send` is killed at several points, then the
same command runs again; the loopback SMTP server must have received every message exactly
once. Also: two senders started at the same time never double-send.

Children work on the `scratch` database (see conftest.py).
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.digest.conftest import ROOT, SUBSCRIBERS, sql_rows
from tests.digest.smtp_server import SMTPServer

WEEKDAYS = iter(
    [
        dt.date(2026, 3, 2) + dt.timedelta(days=d)
        for d in range(30)
        if (dt.date(2026, 3, 2) + dt.timedelta(days=d)).weekday() < 5
    ]
)


def _send_command(date: dt.date, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "dailypapers.cli",
        "digest",
        "send",
        "--kind",
        "daily",
        "--date",
        date.isoformat(),
        *extra,
    ]


def _run(env, date, port, *, failpoint: str = "", extra=()) -> subprocess.CompletedProcess:
    child_env = {**env, "EMAIL_PORT": str(port), "DAILYPAPERS_DIGEST_FAILPOINT": failpoint}
    return subprocess.run(
        _send_command(date, *extra), env=child_env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def _outbox(env, date) -> list[dict]:
    sql = (
        "SELECT s.email, o.state, o.uncertain FROM digest_outboxmessage o JOIN digest_subscription s ON s.id = "
        "o.subscription_id "
        "JOIN digest_edition e ON e.id = o.edition_id WHERE e.date = %s ORDER BY o.id"
    )
    rows = sql_rows(env, sql, [date])
    return [{"email": email, "state": state, "uncertain": bool(uncertain)} for email, state, uncertain in rows]


def _everyone_once(handler) -> None:
    counts = {f"reader{i}@example.org": handler.per_recipient[f"reader{i}@example.org"] for i in range(SUBSCRIBERS)}
    assert counts == dict.fromkeys(counts, 1), counts


@pytest.mark.parametrize(
    "failpoint", ["after_build:1", "before_handoff:1", "before_handoff:4", "after_accept:3", "after_sent:2"]
)
def test_killed_sender_resumes_and_delivers_each_message_once(scratch, failpoint):
    date = next(WEEKDAYS)
    with SMTPServer() as server:
        killed = _run(scratch, date, server.port, failpoint=failpoint)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        assert sum(server.handler.per_recipient.values()) < SUBSCRIBERS
        resumed = _run(scratch, date, server.port)
        assert resumed.returncode == 0, resumed.stderr
        _everyone_once(server.handler)
        if failpoint == "after_accept:3":
            assert _run(scratch, date, server.port).returncode == 0  # a third run finds nothing to do
            _everyone_once(server.handler)
    rows = _outbox(scratch, date)
    assert len(rows) == SUBSCRIBERS and {row["state"] for row in rows} == {"sent"}
    # after_accept leaves the row in 'sending': the resumed run counts it as sent, flagged uncertain
    assert sum(row["uncertain"] for row in rows) == (1 if failpoint.startswith("after_accept") else 0)


def test_kill_in_the_documented_sliver_loses_that_message_and_never_doubles(scratch):
    """Between recording 'sending' and writing the final '.', a kill loses the message (the
    residual risk in docs/email.md); the resumed run must still not send anything twice."""
    date = next(WEEKDAYS)
    with SMTPServer() as server:
        killed = _run(scratch, date, server.port, failpoint="before_dot:2")
        assert killed.returncode == -signal.SIGKILL, (killed.returncode, killed.stdout, killed.stderr)
        resumed = _run(scratch, date, server.port)
        assert resumed.returncode == 0, resumed.stderr
        counts = collections.Counter(server.handler.per_recipient.values())
    assert counts == {1: SUBSCRIBERS - 1}
    rows = _outbox(scratch, date)
    assert sum(row["uncertain"] for row in rows) == 1


def test_kill_9_from_outside_at_an_arbitrary_moment(scratch):
    date = next(WEEKDAYS)
    with SMTPServer(delay=0.05) as server:
        child = subprocess.Popen(
            _send_command(date),
            env={**scratch, "EMAIL_PORT": str(server.port)},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while server.handler.attempts < 3 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.005)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert _run(scratch, date, server.port).returncode == 0
        _everyone_once(server.handler)


def test_two_senders_at_once_never_double_send(scratch):
    date = next(WEEKDAYS)
    with SMTPServer(delay=0.1) as server:
        env = {**scratch, "EMAIL_PORT": str(server.port)}
        children = [
            subprocess.Popen(
                _send_command(date, *extra),
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for extra in ((), ("--wait", "0"), ("--wait", "60"))
        ]
        results = [(child.wait(timeout=120), child.stderr.read()) for child in children]
        _everyone_once(server.handler)
    codes = [code for code, _ in results]
    assert set(codes) <= {0, 1} and codes[2] == 0, results  # the one told to wait always gets its turn
    for code, stderr in results:
        if code == 1:
            assert "another digest sender" in stderr
