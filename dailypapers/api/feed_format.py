"""What our RSS 2.0 and Atom documents add to Django's feed generators: one author element
per author (in Atom with the author page as `<uri>`), and RFC 5005 archive links between the days of the daily feed.

Django writes a single author per item (one `<author>` holding every name, which a reader
shows as one person). Atom allows any number of `<author>` elements (RFC 4287 §4.1.2) and
RSS readers read repeated Dublin Core `<dc:creator>` elements as a list. RFC 5005 ("Feed
Paging and Archiving") lets a reader walk back through older days: `prev-archive` and
`next-archive` link the day documents, `current` points at the subscription feed, and
`<fh:archive/>` marks a day that is complete.

Text goes out as written: abstracts are escaped for the HTML both formats' descriptions carry
(`xml_text`, `html_text`), so "control tokens <THINK>" reaches the reader as that text.
"""

from __future__ import annotations

import re

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
FEED_HISTORY = "http://purl.org/syndication/history/1.0"  # RFC 5005
ARCHIVE_RELS = ("current", "prev-archive", "next-archive")

# XML 1.0 forbids most control characters; arXiv metadata has carried form feeds.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` on one line, without characters XML 1.0 cannot carry."""
    return _XML_INVALID.sub("", " ".join((text or "").split()))


def html_text(text: str) -> str:
    """`text` as HTML showing exactly that text: RSS descriptions and Atom `type="html"`
    summaries are HTML, so a bare `<THINK>` would be read as a tag and dropped."""
    return escape(xml_text(text))


class PaperRss(Rss201rev2Feed):
    """RSS 2.0 with a `<dc:creator>` per author and RFC 5005 links as `<atom:link>`."""

    def rss_attributes(self):
        attributes = {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}
        if self.feed.get("archive_links"):
            attributes["xmlns:fh"] = FEED_HISTORY
        return attributes

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for rel, href in self.feed.get("archive_links") or ():
            handler.addQuickElement("atom:link", None, {"rel": rel, "href": href})
        if self.feed.get("is_archive"):
            handler.addQuickElement("fh:archive", None)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item.get("author_names") or ():
            handler.addQuickElement("dc:creator", name)


class PaperAtom(Atom1Feed):
    """Atom with an `<author>` per author and RFC 5005 links."""

    def root_attributes(self):
        attributes = super().root_attributes()
        if self.feed.get("archive_links"):
            attributes["xmlns:fh"] = FEED_HISTORY
        return attributes

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for rel, href in self.feed.get("archive_links") or ():
            handler.addQuickElement("link", None, {"rel": rel, "href": href})
        if self.feed.get("is_archive"):
            handler.addQuickElement("fh:archive", None)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        uris = item.get("author_uris") or ()
        for index, name in enumerate(item.get("author_names") or ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if index < len(uris) and uris[index]:
                handler.addQuickElement("uri", uris[index])  # the author's page here
            handler.endElement("author")
