"""OAI-PMH bulk harvest of arXiv's `arXiv` metadata format through `sickle`.

Page by page: each page's records are upserted in one batch, then the page's resumption
token is saved in HarvestState, so a harvest interrupted anywhere resumes at the first page
not yet committed (re-doing at most one page, which the idempotent upsert makes harmless).
arXiv answers 503 with `Retry-After` when it wants a pause; sickle waits and retries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone
from sickle import Sickle
from sickle.iterator import OAIResponseIterator

from ..listing import listing_date_for
from ..models import HarvestState
from ..records import PaperRecord, RecordError, clean_prose, clean_text, parse_date, require_id, require_title
from ..upsert import Checkpoint

ENDPOINT = "http://export.arxiv.org/oai2"
ARXIV_NS = "{http://arxiv.org/OAI/arXiv/}"
OAI_NS = "{http://www.openarchives.org/OAI/2.0/}"
MAX_RETRIES = 5
DEFAULT_RETRY_AFTER = 20


def make_client(endpoint: str = ENDPOINT) -> Sickle:
    return Sickle(
        endpoint,
        iterator=OAIResponseIterator,
        max_retries=MAX_RETRIES,
        default_retry_after=DEFAULT_RETRY_AFTER,
        retry_status_codes=(503,),
        timeout=60,
    )


def _text(element, name: str) -> str:
    found = element.find(ARXIV_NS + name)
    return found.text if found is not None and found.text else ""


def parse_record(record_el, where: str) -> PaperRecord:
    """One <record> with <arXiv> metadata."""
    meta = record_el.find(f"{OAI_NS}metadata/{ARXIV_NS}arXiv")
    if meta is None:
        raise RecordError(where, "metadata", "no arXiv metadata in the record")
    arxiv_id, version = require_id(_text(meta, "id"), where, "id")
    where = f"{where} ({arxiv_id})"
    created = parse_date(_text(meta, "created"), where, "created")
    updated = parse_date(_text(meta, "updated"), where, "updated")
    authors = []
    for author in meta.iter(ARXIV_NS + "author"):
        parts = [_text(author, "forenames"), _text(author, "keyname"), _text(author, "suffix")]
        name = clean_text(" ".join(p for p in parts if p))
        if name:
            authors.append(name)
    published = dt.datetime.combine(created, dt.time(12), dt.UTC) if created else None
    return PaperRecord(
        arxiv_id=arxiv_id,
        version=version,
        title=require_title(_text(meta, "title"), where),
        abstract=clean_prose(_text(meta, "abstract")),
        authors=authors,
        categories=_text(meta, "categories").split(),
        published=published,
        updated=dt.datetime.combine(updated, dt.time(12), dt.UTC) if updated else published,
        # OAI gives the submission day only; noon UTC is before the 14:00 ET cut-off.
        listing_date=listing_date_for(published) if published else None,
        comment=clean_prose(_text(meta, "comments")),
        journal_ref=clean_text(_text(meta, "journal-ref")),
        doi=clean_text(_text(meta, "doi")),
        source="oai",
    )


def parse_page(xml, where: str) -> list[PaperRecord | RecordError]:
    items: list[PaperRecord | RecordError] = []
    for index, record_el in enumerate(xml.iter(OAI_NS + "record"), start=1):
        header = record_el.find(OAI_NS + "header")
        if header is not None and header.get("status") == "deleted":
            continue
        try:
            items.append(parse_record(record_el, f"{where} record {index}"))
        except RecordError as error:
            items.append(error)
    return items


def harvest(
    *,
    date_from: dt.date,
    date_until: dt.date,
    set_spec: str = "",
    restart: bool = False,
    endpoint: str = ENDPOINT,
    client: Sickle | None = None,
) -> Iterator[PaperRecord | RecordError | Checkpoint]:
    """Records and errors page by page, each page followed by a Checkpoint that saves its token.

    A saved, unfinished harvest with the same (endpoint, set, from, until) resumes from its
    token; a finished one (or `restart`) starts over.
    """
    client = client or make_client(endpoint)
    state, _ = HarvestState.objects.get_or_create(
        endpoint=endpoint, metadata_prefix="arXiv", set_spec=set_spec, date_from=date_from, date_until=date_until
    )
    if restart or state.finished_at:
        state.resumption_token = ""
        state.finished_at = None
        state.pages = state.records = 0
        state.save()
    if state.resumption_token:
        params = {"resumptionToken": state.resumption_token}
    else:
        params = {"metadataPrefix": "arXiv", "from": date_from.isoformat(), "until": date_until.isoformat()}
        if set_spec:
            params["set"] = set_spec
    for response in client.ListRecords(**params):
        page = state.pages + 1
        items = parse_page(response.xml, f"{endpoint} page {page}")
        yield from items
        token_el = response.xml.find(f".//{OAI_NS}resumptionToken")
        token = token_el.text.strip() if token_el is not None and token_el.text else ""
        count = sum(isinstance(item, PaperRecord) for item in items)
        yield Checkpoint(lambda page=page, token=token, count=count: _save(state, page, token, count))


def _save(state: HarvestState, page: int, token: str, count: int) -> None:
    state.pages = page
    state.records += count
    state.resumption_token = token
    state.finished_at = None if token else timezone.now()
    state.save()
