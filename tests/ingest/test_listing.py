"""The arXiv listing-day rule (14:00 US/Eastern cut-off, announced next weekday evening)."""

import datetime as dt

import pytest

from dailypapers.ingest.listing import listing_date_for

UTC = dt.UTC


@pytest.mark.parametrize(
    "submitted, listed",
    [
        (dt.datetime(2025, 3, 17, 17, 0, tzinfo=UTC), dt.date(2025, 3, 18)),  # Mon 13:00 EDT -> Tue
        (dt.datetime(2025, 3, 17, 18, 30, tzinfo=UTC), dt.date(2025, 3, 19)),  # Mon 14:30 EDT -> Wed
        (dt.datetime(2025, 3, 14, 19, 0, tzinfo=UTC), dt.date(2025, 3, 18)),  # Fri 15:00 EDT -> Tue
        (dt.datetime(2025, 3, 14, 17, 0, tzinfo=UTC), dt.date(2025, 3, 17)),  # Fri 13:00 EDT -> Mon
        (dt.datetime(2025, 3, 15, 12, 0, tzinfo=UTC), dt.date(2025, 3, 18)),  # Saturday -> Tue
        (dt.datetime(2025, 1, 6, 18, 59, tzinfo=UTC), dt.date(2025, 1, 7)),  # Mon 13:59 EST -> Tue
        (dt.datetime(2025, 1, 6, 19, 0, tzinfo=UTC), dt.date(2025, 1, 8)),  # Mon 14:00 EST -> Wed
    ],
)
def test_listing_date(submitted, listed):
    assert listing_date_for(submitted) == listed
