"""Rate strings such as "120/min", read in one place (no Django imports: settings.py validates
every configured rate with it at startup)."""

from __future__ import annotations

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int] | None:
    """'120/min' -> (120, 60); '' -> None (unlimited). Raises ValueError naming the bad rate."""
    if not rate.strip():
        return None
    count, _, period = rate.partition("/")
    if not count.strip().isdigit() or int(count) < 1 or period.strip() not in PERIODS:
        raise ValueError(f"rate {rate!r}: expected N/s, N/min, N/hour or N/day with N >= 1, or empty for no limit")
    return int(count), PERIODS[period.strip()]
