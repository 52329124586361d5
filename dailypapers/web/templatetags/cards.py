"""Filters the paper card (web/_paper_card.html) needs to take a Paper or the catalogue's paper
dict alike: lists built from the feed hold dicts, community and search lists hold Papers."""

from __future__ import annotations

from django import template

from dailypapers.catalog.text import abstract_preview

register = template.Library()


@register.filter
def preview(paper) -> str:
    """Two lines' worth of the abstract as plain text (catalog.text.abstract_preview)."""
    if isinstance(paper, dict):
        return paper.get("abstract_preview") or abstract_preview(paper.get("abstract", ""))
    return abstract_preview(paper.abstract)
