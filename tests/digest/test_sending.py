"""Outbox sending against a loopback SMTP server: retries with backoff on 4xx, permanent
failures marking the address, nothing sent when there is nothing new, idempotent editions."""

from __future__ import annotations

import datetime as dt

import pytest

from dailypapers.digest import sending
from dailypapers.digest import smtp as digest_smtp
from dailypapers.digest.models import OutboxMessage, Subscription, Suppression
from dailypapers.digest.sending import send_edition
from tests.digest.conftest import MONDAY
from tests.digest.smtp_server import SMTPServer
from tests.factories import make_paper

pytestmark = pytest.mark.django_db


def _active(email, **fields) -> Subscription:
    return Subscription.objects.create(email=email, status=Subscription.ACTIVE, **fields)


def test_transient_failures_are_retried_with_backoff_until_accepted(smtp, papers):
    smtp.fail_first = 2  # the server answers 451 to the first two messages
    _active("a@example.org")
    _active("b@example.org")
    result = send_edition(kind="daily", date=MONDAY)
    assert result["sent"] == 2 and result["retry_later"] == 2
    assert dict(smtp.per_recipient) == {"a@example.org": 1, "b@example.org": 1}
    assert smtp.attempts == 4
    assert sorted(OutboxMessage.objects.values_list("attempts", flat=True)) == [2, 2]


def test_too_many_transient_failures_mark_the_message_failed(smtp, papers, settings):
    settings.DIGEST_MAX_ATTEMPTS = 3
    smtp.fail_first = 100
    _active("a@example.org")
    result = send_edition(kind="daily", date=MONDAY)
    assert result["failed"] == 1 and smtp.attempts == 3
    assert OutboxMessage.objects.get().state == OutboxMessage.FAILED


def test_a_refused_recipient_is_suppressed_and_others_still_get_theirs(smtp, papers):
    smtp.reject = {"gone@example.org"}
    _active("gone@example.org")
    _active("here@example.org")
    result = send_edition(kind="daily", date=MONDAY)
    assert result["sent"] == 1 and result["failed"] == 1
    assert Suppression.objects.get(email="gone@example.org").reason == Suppression.SMTP_REJECTED
    assert smtp.per_recipient == {"here@example.org": 1}


def test_unreachable_server_leaves_messages_pending_for_a_later_run(settings, papers, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with SMTPServer() as server:
        port = server.port
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port  # nothing listens there now
    monkeypatch.setattr(sending, "RETRY_WAIT_SECONDS", 0)
    monkeypatch.setattr(digest_smtp, "RETRY_BASE_SECONDS", 0.05)
    _active("a@example.org")
    result = send_edition(kind="daily", date=MONDAY)
    assert result["retry_later"] == 1 and result["sent"] == 0
    row = OutboxMessage.objects.get()
    assert row.state == OutboxMessage.PENDING and row.next_attempt_at and "connect" in row.last_error
    with SMTPServer() as server:
        settings.EMAIL_PORT = server.port
        monkeypatch.setattr(sending, "RETRY_WAIT_SECONDS", 300)
        assert send_edition(kind="daily", date=MONDAY)["sent"] == 1
        assert server.handler.per_recipient == {"a@example.org": 1}


def test_same_edition_twice_sends_once_and_late_confirmations_still_get_it(smtp, papers):
    _active("a@example.org")
    send_edition(kind="daily", date=MONDAY)
    _active("late@example.org")
    second = send_edition(kind="daily", date=MONDAY)
    assert second["queued"] == 1 and second["sent"] == 1
    assert dict(smtp.per_recipient) == {"a@example.org": 1, "late@example.org": 1}


def test_topic_category_and_author_digests_send_nothing_when_there_is_nothing_new(smtp, papers):
    make_paper(
        "2603.00050",
        day=MONDAY - dt.timedelta(days=2),
        title="Sparse attention for long documents",
        categories=("cs.LG",),
    )
    _active("topic@example.org", kind="topic", value="sparse attention")
    _active("none@example.org", kind="topic", value="quantum gravity")
    _active("cat@example.org", kind="category", value="cs.LG")
    _active("nocat@example.org", kind="category", value="math.AG")
    _active("author@example.org", kind="author", value="Nobody Known")
    result = send_edition(kind="daily", date=MONDAY)
    assert result["queued"] == 2
    assert set(smtp.per_recipient) == {"topic@example.org", "cat@example.org"}
    assert "Sparse attention" in smtp.to("topic@example.org")[0].get_body(preferencelist=("plain",)).get_content()


def test_daily_and_weekly_windows_do_not_overlap(smtp, db):
    for day in range(1, 22):
        make_paper(f"2603.{day:05d}", day=dt.date(2026, 3, day), upvotes=day, categories=("cs.CL",))
    _active("d@example.org")
    _active("w@example.org", frequency="weekly")
    send_edition(kind="daily", date=dt.date(2026, 3, 16))  # Monday: Fri 13 .. Sun 15
    send_edition(kind="daily", date=dt.date(2026, 3, 17))  # Tuesday: Mon 16
    send_edition(kind="weekly", date=dt.date(2026, 3, 16))  # Mon 9 .. Sun 15
    monday, tuesday = (m.get_body(preferencelist=("plain",)).get_content() for m in smtp.to("d@example.org"))
    assert "Paper number 15" in monday and "Paper number 13" in monday and "Paper number 12" not in monday
    assert "Paper number 16" in tuesday and "Paper number 15" not in tuesday
    weekly = smtp.to("w@example.org")[0].get_body(preferencelist=("plain",)).get_content()
    assert "Paper number 9" in weekly and "Paper number 15" in weekly and "Paper number 16" not in weekly


def test_dry_run_counts_without_sending(smtp, papers):
    _active("a@example.org")
    assert send_edition(kind="daily", date=MONDAY, dry_run=True)["would_queue"] == 1
    assert OutboxMessage.objects.count() == 0 and smtp.attempts == 0


def test_for_you_digest_follows_the_members_feed(smtp, papers, django_user_model, client):
    import re

    from dailypapers.community.follows import follow
    from dailypapers.community.models import DigestOpen

    member = django_user_model.objects.create_user("member", "member@example.org", "pw")
    follow(user=member, kind="category", value="cs.CL")
    _active("member@example.org", kind="foryou", user=member)
    stranger = django_user_model.objects.create_user("stranger", "stranger@example.org", "pw")
    _active("stranger@example.org", kind="foryou", user=stranger)  # no follows, no upvotes: nothing to send
    result = send_edition(kind="daily", date=MONDAY)
    assert result["sent"] == 1 and set(smtp.per_recipient) == {"member@example.org"}
    message = smtp.to("member@example.org")[0]
    assert papers[0].title in message.get_body(preferencelist=("plain",)).get_content()
    # The member's paper links note the open ("for you" learns from it) and lead to the paper.
    html = message.get_body(preferencelist=("html",)).get_content()
    link = re.search(r'href="https?://[^/"]+(/papers/[^"]+/from-digest/[^"]+)"', html).group(1)
    response = client.get(link)
    assert response.status_code == 302 and "/from-digest/" not in response["Location"]
    assert DigestOpen.objects.filter(user=member).count() == 1


def test_digest_command_usage_errors_and_dry_run(smtp, papers, capsys):
    from django.core.management import CommandError, call_command

    _active("a@example.org")
    with pytest.raises(CommandError, match="weekdays only") as error:
        call_command("digest", "send", "--kind", "daily", "--date", "2026-03-14")
    assert error.value.returncode == 2
    with pytest.raises(CommandError, match="--date: expected a day as YYYY-MM-DD"):
        call_command("digest", "send", "--kind", "daily", "--date", "14/03/2026")
    call_command("digest", "send", "--kind", "daily", "--date", MONDAY.isoformat(), "--dry-run")
    assert '"would_queue": 1' in capsys.readouterr().out and smtp.attempts == 0
    call_command("digest", "send", "--kind", "daily", "--date", MONDAY.isoformat())
    assert '"sent": 1' in capsys.readouterr().out and smtp.per_recipient == {"a@example.org": 1}
