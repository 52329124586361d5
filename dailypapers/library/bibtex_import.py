"""BibTeX import: the arXiv papers of a `.bib` file become a new collection.

An entry's arXiv id is read from, in order: `eprint` (what arXiv's own export and most
reference managers write), a DOI `10.48550/arXiv.<id>` (arXiv's DataCite DOIs), an arxiv.org
URL in `url`, `howpublished`, `note` or `journal`, or "arXiv:<id>" in `journal`/`note`
(Google Scholar's "arXiv preprint arXiv:2503.11731"). Entries without one are listed, not
refused: a reading list mixes journal papers in.

All or nothing: the file is parsed whole first, and a syntax error names the entry and its
line and imports nothing; the collection and its items are then written in one transaction.
Ids the catalogue lacks are reported, after `fetch_missing` (the caller's way to fetch them,
e.g. the ingest app's arXiv source, which this app may not import) has had its chance.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import bibtexparser
from django.db import transaction

from dailypapers.catalog.arxiv_ids import InvalidArxivId, normalize_arxiv_id
from dailypapers.catalog.models import Paper
from dailypapers.library.collections import LibraryError, clean_name, clean_visibility, create_collection
from dailypapers.library.models import Collection, CollectionItem

MAX_FILE_BYTES = 2_000_000  # ~10,000 entries; a personal library export is rarely past 1 MB
_DOI = re.compile(r"10\.48550/arxiv\.(\S+)", re.IGNORECASE)
_URL = re.compile(r"arxiv\.org/(?:abs|pdf|html)/([^\s}\"',]+)", re.IGNORECASE)
_PREFIXED = re.compile(r"arxiv:\s*([a-z\-.]*/?\d{4}\.?\d{3,5}(?:v\d+)?)", re.IGNORECASE)
_BLOCK_KEY = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s]*)")


class BibtexImportError(LibraryError):
    """The file cannot be imported; the message names the line and entry. Nothing was written."""


@dataclass
class BibEntries:
    ids: list[str] = field(default_factory=list)  # arXiv ids, file order, each once
    lines: dict[str, str] = field(default_factory=dict)  # id -> "line 12 (vaswani2017)"
    without_id: list[str] = field(default_factory=list)  # "line 30 (knuth1984)" of entries with no arXiv id


def _arxiv_id(fields: dict[str, str]) -> str | None:
    candidates = []
    if fields.get("eprint"):
        candidates.append(fields["eprint"])
    candidates += _DOI.findall(fields.get("doi", ""))
    for name in ("url", "howpublished", "note", "journal", "doi"):
        value = fields.get(name, "")
        candidates += _URL.findall(value) + _PREFIXED.findall(value)
    for text in candidates:
        try:
            return normalize_arxiv_id(text.strip().rstrip("."))
        except InvalidArxivId:
            continue
    return None


def read_bibtex(data: bytes | str) -> BibEntries:
    """The arXiv ids of a `.bib` file, or BibtexImportError naming what is wrong and where."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise BibtexImportError(f"file: {len(data):,} bytes, the limit is {MAX_FILE_BYTES:,}")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise BibtexImportError(f"file: line {line} is not UTF-8 text; save the file as UTF-8") from None
    else:
        text = data
    library = bibtexparser.parse_string(text)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        key = _BLOCK_KEY.match(block.raw.lstrip())
        name = f" (entry {key[1]})" if key and key[1] else ""
        reason = " ".join(str(getattr(block.error, "abort_reason", "") or "").split()).rstrip(". ")
        end = getattr(block.error, "end_index", None)
        stopped = f", stopped at line {text.count(chr(10), 0, end) + 1}" if isinstance(end, int) else ""
        raise BibtexImportError(
            f"line {block.start_line + 1}{name}: not valid BibTeX{stopped}"
            f"{': ' + reason if reason else ' (a brace or quote is not closed, or a comma is missing)'}; "
            "nothing was imported"
        )
    found = BibEntries()
    for entry in library.entries:
        where = f"line {entry.start_line + 1} ({entry.key})"
        arxiv_id = _arxiv_id({name.lower(): str(value.value) for name, value in entry.fields_dict.items()})
        if arxiv_id is None:
            found.without_id.append(where)
        elif arxiv_id not in found.lines:
            found.ids.append(arxiv_id)
            found.lines[arxiv_id] = where
    return found


def import_bibtex(
    *,
    user,
    name: str,
    data: bytes | str,
    visibility: str = Collection.PRIVATE,
    fetch_missing: Callable[[list[str]], object] | None = None,
) -> dict:
    """A new collection `name` of the file's arXiv papers, in file order. Returns the collection,
    `added` (count), `unknown` ("line 3 (key): 2503.99999" for ids neither here nor fetched) and
    `without_id` (entries with no arXiv id)."""
    name, visibility = clean_name(name), clean_visibility(visibility)
    entries = read_bibtex(data)
    if not entries.ids:
        where = f" ({len(entries.without_id)} entries, none with an arXiv id)" if entries.without_id else ""
        raise BibtexImportError(f"file: no arXiv ids found{where}; nothing was imported")
    known = _papers(entries.ids)
    missing = [arxiv_id for arxiv_id in entries.ids if arxiv_id not in known]
    if missing and fetch_missing is not None:
        fetch_missing(missing)
        known = _papers(entries.ids)
    with transaction.atomic():
        collection = create_collection(user=user, name=name, visibility=visibility)
        items = [
            CollectionItem(collection=collection, paper_id=known[arxiv_id], position=position)
            for position, arxiv_id in enumerate((i for i in entries.ids if i in known), start=1)
        ]
        CollectionItem.objects.bulk_create(items)
    return {
        "collection": collection,
        "added": len(items),
        "unknown": [f"{entries.lines[i]}: {i}" for i in entries.ids if i not in known],
        "without_id": entries.without_id,
    }


def _papers(arxiv_ids: list[str]) -> dict[str, int]:
    return dict(Paper.objects.visible().filter(arxiv_id__in=arxiv_ids).values_list("arxiv_id", "pk"))
