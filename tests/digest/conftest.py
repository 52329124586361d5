"""Digest test fixtures: a counting SMTP server on loopback wired into Django's settings,
a few papers in a digest window, and `scratch`: a database of its own for child processes
(`dailypapers digest send`, `dailypapers worker`), which cannot see pytest's database (an
in-memory SQLite, or a transaction that is never committed). It is a SQLite file, or a fresh
database in the test PostgreSQL cluster, migrated once per session."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from dailypapers.digest import smtp as digest_smtp
from tests.digest.smtp_server import SMTPServer
from tests.factories import make_paper

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 6  # in the scratch database
MONDAY = dt.date(2026, 3, 16)  # a Monday edition covers Friday 13 to Sunday 15


@pytest.fixture
def smtp(settings, monkeypatch):
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
        monkeypatch.setattr(digest_smtp, "RETRY_BASE_SECONDS", 0.05)
        yield server.handler


@pytest.fixture
def papers(db):
    friday = MONDAY - dt.timedelta(days=3)
    return [
        make_paper(
            f"2603.{i:05d}",
            day=friday,
            upvotes=10 - i,
            categories=("cs.CL",),
            code_url="https://github.com/x/y" if i == 1 else "",
        )
        for i in range(1, 5)
    ]


def _pg_scratch_database(url: str):
    import psycopg

    name = f"digest_crash_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name, name


@pytest.fixture(scope="session")
def scratch(tmp_path_factory):
    home = tmp_path_factory.mktemp("digest-crash")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="dailypapers.settings",
        SECRET_KEY="crash-test-secret-key-long-enough-0123456789abcdef",
        DAILYPAPERS_HOME=str(home),
        EMAIL_HOST="127.0.0.1",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    dropped = None
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"], dropped = _pg_scratch_database(os.environ["DATABASE_URL"])
    else:
        env["DATABASE_URL"] = ""
    subprocess.run(
        [sys.executable, "-m", "dailypapers.cli", "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True
    )
    subprocess.run(
        [sys.executable, "-m", "tests.digest.crash_child", "seed", str(SUBSCRIBERS)], env=env, cwd=ROOT, check=True
    )
    yield env
    if dropped:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dropped}" WITH (FORCE)')


def sql_rows(env: dict, sql: str, params: list) -> list[tuple]:
    """Rows from the scratch database, read with a plain driver (no child process to start)."""
    if env["DATABASE_URL"]:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            return conn.execute(sql, params).fetchall()
    import sqlite3

    with contextlib.closing(sqlite3.connect(Path(env["DAILYPAPERS_HOME"]) / "dailypapers.sqlite3")) as conn:
        return conn.execute(
            sql.replace("%s", "?"), [p.isoformat() if isinstance(p, dt.date) else p for p in params]
        ).fetchall()
