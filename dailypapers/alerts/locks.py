"""One webhook sender at a time (catalog/locks.py), under its own name so mail and webhooks do
not wait for each other."""

from __future__ import annotations

from dailypapers.catalog.locks import LockBusy, process_lock


class SenderBusy(LockBusy):
    """Another process is delivering webhooks right now."""


def sender_lock(*, wait: float = 0.0):
    return process_lock("webhook sender", wait=wait, busy=SenderBusy)
