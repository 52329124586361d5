"""arXiv identifiers: parse any form a user or a source gives, normalise to the versionless id.

Forms accepted (https://info.arxiv.org/help/arxiv_identifier.html):
- new style `YYMM.NNNN` (2007-04 to 2014-12) and `YYMM.NNNNN` (2015 on), with optional `vN`;
- old style `archive[.SUBJ]/YYMMNNN`, e.g. `hep-th/9901001`, `math.GT/0309136`, with optional `vN`;
- prefixed (`arXiv:2503.11731`) or as an arxiv.org URL (`/abs/`, `/pdf/`, `/html/`, `.pdf` suffix),
  and the `http://arxiv.org/abs/…` entry ids the arXiv API and OAI-PMH return.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NEW = r"(?P<new>(?P<yymm>\d{4})\.(?P<num>\d{4,5}))"
_OLD = r"(?P<old>(?P<archive>[a-z]+(?:-[a-z]+)*)(?:\.(?P<subj>[A-Z]{2}))?/(?P<oldnum>\d{7}))"
_ID = re.compile(rf"^(?:{_NEW}|{_OLD})(?:v(?P<version>[1-9]\d{{0,3}}))?$")
_URL_PREFIX = re.compile(r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/", re.IGNORECASE)


class InvalidArxivId(ValueError):
    """The text is not an arXiv identifier."""


@dataclass(frozen=True)
class ArxivId:
    id: str
    version: int | None = None

    @property
    def versioned(self) -> str:
        return f"{self.id}v{self.version}" if self.version else self.id

    def __str__(self) -> str:
        return self.id


def parse_arxiv_id(text: str) -> ArxivId:
    """Return the versionless id and version of `text`, or raise InvalidArxivId."""
    if not isinstance(text, str):
        raise InvalidArxivId(f"not an arXiv id: {text!r}")
    match = _ID.match(text)  # a bare id, as every source gives it: nothing to take off
    if match is None:
        candidate = text.strip()
        candidate = _URL_PREFIX.sub("", candidate)
        if candidate.lower().startswith("arxiv:"):
            candidate = candidate[6:]
        candidate = candidate.split("?", 1)[0].split("#", 1)[0].rstrip("/")
        if candidate.lower().endswith(".pdf"):
            candidate = candidate[:-4]
        match = _ID.match(candidate)
    if not match:
        raise InvalidArxivId(f"not an arXiv id: {text!r}")
    if match["new"]:
        month = int(match["yymm"][2:])
        if not 1 <= month <= 12:
            raise InvalidArxivId(f"not an arXiv id (month {month:02d}): {text!r}")
        if len(match["num"]) == 5 and int(match["yymm"]) < 1501:
            raise InvalidArxivId(f"not an arXiv id (5-digit numbers start in 1501): {text!r}")
        if len(match["num"]) == 4 and int(match["yymm"]) >= 1501:
            raise InvalidArxivId(f"not an arXiv id (4-digit numbers end in 1412): {text!r}")
        base = match["new"]
    else:
        month = int(match["oldnum"][2:4])
        if not 1 <= month <= 12:
            raise InvalidArxivId(f"not an arXiv id (month {month:02d}): {text!r}")
        base = match["old"]
    version = int(match["version"]) if match["version"] else None
    return ArxivId(base, version)


def normalize_arxiv_id(text: str) -> str:
    """The versionless id of `text` (raises InvalidArxivId)."""
    return parse_arxiv_id(text).id


def is_arxiv_id(text: str) -> bool:
    try:
        parse_arxiv_id(text)
    except InvalidArxivId:
        return False
    return True


# Paths of the paper URLs accept both id styles: `hep-th/9901001` has a slash.
URL_PATTERN = r"(?P<arxiv_id>\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})"
