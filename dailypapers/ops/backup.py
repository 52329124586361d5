"""Backup and restore of the whole database.

SQLite: the online backup API copies a consistent snapshot while the site keeps serving
(readers and the WAL writer are not blocked for more than one page step). PostgreSQL:
`pg_dump --format=custom` and `pg_restore --clean`, with the connection settings from
DATABASE_URL passed through the environment (never on the command line, where `ps` shows them).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


class BackupError(RuntimeError):
    """A backup or restore could not be done; the message says why."""


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        {
            "PGHOST": str(db.get("HOST") or "localhost"),
            "PGPORT": str(db.get("PORT") or "5432"),
            "PGUSER": str(db.get("USER") or ""),
            "PGPASSWORD": str(db.get("PASSWORD") or ""),
            "PGDATABASE": str(db["NAME"]),
        }
    )
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found; install the PostgreSQL client (Debian: postgresql-client)")
    return found


def backup_database(path: Path) -> Path:
    """Write a backup of the database to `path` (a file); return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target, pages=1024)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        result = subprocess.run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}"],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            partial.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"backup of {connection.vendor} databases is not supported")
    os.replace(partial, path)  # a backup file is either whole or absent
    return path


def restore_database(path: Path) -> None:
    """Replace the database's contents with the backup at `path`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"backup file not found: {path}")
    if connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is not an intact SQLite database")
            connection.ensure_connection()
            source.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not a SQLite backup: {exc}") from None
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        connection.close()
        result = subprocess.run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"restore of {connection.vendor} databases is not supported")
