"""The page frame: favicon, footer links to the API reference, the API reference itself, and
the header's words matching the pages they open."""

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_is_linked_and_served(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/web/favicon.svg" type="image/svg+xml">' in html
    icon = client.get("/static/web/favicon.svg")
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content if icon.streaming else [icon.content])
    legacy = client.get("/favicon.ico")  # browsers ask for it whatever the page links
    assert legacy.status_code == 301 and legacy["Location"] == "/static/web/favicon.svg"


def test_footer_links_the_api_reference_and_schema(client):
    html = client.get("/papers/trending").content.decode()
    footer = html[html.index("<footer") :]
    assert 'href="/api/docs">API</a>' in footer and 'href="/api/openapi.json"' in footer


def test_api_reference_lists_every_operation_without_swagger(client):
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200 and "swagger-ui-bundle" not in html
    schema = client.get("/api/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"{method.upper()}</span> <code>{path}</code>" in html, (method, path)
    assert "Daily papers (HF-compatible)" in html and "needs a token or a signed-in session" in html
    assert 'href="/api/openapi.json"' in html and 'href="/api/swagger"' in html
    assert len(response.content) < 100_000  # the Swagger page pulled 1.5 MB before it showed anything


def test_header_says_sign_in_like_the_page_it_opens(client):
    html = client.get("/").content.decode()
    assert ">Sign in</a>" in html and "Log in" not in html
    assert "Sign In" in client.get("/accounts/login/").content.decode()
