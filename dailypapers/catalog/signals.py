"""Signals the catalogue sends so other apps can react without the catalogue importing them.

`papers_ingested(sender, created_ids, updated_ids)` is sent after an ingest batch commits,
with the primary keys of papers it created and of papers whose metadata changed. The
community app's curation rules and the search indexer listen to it.
"""

from django.dispatch import Signal

papers_ingested = Signal()
