"""Run one ingest: records and errors from a source -> upsert in batches, with progress.

Every source yields `PaperRecord`s and `RecordError`s; this module upserts the records,
reports each error (file, line, field) as it goes, shows a tqdm bar on stderr (records,
rate, ETA) and returns an `IngestReport` the commands turn into an exit status.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

from tqdm import tqdm

from .records import PaperRecord, RecordError, unstorable_error
from .upsert import BATCH_SIZE, Checkpoint, UpsertStats, upsert_records

MAX_ERRORS_SHOWN = 50  # after that only the count, so a broken file does not flood the terminal


@dataclass
class IngestReport:
    stats: UpsertStats = field(default_factory=UpsertStats)
    errors: list[RecordError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def skipped(self) -> int:
        return len(self.errors)

    def summary(self) -> str:
        s = self.stats
        rate = s.seen / self.seconds if self.seconds else 0.0
        text = (
            f"{s.seen} records in {self.seconds:.1f} s ({rate:,.0f}/s): {s.created} new, {s.updated} updated, "
            f"{s.unchanged} unchanged, {s.ignored_older} older versions ignored"
        )
        if self.errors:
            text += f"; {self.skipped} malformed records skipped"
        return text


def ingest_records(
    items: Iterable[PaperRecord | RecordError | Checkpoint],
    *,
    total: int | None = None,
    label: str = "ingest",
    batch_size: int = BATCH_SIZE,
    stderr: TextIO | None = None,
    progress: bool = True,
    sender=None,
) -> IngestReport:
    stderr = stderr or sys.stderr
    report = IngestReport()
    bar = tqdm(
        total=total, desc=label, unit=" records", file=stderr, disable=not progress, mininterval=0.5, dynamic_ncols=True
    )

    def records_only():
        for item in items:
            if isinstance(item, PaperRecord):
                item = unstorable_error(item) or item  # a NUL reaches neither database
            if isinstance(item, RecordError):
                report.errors.append(item)
                if len(report.errors) <= MAX_ERRORS_SHOWN:
                    bar.write(f"skipped {item}", file=stderr)
                bar.update(1)
                continue
            yield item

    def on_batch(count, _stats):
        bar.update(count)

    started = time.perf_counter()
    try:
        report.stats = upsert_records(records_only(), batch_size=batch_size, on_batch=on_batch, sender=sender)
    finally:
        bar.close()
        report.seconds = time.perf_counter() - started
    if len(report.errors) > MAX_ERRORS_SHOWN:
        print(f"… and {len(report.errors) - MAX_ERRORS_SHOWN} more malformed records", file=stderr)
    return report
