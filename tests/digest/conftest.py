"""Digest test fixtures: a counting SMTP server on loopback wired into Django's settings,
and a few papers in a digest window."""

from __future__ import annotations

import datetime as dt

import pytest

from dailypapers.catalog.models import Paper, PaperCategory
from tests.digest.smtp_server import SMTPServer

MONDAY = dt.date(2026, 3, 16)  # a Monday edition covers Friday 13 to Sunday 15


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
        settings.DIGEST_RETRY_BASE_SECONDS = 0.05
        yield server.handler


def make_paper(n: int, *, day: dt.date, upvotes: int = 0, category: str = "cs.CL", **fields) -> Paper:
    paper = Paper.objects.create(
        arxiv_id=f"2603.{n:05d}", version=1, title=fields.pop("title", f"Paper number {n}"),
        abstract=fields.pop("abstract", f"We study problem {n}. " * 30), authors_text=fields.pop("authors_text", "Ada Lovelace, Alan Turing"),
        categories=[category], primary_category=category, listing_date=day, featured_on=day, upvotes=upvotes, **fields,
    )
    PaperCategory.objects.create(paper=paper, category=category, position=0)
    return paper


@pytest.fixture
def papers(db):
    friday = MONDAY - dt.timedelta(days=3)
    return [make_paper(i, day=friday, upvotes=10 - i, code_url="https://github.com/x/y" if i == 1 else "") for i in range(1, 5)]
