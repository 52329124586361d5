"""Replay issue 13's abuse scenarios against the shipped limits and print, for each, how many
requests were tried, refused and failed (5xx).

    .venv/bin/python bench/abuse.py [--postgres]

A scratch database with the default settings (the real limits, not the tests' lowered ones),
requests through Django's test client with the headers nginx (deploy/nginx.conf) passes on:
REMOTE_ADDR 127.0.0.1 and the client's address in X-Forwarded-For; "direct" requests come
from 203.0.113.9 with a forged header. Mails go to Django's in-memory backend and are counted.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNTING = """
import django
django.setup()
from dailypapers.catalog.limits import hit
for _ in range(300):
    hit("bench", "one client", "1000000/day")
"""


def proxied(address: str) -> dict:
    return {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": address}


def report(label: str, statuses: list[int], refused=(429, 503)) -> None:
    counts = Counter(statuses)
    refused_count = sum(counts[code] for code in refused)
    failed = sum(n for code, n in counts.items() if code >= 500 and code not in refused)
    print(f"{label}: {len(statuses)} tried, {refused_count} refused, {failed} failed  {dict(sorted(counts.items()))}")


def scenarios() -> None:
    import datetime as dt

    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.core import mail
    from django.db import connection
    from django.test import Client

    from tests.factories import make_paper

    for number in range(1, 31):
        make_paper(arxiv_id=f"2606.{number:05d}", day=dt.date(2026, 6, 30), title=f"Attention paper {number}")
    members = []
    for name in ("ada", "alan"):
        user = get_user_model().objects.create_user(
            username=name, email=f"{name}@example.org", password="correct horse battery"
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        members.append(user)

    mail.outbox = []
    flood = Client()
    answers = [
        flood.post("/accounts/login/", {"login": f"nobody{n}@example.org", "password": "x"}, **proxied("198.51.100.7"))
        for n in range(12)
    ]
    locked = sum("Too many failed login attempts" in answer.content.decode() for answer in answers)
    print(
        f'failed logins, one client: {len(answers)} tried, {locked} refused ("Too many failed login attempts"), '
        f"{sum(a.status_code >= 500 for a in answers)} failed"
    )
    logins = [
        Client()
        .post("/accounts/login/", {"login": m.email, "password": "correct horse battery"}, **proxied(f"203.0.113.{n}"))
        .status_code
        for n, m in enumerate(members, start=10)
    ]
    print(f"  then other members' correct logins: {len(logins)} tried, {logins.count(302)} logged in")

    mail.outbox.clear()
    resets = [
        flood.post("/accounts/password/reset/", {"email": f"x{n}@example.net"}, **proxied("198.51.100.7")).status_code
        for n in range(20)
    ]
    report("password resets to unknown addresses, one client", resets)
    own = Client().post("/accounts/password/reset/", {"email": members[0].email}, **proxied("203.0.113.20")).status_code
    print(
        f"  mails to unknown addresses: {sum(1 for m in mail.outbox if m.to[0].endswith('example.net'))}; "
        f"a member's own reset afterwards: {own} ({len(mail.outbox)} mail)"
    )

    client = Client()
    direct = [
        client.get(
            "/api/daily_papers",
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"{random.randrange(256)}.{random.randrange(256)}.0.1",
        ).status_code
        for _ in range(300)
    ]
    report("API, forged X-Forwarded-For straight to gunicorn", direct)
    through = [
        client.get("/api/daily_papers", **proxied(f"{random.randrange(256)}.0.0.1, 198.51.100.8")).status_code
        for _ in range(300)
    ]
    report("API, forged header appended by a proxy", through)

    mail.outbox.clear()
    subscribes = [
        client.post(
            "/subscribe",
            {"email": f"s{n}@example.net", "frequency": "daily", "kind": "trending"},
            **proxied("198.51.100.9"),
        ).status_code
        for n in range(60)
    ]
    report("subscribe to 60 addresses, one client", subscribes)
    print(f"  confirmation mails sent: {len(mail.outbox)}")

    for number, (label, url, count) in enumerate(
        (
            ("/search", "/search?q=attention&mode=keyword", 405),
            ("/feeds/search.rss", "/feeds/search.rss?q=attention", 538),
            ("/search?format=json", "/search?q=attention&mode=keyword&format=json", 200),
        )
    ):
        report(
            f"{label}, one client",
            [client.get(url, **proxied(f"198.51.100.{20 + number}")).status_code for _ in range(count)],
        )

    def cache_rows() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM dailypapers_cache")
            return cursor.fetchone()[0]

    before = cache_rows()
    report("unique /?x=N URLs", [client.get(f"/?x={n}", **proxied("198.51.100.11")).status_code for n in range(200)])
    print(f"  page-cache rows added: {cache_rows() - before}")


def concurrent_counts(env: dict) -> None:
    processes = [subprocess.Popen([sys.executable, "-c", COUNTING], env=env) for _ in range(3)]
    for process in processes:
        process.wait()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT hits FROM dailypapers_counter WHERE name LIKE 'bench:%%'")
        print(f"atomic counter: 3 processes x 300 hits counted {cursor.fetchone()[0]} (of 900)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--postgres", action="store_true", help="Run against a throw-away PostgreSQL cluster (tests.pgcluster)."
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.postgres and "DATABASE_URL" not in os.environ:
        from tests.pgcluster import postgres_cluster

        with postgres_cluster() as url:
            os.environ["DATABASE_URL"] = url
            return run()
    return run()


def run() -> int:
    os.environ["DAILYPAPERS_HOME"] = tempfile.mkdtemp(prefix="dailypapers-abuse-")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    os.environ["DJANGO_SETTINGS_MODULE"] = "dailypapers.settings"
    os.environ["PYTHONPATH"] = str(ROOT)
    import django
    from django.conf import settings

    django.setup()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DIGEST_MAIL_INLINE = True  # count mails as they would leave, without a worker
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"database: {engine}; limits: API {settings.API_RATE_LIMIT_ANONYMOUS}, search/feeds {settings.EXPENSIVE_RATE}, "
        f"mails per client {settings.MAILS_PER_CLIENT}, site {settings.MAIL_BUDGET}"
    )
    scenarios()
    concurrent_counts(dict(os.environ))
    return 0


if __name__ == "__main__":
    sys.exit(main())
