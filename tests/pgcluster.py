"""A throw-away PostgreSQL cluster for the test suite and benchmarks.

    python -m tests.pgcluster pytest …     # runs the command with DATABASE_URL pointing at it

Uses the server binaries on the machine (initdb, pg_ctl), a fresh data folder under /tmp and a
free loopback port, and removes everything afterwards. PostgreSQL refuses to run as root, so
as root the server runs as the `postgres` system user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile


def _binary(name: str) -> str:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))[-1:]
    if not found:
        raise SystemExit(f"PostgreSQL server binary {name!r} not found; install the postgresql package")
    return found if isinstance(found, str) else found[0]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def postgres_cluster():
    """Start a cluster; yield its DATABASE_URL (database `dailypapers`, user `dailypapers`)."""
    as_root = os.geteuid() == 0
    folder = tempfile.mkdtemp(prefix="dailypapers-pg-")
    data = os.path.join(folder, "data")
    run_as: list[str] = []
    if as_root:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        os.chmod(folder, 0o700)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True}
    subprocess.run(
        [*run_as, _binary("initdb"), "-D", data, "-U", "dailypapers", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
        **quiet,
    )
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c "
        "full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        [*run_as, _binary("pg_ctl"), "-D", data, "-o", options, "-l", os.path.join(folder, "log"), "-w", "start"],
        **quiet,
    )
    try:
        subprocess.run(
            [
                *run_as,
                shutil.which("createdb") or _binary("createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "dailypapers",
                "dailypapers",
            ],
            **quiet,
        )
        yield f"postgres://dailypapers@127.0.0.1:{port}/dailypapers"
    finally:
        subprocess.run(
            [*run_as, _binary("pg_ctl"), "-D", data, "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    with postgres_cluster() as url:
        print(f"PostgreSQL test cluster at {url}", file=sys.stderr, flush=True)
        return subprocess.run(argv, env={**os.environ, "DATABASE_URL": url}).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
