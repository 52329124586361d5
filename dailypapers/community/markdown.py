"""Comment Markdown to safe HTML: markdown-it-py (CommonMark, raw HTML off) then nh3 (ammonia).

Two layers on purpose: the parser never emits raw HTML from the input and refuses
`javascript:`/`vbscript:`/`data:` link targets; the sanitiser then allows only the tags and
attributes below, only http(s)/mailto URLs, and adds rel="nofollow ugc noopener noreferrer".
Images are shown as links, never loaded: an image in a comment would let its author track
every reader (the safe image policy).
"""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _image_as_link(self, tokens, idx, options, env):
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = "".join(child.content for child in (token.children or [])) or src
    return f'<a href="{html.escape(src, quote=True)}">[image: {html.escape(alt)}]</a>'


def _heading_down(self, tokens, idx, options, env):
    # Comment headings start at h3 so they never outrank the page's own headings.
    token = tokens[idx]
    level = min(int(token.tag[1]) + 2, 6)
    return f"<h{level}>" if token.type == "heading_open" else f"</h{level}>\n"


_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("strikethrough")
_md.add_render_rule("image", _image_as_link)
_md.add_render_rule("heading_open", _heading_down)
_md.add_render_rule("heading_close", _heading_down)


def render_markdown(text: str) -> str:
    return nh3.clean(
        _md.render(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener noreferrer",
        strip_comments=True,
    )
