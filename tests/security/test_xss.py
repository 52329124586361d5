"""Stored and reflected XSS: hostile text in every place a visitor can put text, rendered
into every page that shows it. Each page is parsed with an HTML parser and compared with the
same page rendered from harmless text: the hostile one must not contain a single extra
script, active element, event handler or script URL."""

from __future__ import annotations

import datetime as dt

import lxml.etree
import pytest

from tests.community.xss_vectors import XSS_VECTORS
from tests.factories import make_paper
from tests.security.conftest import csrf_client
from tests.security.html_checks import assert_no_new_executable_parts, executable_parts

# Attribute and context breakers on top of the comment vectors: quotes, tags closing the
# element a value lands in, template and htmx syntax.
BREAKERS = [
    '"><script>alert(31337)</script>',
    "'><img src=x onerror=alert(31337)>",
    "</title><script>alert(31337)</script>",
    "</textarea><script>alert(31337)</script>",
    '" autofocus onfocus="alert(31337)',
    "' hx-on:click='alert(31337)",
    '" hx-get="/settings/tokens" hx-trigger="load',
    "{{ 7*7 }}{% debug %}<script>alert(31337)</script>",
    "javascript:alert(31337)",
    "<scr<script>ipt>alert(31337)</script>",
    "%3Cscript%3Ealert(31337)%3C/script%3E",
]
PAYLOADS = BREAKERS + XSS_VECTORS[:20]
HARMLESS = "harmless words"


def test_the_check_sees_live_markup():
    page = "<html><body><p>x</p></body></html>"
    assert not executable_parts(page)
    for live in (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href=" javascript:alert(1)">x</a>',
        '<div hx-on:click="alert(1)">x</div>',
        "<iframe src=//evil.example></iframe>",
    ):
        assert executable_parts(page.replace("<p>x</p>", live)), live


REFLECTED = [
    "/search?mode=keyword&q={}",
    "/search?mode=keyword&q=attention&category={}",
    "/search?mode=keyword&q=attention&from={}&to={}",
    "/search?mode=keyword&q=attention&sort={}",
    "/search?mode={}&q=attention",
    "/search?like={}",
    "/papers?date={}",
    "/papers?week={}",
    "/papers?month={}",
    "/papers?category={}",
    "/papers?date=2026-06-30&page={}",
    "/papers/trending?window={}",
    "/subscribe?kind=topic&value={}",
    "/subscribe?frequency={}&kind={}",
    "/members/{}",
    "/papers/{}",
    "/no-such-page/{}",
]


@pytest.mark.parametrize("template", REFLECTED)
def test_reflected_inputs_are_inert(client, papers, template):
    from urllib.parse import quote

    harmless = client.get(template.format(*[quote(HARMLESS)] * template.count("{}")))
    # A hostile query can match papers the harmless words do not ("<script>alert(1)</script>"
    # finds "paper 1"), and every result card has a vote form: a search listing every paper is
    # harmless too.
    every_paper = [client.get("/search?mode=keyword&q=attention").content] if template.startswith("/search") else []
    for payload in PAYLOADS:
        response = client.get(template.format(*[quote(payload, safe="")] * template.count("{}")))
        assert response.status_code < 500, (template, payload, response.status_code)
        if "html" in response.get("Content-Type", ""):
            assert_no_new_executable_parts(response.content, harmless.content, f"{template} {payload!r}", *every_paper)


@pytest.mark.parametrize(
    "template, target",
    [
        ("/search?mode=keyword&q={}", "search-results"),
        ("/search?mode=keyword&q=attention&category={}", "search-results"),
        ("/papers?date=2026-06-30&page=2&category={}", "feed"),
        ("/papers/2606.00001/similar?q={}", "similar"),
    ],
)
def test_htmx_fragments_are_inert(client, papers, template, target):
    """htmx requests get fragments from their own templates; they reflect input too."""
    from urllib.parse import quote

    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": target}
    harmless = client.get(template.format(quote(HARMLESS)), **headers)
    # As above: a hostile query may match more papers, each card with its vote form.
    every_paper = (
        [client.get("/search?mode=keyword&q=attention", **headers).content] if target == "search-results" else []
    )
    for payload in PAYLOADS:
        response = client.get(template.format(quote(payload, safe="")), **headers)
        assert response.status_code < 500, (template, payload, response.status_code)
        assert_no_new_executable_parts(response.content, harmless.content, f"htmx {template} {payload!r}", *every_paper)


@pytest.mark.parametrize(
    "feed", ["/feeds/search.rss?q={}", "/feeds/search.atom?q={}", "/feeds/category/{}.rss", "/feeds/author/{}.atom"]
)
def test_feed_inputs_stay_text(client, papers, feed):
    """Feeds are XML: a payload must not break the document or add elements."""
    from urllib.parse import quote

    for payload in PAYLOADS + ["]]><script>alert(31337)</script>", "\x00\x01\x0b"]:
        response = client.get(feed.format(quote(payload, safe="")))
        assert response.status_code in (200, 400, 404), (feed, payload, response.status_code)
        if response.status_code == 200:
            root = lxml.etree.fromstring(response.content)
            assert not root.xpath("//*[local-name()='script' or local-name()='img' or local-name()='iframe']"), (
                feed,
                payload,
            )


def _comment_on(client, paper, body):
    return client.post(f"/papers/{paper.arxiv_id}/comments", {"body": body})


def test_stored_comment_payloads_are_inert_everywhere(client, victim, attacker, paper):
    """The attacker's comments, then the pages other people see them on."""
    from dailypapers.community.models import Comment

    client.force_login(attacker)
    _comment_on(client, paper, HARMLESS)
    pages = [f"/papers/{paper.arxiv_id}/comments", f"/papers/{paper.arxiv_id}", "/members/attacker"]
    viewer = csrf_client(victim)
    harmless = {page: viewer.get(page).content for page in pages}
    for payload in PAYLOADS:
        Comment.objects.filter(user=attacker).delete()  # the rate limit counts recent comments
        from django.core.cache import cache

        cache.clear()
        response = _comment_on(client, paper, payload)
        assert response.status_code in (302, 400), (payload, response.status_code)
        for page in pages:
            shown = viewer.get(page)
            assert shown.status_code == 200
            assert_no_new_executable_parts(shown.content, harmless[page], f"{page} {payload!r}")
        api = client.get(f"/api/v1/comments/{paper.arxiv_id}")
        assert api.status_code == 200 and api["Content-Type"].startswith("application/json")


def test_stored_comment_edit_payloads_are_inert(client, attacker, paper):
    client.force_login(attacker)
    _comment_on(client, paper, HARMLESS)
    from dailypapers.community.models import Comment

    comment = Comment.objects.get(user=attacker)
    harmless = client.get(f"/comments/{comment.pk}/edit").content
    for payload in BREAKERS:
        client.post(f"/comments/{comment.pk}/edit", {"body": payload})
        for page in (f"/comments/{comment.pk}/edit", f"/papers/{paper.arxiv_id}/comments"):
            assert_no_new_executable_parts(
                client.get(page).content, harmless if "edit" in page else client.get(page).content, page
            )


def test_submission_comment_is_inert_on_profile_and_paper(client, attacker, db):
    today = dt.date.today()
    client.force_login(attacker)
    baseline_paper = make_paper(arxiv_id=f"{today:%y%m}.90001", day=today, featured=False)
    client.post("/papers/submit", {"arxiv_id": baseline_paper.arxiv_id, "comment": HARMLESS})
    harmless = {
        "profile": client.get("/members/attacker").content,
        "paper": client.get(f"/papers/{baseline_paper.arxiv_id}").content,
    }
    for n, payload in enumerate(BREAKERS[:5], start=2):
        target = make_paper(arxiv_id=f"{today:%y%m}.9000{n}", day=today, featured=False)
        response = client.post("/papers/submit", {"arxiv_id": target.arxiv_id, "comment": payload})
        assert response.status_code in (302, 400, 403, 429), response.status_code  # 429: the daily cap
        assert_no_new_executable_parts(
            client.get("/members/attacker").content, harmless["profile"], f"profile {payload!r}"
        )
        assert_no_new_executable_parts(
            client.get(f"/papers/{target.arxiv_id}").content, harmless["paper"], f"paper {payload!r}"
        )


def test_submit_form_reflects_hostile_id_inertly(client, attacker, db):
    client.force_login(attacker)
    harmless = client.post("/papers/submit", {"arxiv_id": HARMLESS, "comment": HARMLESS}).content
    for payload in PAYLOADS:
        response = client.post("/papers/submit", {"arxiv_id": payload, "comment": payload})
        assert response.status_code == 400
        assert_no_new_executable_parts(response.content, harmless, repr(payload))


def test_subscription_value_is_inert_on_forms_manage_page_and_email(client, victim, settings, mailoutbox):
    from dailypapers.digest import subscriptions
    from dailypapers.digest.models import Subscription

    harmless = client.post(
        "/subscribe", {"email": "bad", "frequency": "daily", "kind": "topic", "value": HARMLESS}
    ).content
    for payload in BREAKERS:
        refused = client.post("/subscribe", {"email": payload, "frequency": payload, "kind": "topic", "value": payload})
        assert refused.status_code == 400
        assert_no_new_executable_parts(refused.content, harmless, f"subscribe form {payload!r}")
    subscription = Subscription.objects.create(
        email="reader@example.org", kind=Subscription.TOPIC, value=HARMLESS, status=Subscription.ACTIVE
    )
    url = f"/subscriptions/{subscriptions.link_token(subscription)}"
    harmless_manage = client.get(url).content
    for payload in BREAKERS:
        Subscription.objects.filter(pk=subscription.pk).update(value=payload)
        assert_no_new_executable_parts(client.get(url).content, harmless_manage, f"manage {payload!r}")
        posted = client.post(url, {"frequency": "daily", "kind": "topic", "value": payload})
        assert posted.status_code in (200, 400)
        assert_no_new_executable_parts(posted.content, harmless_manage, f"manage post {payload!r}")


def test_follow_value_and_token_name_are_inert(client, victim):
    """Each follow and token row brings its own form, so each hostile page is compared with
    the page holding the same rows made from harmless text."""
    from dailypapers.api.models import AccessToken
    from dailypapers.community.models import Follow

    client.force_login(victim)
    pages = ("/members/victim", "/for-you", "/settings/tokens")

    def snapshot(value):
        Follow.objects.filter(user=victim).delete()
        AccessToken.objects.filter(user=victim).delete()
        client.post("/follow", {"kind": "topic", "value": value})
        client.post("/follow", {"kind": "author", "value": value})
        client.post("/settings/tokens", {"name": value})
        responses = {page: client.get(page) for page in pages}
        assert all(r.status_code == 200 for r in responses.values())
        return {page: r.content for page, r in responses.items()}

    for payload in BREAKERS[:6]:
        harmless = snapshot(HARMLESS)
        hostile = snapshot(payload)
        for page in pages:
            assert_no_new_executable_parts(hostile[page], harmless[page], f"{page} {payload!r}")


def test_digest_preview_with_hostile_topic_is_inert(client, db, settings):
    from urllib.parse import quote

    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_user("staff", "staff@example.org", "pw", is_staff=True)
    client.force_login(staff)
    harmless = client.get(f"/digest/preview?what=topic&value={quote(HARMLESS)}").content
    for payload in BREAKERS:
        response = client.get(f"/digest/preview?what=topic&value={quote(payload, safe='')}")
        assert response.status_code in (200, 400)
        assert_no_new_executable_parts(response.content, harmless, repr(payload))


def test_hostile_paper_metadata_is_inert_on_every_page(client, db):
    """arXiv metadata is written by authors, so it is untrusted too: title, abstract, authors,
    comment, journal reference, and the code/project links the ingest extracts from them
    (`extract_links`, which only takes http(s) URLs), shown on the feed, paper, search,
    trending and member pages and in the feeds."""
    from dailypapers.catalog.links import extract_links
    from dailypapers.community.votes import cast_vote
    from tests.security.conftest import _member

    def paper_with(text: str, number: int):
        abstract = (
            f"Attention {text} Code: https://github.com/example/r{text} project page: https://example.github.io/{text}"
        )
        code_url, project_url = extract_links(abstract, text)
        return make_paper(
            arxiv_id=f"2606.{number:05d}",
            day=dt.date(2026, 6, 30),
            title=f"Attention {text}",
            abstract=abstract,
            authors=(f"Ada {text}"[:200], "Alan Turing"),
            comment=text,
            journal_ref=text[:250],
            code_url=code_url,
            project_url=project_url,
        )

    voter = _member("voter")

    def pages(paper):
        return [
            "/",
            "/papers?date=2026-06-30",
            f"/papers/{paper.arxiv_id}",
            "/search?mode=keyword&q=attention",
            "/papers/trending",
            f"/papers/{paper.arxiv_id}/comments",
            "/members/voter",
        ]

    harmless = paper_with(HARMLESS.replace(" ", "-"), 90001)
    cast_vote(user=voter, paper_id=harmless.pk, up=True)
    before = {page: client.get(page).content for page in pages(harmless)}
    harmless_pages = pages(harmless)
    harmless.delete()
    for n, payload in enumerate(
        BREAKERS + ['x"onmouseover="alert(31337)', "x'><svg/onload=alert(31337)>"], start=90002
    ):
        hostile = paper_with(payload, n)
        assert hostile.code_url.startswith("https://")
        cast_vote(user=voter, paper_id=hostile.pk, up=True)
        for page_now, page_before in zip(pages(hostile), harmless_pages, strict=False):
            response = client.get(page_now)
            assert response.status_code == 200, page_now
            assert_no_new_executable_parts(response.content, before[page_before], f"{page_now} {payload!r}")
        for feed in ("/feeds/daily.rss", "/feeds/trending.atom"):
            root = lxml.etree.fromstring(client.get(feed).content)
            assert not root.xpath("//*[local-name()='script']")
        hostile.delete()
