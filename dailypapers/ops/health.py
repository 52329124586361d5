"""Liveness and readiness: what a load balancer or systemd watchdog asks.

`/healthz` answers as long as the process serves requests. `/readyz` answers 200 only when the
database is reachable, every migration is applied and the search app reports its vector
index usable (a search app that cannot even be imported is not ready); otherwise 503 with the
failing checks, so a new worker gets traffic only once it can serve it.
"""

from __future__ import annotations

import importlib

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def database_check() -> tuple[bool, str]:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any driver error means "not ready"; the message says which
        return False, f"database unreachable: {exc.__class__.__name__}: {exc}"
    return True, "ok"


def migrations_check() -> tuple[bool, str]:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return False, f"cannot read migrations: {exc}"
    if plan:
        return False, f"{len(plan)} migrations not applied; run `dailypapers migrate`"
    return True, "ok"


def vector_index_check() -> tuple[bool, str]:
    try:
        readiness = importlib.import_module("dailypapers.search.readiness")
    except ImportError as exc:  # a broken install (onnxruntime, usearch missing) cannot search
        return False, f"search cannot load: {exc}"
    return readiness.vector_index_ready()


CHECKS = {"database": database_check, "migrations": migrations_check, "vector_index": vector_index_check}


def readiness_report() -> tuple[bool, dict[str, str]]:
    results: dict[str, str] = {}
    ready = True
    for name, check in CHECKS.items():
        ok, detail = check()
        results[name] = detail
        ready = ready and ok
        if name == "database" and not ok:
            break  # the other checks need the database
    return ready, results
