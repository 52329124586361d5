"""A comparable dump of everything the ingest writes, keyed by natural keys, not row ids."""

from __future__ import annotations

from dailypapers.catalog.models import Author, Paper, PaperAuthor, PaperCategory
from dailypapers.ingest.models import HarvestState

VOLATILE = {"id", "created_at", "modified_at"}


def dump(*, with_times: bool = False) -> dict:
    skip = set() if with_times else VOLATILE
    papers = {
        row["arxiv_id"]: {k: (str(v) if v is not None else None) for k, v in row.items() if k not in skip}
        for row in Paper.objects.values()
    }
    return {
        "papers": papers,
        "authors": sorted(Author.objects.values_list("name", flat=True)),
        "paper_authors": sorted(PaperAuthor.objects.values_list("paper__arxiv_id", "author__name", "position")),
        "paper_categories": sorted(PaperCategory.objects.values_list("paper__arxiv_id", "category", "position")),
        "harvests": sorted(HarvestState.objects.values_list("set_spec", "resumption_token", "pages", "records")),
    }
