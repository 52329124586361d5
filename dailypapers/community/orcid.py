"""ORCID's public API, as much as claims need: the arXiv ids among a researcher's works.

`GET https://pub.<BASE_DOMAIN>/v3.0/<orcid>/works` with `Accept: application/orcid+json` (the
public API needs no token for public works; BASE_DOMAIN is allauth's ORCID provider setting,
`orcid.org`, or `sandbox.orcid.org`). A work names its arXiv preprint as an external id of type
`arxiv` ("arXiv:2503.11731", "2503.11731v2" or the abs URL) or as arXiv's DOI
`10.48550/arXiv.2503.11731`; both are read, through the catalogue's one arXiv id parser. Tests
replay recorded answers (tests/community/recordings/) through this code with `responses`.
"""

from __future__ import annotations

import re

import requests
from django.conf import settings

from dailypapers.catalog.arxiv_ids import InvalidArxivId, normalize_arxiv_id

# A works list is one request of a few kB to a few hundred kB; 10 s is what the login itself
# waits for ORCID's record (allauth's default requests timeout is 5 s per read).
TIMEOUT_SECONDS = 10
ORCID_ID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
_ARXIV_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/)?10\.48550/arxiv\.(?P<id>.+)$", re.IGNORECASE)


class OrcidUnavailable(Exception):
    """ORCID did not answer, or answered something that is not a works list."""


def works_url(orcid: str) -> str:
    domain = settings.SOCIALACCOUNT_PROVIDERS.get("orcid", {}).get("BASE_DOMAIN", "orcid.org")
    return f"https://pub.{domain}/v3.0/{orcid}/works"


def arxiv_ids_of_works(orcid: str) -> set[str]:
    """The versionless arXiv ids that the public works of `orcid` list."""
    if not ORCID_ID.match(orcid or ""):
        raise ValueError(f"ORCID iD: {orcid!r} is not of the form 0000-0002-1825-0097")
    try:
        response = requests.get(works_url(orcid), headers={"Accept": "application/orcid+json"}, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
    except (OSError, ValueError) as exc:  # requests' errors are OSErrors; a bad body is a ValueError
        raise OrcidUnavailable(f"ORCID's works list for {orcid} could not be read ({type(exc).__name__})") from None
    return arxiv_ids_in(document)


def arxiv_ids_in(document: dict) -> set[str]:
    """The arXiv ids in a v3.0 works document (its groups' and summaries' external ids)."""
    found: set[str] = set()
    for group in document.get("group") or []:
        external = list((group.get("external-ids") or {}).get("external-id") or [])
        for summary in group.get("work-summary") or []:
            external += (summary.get("external-ids") or {}).get("external-id") or []
        for item in external:
            arxiv_id = _arxiv_id_of(item)
            if arxiv_id:
                found.add(arxiv_id)
    return found


def _arxiv_id_of(item: dict) -> str | None:
    kind = (item.get("external-id-type") or "").lower()
    value = (item.get("external-id-value") or "").strip()
    if kind == "doi":
        match = _ARXIV_DOI.match(value)
        value = match.group("id") if match else ""
    elif kind != "arxiv":
        return None
    try:  # the parser takes "arXiv:" prefixes, versions and abs URLs off
        return normalize_arxiv_id(value)
    except InvalidArxivId:
        return None
