"""Run in a child process against a scratch database (see test_crash.py):

    python -m tests.alerts.crash_child seed TAG URL N   # a member, a saved search, a hook to URL, N matched papers

The kill -9 tests cannot share pytest's database, so the child seeds its own.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.utils import timezone  # noqa: E402

from dailypapers.alerts.hooks import add_webhook  # noqa: E402
from dailypapers.alerts.matching import queue_webhooks  # noqa: E402
from dailypapers.alerts.models import SavedSearchMatch  # noqa: E402
from dailypapers.alerts.saved import save_search  # noqa: E402
from tests.factories import make_paper  # noqa: E402


def seed(tag: str, url: str, count: int) -> None:
    user = get_user_model().objects.create_user(tag, f"{tag}@example.org", "correct horse battery staple")
    saved = save_search(user=user, params={"q": f"topic {tag}", "mode": "keyword"})
    add_webhook(saved, url=url)
    papers = [make_paper(title=f"Paper {i} on topic {tag}") for i in range(count)]
    SavedSearchMatch.objects.bulk_create(
        SavedSearchMatch(
            saved_search=saved, paper=p, kind="words", reason=f"has your words: “{tag}”", matched_at=timezone.now()
        )
        for p in papers
    )
    queue_webhooks([p.pk for p in papers])


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(sys.argv[2], sys.argv[3], int(sys.argv[4]))
