"""The catalogue's own answers to addresses: other spellings of a paper id, and Hugging Face's
path-style period URLs, redirect to the canonical address. The pages themselves (feeds, the
paper page) compose catalogue, community and search data, so they live in `web/`."""

from __future__ import annotations

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.http import urlencode

from .arxiv_ids import InvalidArxivId, parse_arxiv_id


def paper_redirect(request, text: str):
    """`/papers/2503.11731v2`, `/papers/arXiv:2503.11731` → the canonical `/papers/2503.11731`."""
    try:
        parsed = parse_arxiv_id(text)
    except InvalidArxivId:
        raise Http404(f"{text!r} is not an arXiv id.") from None
    return HttpResponsePermanentRedirect(reverse("catalog:paper", kwargs={"arxiv_id": parsed.id}))


def period_redirect(request, key: str, value: str):
    """Hugging Face's path-style URLs (`/papers/date/2026-06-30`) → our query-style ones."""
    return HttpResponsePermanentRedirect(f"{reverse('catalog:feed')}?{urlencode({key: value})}")
