"""One webhook sender at a time: a PostgreSQL advisory lock, or an flock on a file beside the
SQLite database. Both vanish with the process, so a killed sender (kill -9) never blocks the
next. The same scheme as the digest's sender lock (digest/sending.py sender_lock), with its
own key so mail and webhooks do not wait for each other."""

from __future__ import annotations

import contextlib
import fcntl
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ADVISORY_LOCK_KEY = 0x616C_6572_7473  # "alerts"


class SenderBusy(RuntimeError):
    """Another process is delivering webhooks right now."""


def _lock_file() -> Path:
    name = str(settings.DATABASES["default"].get("NAME") or "")
    if name and not name.startswith("file:") and ":memory:" not in name and "mode=memory" not in name:
        return Path(name + ".webhook-sender.lock")
    return Path(settings.HOME) / "webhook-sender.lock"


@contextlib.contextmanager
def sender_lock(*, wait: float = 0.0):
    deadline = time.monotonic() + wait
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
                if cursor.fetchone()[0]:
                    break
                if time.monotonic() >= deadline:
                    raise SenderBusy("another webhook sender holds the lock")
                time.sleep(0.2)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        return
    path = _lock_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SenderBusy("another webhook sender holds the lock") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
