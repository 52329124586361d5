"""Layering (DESIGN.md) in templates: a lower app's template never includes a higher app's
(catalog is the bottom; web composes everything). Templates of any app may extend the page
frame (`base.html`) and use its shared components in `web/` (the paper card), as every page
sits inside the frame. Python imports are the import-linter contract's job."""

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "dailypapers"
ALLOWED = {
    "catalog": set(),
    "ingest": {"catalog"},
    "search": {"catalog"},
    "library": {"catalog"},
    "community": {"catalog", "search", "library"},
    "alerts": {"catalog", "community", "search", "library", "ingest"},
    "digest": {"catalog", "community", "search", "library", "alerts"},
    "api": {"catalog", "community", "search", "digest", "ingest", "library", "alerts"},
}
FRAME = {
    "base.html",
    "web/_paper_card.html",
    "web/_follow_button.html",
    "web/_save_search_button.html",
    "web/_author_links.html",
}
TEMPLATE_USE = re.compile(r"""\{%\s*(?:include|extends)\s+["']([^"']+)["']""")
TAG_LIBRARIES = re.compile(r"\{%\s*load\s+([\w ]+?)\s*%\}")
# Our template tag libraries and the app that owns each.
LIBRARY_OWNERS = {"community": "community", "cards": "web", "library_actions": "web", "alerts": "alerts"}
# Template names of the allauth and admin overrides are not ours; they name no app of ours.
OUR_APPS = set(ALLOWED) | {"web", "ops"}


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_templates_use_only_lower_apps_and_the_frame(app):
    reaching_up = []
    for path in (PACKAGE / app / "templates").rglob("*.html"):
        for name in TEMPLATE_USE.findall(path.read_text()):
            owner = name.split("/")[0]
            if name not in FRAME and owner in OUR_APPS - {app} - ALLOWED[app]:
                reaching_up.append(f"{path.relative_to(PACKAGE)} uses {name}")
        for libraries in TAG_LIBRARIES.findall(path.read_text()):
            for library in libraries.split():
                if LIBRARY_OWNERS.get(library) in OUR_APPS - {app} - ALLOWED[app]:
                    reaching_up.append(f"{path.relative_to(PACKAGE)} loads {library}")
    assert not reaching_up
