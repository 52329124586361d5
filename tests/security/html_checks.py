"""What a browser would execute in a page, read with an HTML parser (lxml's, which recovers
from broken markup the way browsers do), so a test can compare a page rendered with a
hostile input against the same page rendered with a harmless one."""

from __future__ import annotations

import re
from collections import Counter

import lxml.html

# Elements that run code or change where code comes from, whatever their attributes.
ACTIVE_TAGS = {
    "script",
    "iframe",
    "frame",
    "object",
    "embed",
    "applet",
    "base",
    "meta",
    "link",
    "style",
    "svg",
    "math",
    "form",
    "template",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "srcdoc",
    "xlink:href",
    "poster",
    "background",
    "hx-get",
    "hx-post",
    "hx-put",
    "hx-delete",
    "hx-patch",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


def _origin(value: str) -> str:
    """Where a URL points (scheme and host); '' for a same-site relative URL."""
    value = re.sub(r"[\x00-\x20]", "", value or "").lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*:)?(//[^/?#]*)?", value)
    return "".join(part or "" for part in match.groups()) if match else ""


def executable_parts(html: str | bytes) -> Counter:
    """How many of each (kind, tag, detail) the document holds: scripts and other active
    elements (with their attribute names and where their URLs point, not their text),
    event handlers, htmx behaviour attributes and script-scheme URLs."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    found: Counter = Counter()
    if not html.strip():
        return found
    root = lxml.html.document_fromstring(html)
    for element in root.iter():
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in ACTIVE_TAGS:
            text = (element.text or "").strip() if tag in ("script", "style") else ""
            shape = tuple(
                sorted(
                    (
                        name.lower(),
                        _origin(value)
                        if name.lower() in URL_ATTRIBUTES
                        else (value if name.lower() in ("rel", "http-equiv", "type", "method") else ""),
                    )
                    for name, value in element.attrib.items()
                )
            )
            found[("element", tag, shape, text)] += 1
        for name, value in element.attrib.items():
            name = name.lower()
            if (
                name.startswith("on")
                or name.startswith("hx-on")
                or name in ("hx-vals", "hx-headers", "hx-trigger", "style")
            ):
                found[("handler", tag, name)] += 1
            if name in URL_ATTRIBUTES:
                scheme = re.sub(r"[\x00-\x20]", "", value or "").lower()
                if scheme.startswith(BAD_SCHEMES):
                    found[("script-url", tag, name, value)] += 1
                elif name.startswith("hx-"):
                    found[("htmx-request", tag, name)] += 1
    return found


def assert_no_new_executable_parts(
    hostile: str | bytes, harmless: str | bytes, label: str = "", *more_harmless: str | bytes
) -> None:
    """`more_harmless`: other harmless renderings; the most of each part any of them holds is allowed."""
    allowed = executable_parts(harmless)
    for page in more_harmless:
        allowed |= executable_parts(page)
    added = executable_parts(hostile) - allowed
    assert not added, f"{label}: hostile input made executable markup: {sorted(added)[:5]}"
