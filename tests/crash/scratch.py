"""A scratch site for tests that run the real `dailypapers` commands in child processes: its
own DAILYPAPERS_HOME and database (a SQLite file, or a fresh database in the test PostgreSQL
cluster, since pytest-django's test database is invisible to other processes), plus helpers
to read it with a plain driver and to start `dailypapers serve` on a free loopback port."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Scratch:
    home: Path
    env: dict
    dropped: str | None = None
    servers: list = field(default_factory=list)

    @property
    def postgres(self) -> bool:
        return bool(self.env["DATABASE_URL"])

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "dailypapers.cli", *args]

    def run(
        self, *args: str, check: bool = True, timeout: float = 300, env: dict | None = None
    ) -> subprocess.CompletedProcess:
        done = subprocess.run(
            self.command(*args),
            env={**self.env, **(env or {})},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"dailypapers {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
        return done

    def start(self, *args: str, env: dict | None = None) -> subprocess.Popen:
        """A child in its own process group, so a SIGKILL reaches it and all its children."""
        return subprocess.Popen(
            self.command(*args),
            env={**self.env, **(env or {})},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    def query(self, sql: str, params=()) -> list[tuple]:
        """Read with a plain driver, without starting Django (sql uses %s placeholders)."""
        if self.postgres:
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"]) as conn:
                return conn.execute(sql, params).fetchall()
        with contextlib.closing(sqlite3.connect(self.home / "dailypapers.sqlite3", timeout=30)) as conn:
            return conn.execute(sql.replace("%s", "?"), params).fetchall()

    def count(self, table: str) -> int:
        try:
            return self.query(f"SELECT COUNT(*) FROM {table}")[0][0]
        except Exception:  # noqa: BLE001  (table locked or not there yet: not started)
            return 0

    @contextlib.contextmanager
    def server(self, *, workers: int = 2, env: dict | None = None):
        port = free_port()
        proc = self.start("serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), env=env)
        self.servers.append(proc)
        try:
            wait_until_up(f"http://127.0.0.1:{port}", proc)
            yield proc, f"http://127.0.0.1:{port}"
        finally:
            kill_group(proc, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"server at {base} did not answer /healthz in {timeout} s")


def kill_group(proc: subprocess.Popen, sig=signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    if proc.stderr:
        proc.stderr.close()


def make_scratch(home: Path) -> Scratch:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="dailypapers.settings",
        SECRET_KEY="crash-test-secret-key-long-enough-0123456789abcdef",
        DAILYPAPERS_HOME=str(home),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        DAILYPAPERS_SEARCH_THREADS="1",
    )
    scratch = Scratch(home=home, env=env)
    if os.environ.get("DATABASE_URL"):
        import psycopg

        name = f"crash_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
        scratch.dropped = name
    else:
        env["DATABASE_URL"] = ""
    scratch.run("migrate", "--verbosity", "0")
    return scratch


def drop_scratch(scratch: Scratch) -> None:
    for proc in scratch.servers:
        if proc.poll() is None:
            kill_group(proc)
    if scratch.dropped:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch.dropped}" WITH (FORCE)')


def write_corpus(path: Path, n: int, *, prefix: str = "2504", day: str = "2025-04-01", study: str = "A study") -> Path:
    """n small papers in the shared-corpus JSONL format (gzip), all listed on `day`; titles start
    with `study` (another one gives texts that no earlier corpus has embedded)."""
    words = ["graph", "protein", "language", "vision", "robot", "quantum", "speech", "diffusion", "market", "climate"]
    with gzip.open(path, "wt") as handle:
        for i in range(n):
            topic = words[i % len(words)]
            handle.write(
                json.dumps(
                    {
                        "id": f"{prefix}.{i:05d}",
                        "title": f"{study} of {topic} models number {i}",
                        "summary": f"We look at {topic} problems from angle {i} and report what we found.",
                        "authors": [f"Author {i % 97}", "Common Author"],
                        "categories": ["cs.LG"] if i % 2 else ["cs.CL", "cs.LG"],
                        "comment": None,
                        "listing_date": day,
                    }
                )
                + "\n"
            )
    return path
