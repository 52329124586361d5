"""One process at a time for a named job (the digest sender, the webhook sender): a PostgreSQL
advisory lock, or an flock on a file beside the SQLite database (SQLite means one box). Both
vanish with the process, so a killed holder (kill -9) never blocks the next one."""

from __future__ import annotations

import contextlib
import fcntl
import time
import zlib
from pathlib import Path

from django.conf import settings
from django.db import connection

POLL_SECONDS = 0.2


class LockBusy(RuntimeError):
    """Another process holds the named lock right now."""


def _lock_file(name: str) -> Path:
    """Beside the SQLite database file; an in-memory test database falls back to $DAILYPAPERS_HOME."""
    database = str(settings.DATABASES["default"].get("NAME") or "")
    if database and not database.startswith("file:") and ":memory:" not in database and "mode=memory" not in database:
        return Path(f"{database}.{name.replace(' ', '-')}.lock")
    return Path(settings.HOME) / f"{name.replace(' ', '-')}.lock"


def advisory_key(name: str) -> int:
    """A stable 32-bit key per lock name (pg_advisory_lock takes a bigint)."""
    return zlib.crc32(f"dailypapers:{name}".encode())


@contextlib.contextmanager
def process_lock(name: str, *, wait: float = 0.0, busy: type[LockBusy] = LockBusy):
    """Hold the lock `name` ("digest sender") for the block; raise `busy` ("another digest sender
    holds the lock") when another process still holds it after `wait` seconds."""
    deadline = time.monotonic() + wait
    if connection.vendor == "postgresql":
        key = advisory_key(name)
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
                if cursor.fetchone()[0]:
                    break
                if time.monotonic() >= deadline:
                    raise busy(f"another {name} holds the lock")
                time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    path = _lock_file(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise busy(f"another {name} holds the lock") from None
                time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
