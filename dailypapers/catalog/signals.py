"""Signals the catalogue sends so other apps can react without the catalogue importing them.

`papers_creating(sender, rows)` is sent inside an ingest batch's transaction just before new
papers are inserted; `rows` are the new papers' column values as dicts, which a receiver may
fill in (the community app sets each paper's trending key there, so a plain ingest needs no
second pass over the papers it just wrote).

`papers_ingested(sender, created_ids, updated_ids)` is sent after an ingest batch commits,
with the primary keys of papers it created and of papers whose metadata changed. The
community app's curation rules and the search indexer listen to it.
"""

from django.dispatch import Signal

papers_creating = Signal()
papers_ingested = Signal()
