"""CSRF: every state-changing request of a logged-in browser needs the CSRF token.

Each endpoint is posted twice by the victim's own session: without the token it must be
refused with Django's CSRF 403 and change nothing; with the token the same request must get
past the check (which proves the refusal came from CSRF, not from something else). A guard
test walks the URL configuration so that a new route cannot join the site unclassified.
The one deliberate exception is RFC 8058 one-click unsubscribe, which mail clients POST
without any token.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from dailypapers.community.models import AuthorClaim, Comment, Organisation, OrganisationMembership, Vote
from tests.security.conftest import csrf_client, csrf_token_of

# (id, method, url template, form data, "did it change?" check).
ENDPOINTS = [
    ("upvote", "post", "/papers/{arxiv}/upvote", {}, lambda ctx: Vote.objects.filter(user=ctx["victim"]).exists()),
    ("unvote", "post", "/papers/{arxiv}/unvote", {}, None),
    ("submit", "post", "/papers/submit", {"arxiv_id": "2606.00002", "comment": "x"}, None),
    (
        "comment",
        "post",
        "/papers/{arxiv}/comments",
        {"body": "forged comment"},
        lambda ctx: Comment.objects.filter(body="forged comment").exists(),
    ),
    (
        "comment-edit",
        "post",
        "/comments/{comment}/edit",
        {"body": "forged edit"},
        lambda ctx: Comment.objects.filter(body="forged edit").exists(),
    ),
    (
        "comment-delete",
        "post",
        "/comments/{comment}/delete",
        {},
        lambda ctx: Comment.objects.filter(pk=ctx["comment"], deleted=True).exists(),
    ),
    ("comment-report", "post", "/comments/{comment}/report", {"reason": "spam"}, None),
    ("follow", "post", "/follow", {"kind": "category", "value": "cs.LG"}, None),
    ("unfollow", "post", "/unfollow", {"kind": "category", "value": "cs.LG"}, None),
    (
        "subscribe",
        "post",
        "/subscribe",
        {"email": "victim@example.org", "frequency": "daily", "kind": "trending", "value": ""},
        None,
    ),
    ("subscription-confirm", "post", "/subscribe/confirm/{confirm_token}", {}, None),
    (
        "subscription-manage",
        "post",
        "/subscriptions/{link_token}",
        {"frequency": "weekly", "kind": "trending", "value": ""},
        lambda ctx: ctx["subscription"].__class__.objects.get(pk=ctx["subscription"].pk).frequency == "weekly",
    ),
    (
        "token-create",
        "post",
        "/settings/tokens",
        {"name": "forged"},
        lambda ctx: (
            ctx["victim"].access_tokens.filter(name="forged").exists()
            if hasattr(ctx["victim"], "access_tokens")
            else None
        ),
    ),
    ("token-revoke", "post", "/settings/tokens/{token_id}/revoke", {}, None),
    ("logout", "post", "/accounts/logout/", {}, None),
    ("email-add", "post", "/accounts/email/", {"action_add": "", "email": "attacker@example.net"}, None),
    (
        "password-change",
        "post",
        "/accounts/password/change/",
        {"oldpassword": "correct horse battery", "password1": "pwned-pwned-123", "password2": "pwned-pwned-123"},
        None,
    ),
    (
        "claim-author",
        "post",
        "/authors/{author_slug}/claim",
        {},
        None,  # the victim's claim exists already (so that the link and profile posts are theirs to make)
    ),
    (
        "paper-links",
        "post",
        "/papers/{arxiv}/links",
        {"code_url": "https://forged.example.org"},
        lambda ctx: ctx["victim"].paper_link_changes.exists(),
    ),
    ("profile-hide", "post", "/papers/{arxiv}/hide-from-profile", {}, None),
    ("profile-show", "post", "/papers/{arxiv}/show-on-profile", {}, None),
    (
        "org-join",
        "post",
        "/orgs/{org}/join",
        {},
        lambda ctx: OrganisationMembership.objects.filter(user=ctx["victim"], organisation__slug="csrf-lab").exists(),
    ),
    ("org-leave", "post", "/orgs/{org}/leave", {}, None),
    ("org-approve", "post", "/orgs/requests/{membership}/approve", {"role": "admin"}, None),
    ("org-refuse", "post", "/orgs/requests/{membership}/refuse", {}, None),
    (
        "org-new",
        "post",
        "/orgs/new",
        {"name": "Forged Org"},
        lambda ctx: Organisation.objects.filter(name="Forged Org").exists(),
    ),
    (
        "api-upvote",
        "post",
        "/api/v1/upvotes/{arxiv}",
        None,
        lambda ctx: Vote.objects.filter(user=ctx["victim"]).exists(),
    ),
    ("api-unvote", "delete", "/api/v1/upvotes/{arxiv}", None, None),
    ("api-submit", "post", "/api/v1/submissions", {"arxiv_id": "2606.00002"}, None),
    (
        "api-comment",
        "post",
        "/api/v1/comments/{arxiv}",
        {"body": "forged api comment"},
        lambda ctx: Comment.objects.filter(body="forged api comment").exists(),
    ),
    (
        "api-follow",
        "post",
        "/api/v1/me/follows",
        {"kind": "category", "value": "cs.LG"},
        lambda ctx: ctx["victim"].follows.exists() if hasattr(ctx["victim"], "follows") else None,
    ),
    (
        "taste-remove",
        "post",
        "/for-you/taste/{arxiv}/remove",
        {},
        lambda ctx: ctx["victim"].taste_mutes.exists(),
    ),
    ("taste-restore", "post", "/for-you/taste/{arxiv}/restore", {}, None),
    ("api-unfollow", "post", "/api/v1/me/follows/remove", {"kind": "category", "value": "cs.LG"}, None),
    (
        "api-subscribe",
        "post",
        "/api/v1/me/subscriptions",
        {"kind": "category", "frequency": "daily", "value": "cs.LG"},
        None,
    ),
    ("save-search", "post", "/saved-searches/save", {"q": "forged search words"}, None),
    ("saved-search-change", "post", "/saved-searches/{saved_search_id}/rename", {"name": "forged"}, None),
    ("saved-search-hook", "post", "/saved-searches/{saved_search_id}/hooks/{webhook_id}/enable", {}, None),
    ("api-save-search", "post", "/api/v1/me/saved-searches", {"q": "forged search words"}, None),
    ("api-saved-search-rename", "patch", "/api/v1/me/saved-searches/{saved_search_id}", {"name": "forged"}, None),
    ("api-saved-search-delete", "delete", "/api/v1/me/saved-searches/{saved_search_id}", None, None),
    (
        "api-saved-search-hook",
        "post",
        "/api/v1/me/saved-searches/{saved_search_id}/webhooks",
        {"url": "https://hooks.example.org/forged"},
        None,
    ),
    (
        "api-saved-search-unhook",
        "delete",
        "/api/v1/me/saved-searches/{saved_search_id}/webhooks/{webhook_id}",
        None,
        None,
    ),
    (
        "api-unsubscribe",
        "delete",
        "/api/v1/me/subscriptions/{subscription_id}",
        None,
        lambda ctx: ctx["subscription"].__class__.objects.get(pk=ctx["subscription"].pk).status != "active",
    ),
]

# Routes that change nothing on GET and take no unsafe method, or that are checked above,
# or that authenticate by something other than the session (signed link, shared secret).
READ_ONLY = {
    "web:home",
    "web:api_docs",
    "web:favicon",
    "web:digests",
    "web:orgs",
    "web:org",
    "catalog:feed",
    "catalog:period",
    "catalog:paper",
    "catalog:paper_redirect",
    "community:trending",
    "community:about_ranking",
    "community:profile",
    "community:for_you",
    "community:taste",
    "community:digest_open",  # a signed link (opens.py): records an open only with the member's token
    "search:search",
    "search:similar",
    "digest:preview",
    "ops:healthz",
    "ops:readyz",
    "ops:metrics",
    "ops:dashboard",
    "api:paper-markdown",
    "api:paper-bibtex",
    "api:search-bibtex",
    "api:upvotes-bibtex",
    "api:collection-bibtex",
    "web:collection",
    "alerts:index",
    "alerts:detail",
    "web:topic",
    "web:author",
    "api:author-bibtex",
}
COVERED = {
    "community:upvote",
    "community:unvote",
    "community:submit",
    "community:discussion",
    "community:comment_edit",
    "community:comment_delete",
    "community:comment_report",
    "community:follow",
    "community:unfollow",
    "community:claim_author",
    "community:paper_links",
    "community:profile_hide",
    "community:profile_show",
    "community:org_join",
    "community:org_leave",
    "community:org_approve",
    "community:org_refuse",
    "community:org_new",
    "community:taste_remove",
    "community:taste_restore",
    "digest:subscribe",
    "digest:confirm",
    "digest:manage",
    "api:tokens",
    "api:token-revoke",
    "digest:unsubscribe",  # RFC 8058: tested below to work WITHOUT a token
    "digest:bounce_webhook",  # shared secret, tested in tests/digest and below
    "web:library-save",
    "web:library-state",
    "web:collections",
    "web:collection-edit",
    "web:collection-delete",
    "web:collection-item",
    "web:collection-import",
    "alerts:save",
    "alerts:change",
    "alerts:change-hook",
}


@pytest.fixture
def victim_collection(victim, paper):
    from dailypapers.library.collections import add_paper, create_collection

    collection = create_collection(user=victim, name="The victim's collection")
    add_paper(user=victim, paper=paper, collection=collection)
    return collection


def _context(victim, paper, victim_comment, victim_token, victim_subscription, victim_collection) -> dict:
    from django.contrib.auth import get_user_model
    from django.core import signing
    from django.utils import timezone

    from dailypapers.catalog.models import Author
    from dailypapers.digest import subscriptions

    author = paper.authorships.first().author
    author.slug = "csrf-author"
    author.save(update_fields=["slug"])
    # The victim is allowed to do each of these (an honest request must not be a 403, whose page
    # would carry the CSRF header of htmx): the verified author of the paper, an admin of one
    # organisation that has a request to decide, and not a member of another, to join.
    AuthorClaim.objects.create(user=victim, author=author, status="verified", created_at=timezone.now())
    org = Organisation.objects.create(slug="csrf-lab", name="CSRF Lab")
    theirs = Organisation.objects.create(slug="csrf-admin-lab", name="CSRF Admin Lab")
    now = timezone.now()
    OrganisationMembership.objects.create(
        organisation=theirs, user=victim, role="admin", status="approved", created_at=now
    )
    other = get_user_model().objects.create_user("joiner", "joiner@example.org", "a long passphrase 42")
    membership = OrganisationMembership.objects.create(organisation=theirs, user=other, created_at=now)
    assert Author.objects.filter(slug="csrf-author").exists()
    from dailypapers.alerts.hooks import add_webhook
    from dailypapers.alerts.saved import save_search

    saved = save_search(user=victim, params={"q": "victim words"}, name="The victim's search")
    hook = add_webhook(saved, url="https://hooks.example.org/victim")
    return {
        "victim": victim,
        "arxiv": paper.arxiv_id,
        "paper_pk": paper.pk,
        "collection": victim_collection.pk,
        "saved_search_id": saved.pk,
        "webhook_id": hook.pk,
        "author_slug": author.slug,
        "org": org.slug,
        "membership": membership.pk,
        "comment": victim_comment.pk,
        "token_id": victim_token[0].pk,
        "subscription": victim_subscription,
        "subscription_id": victim_subscription.pk,
        "link_token": subscriptions.link_token(victim_subscription),
        "confirm_token": signing.dumps(victim_subscription.token, salt=subscriptions.CONFIRM_SALT),
    }


def _send(client, method, url, data, *, token=None):
    headers = {"HTTP_X_CSRFTOKEN": token} if token else {}
    if url.startswith("/api/"):
        import json

        return getattr(client, method)(
            url, data=json.dumps(data) if data is not None else None, content_type="application/json", **headers
        )
    payload = dict(data or {})
    if token:
        payload["csrfmiddlewaretoken"] = token
    return getattr(client, method)(url, payload)


def _is_csrf_refusal(response) -> bool:
    if response.status_code not in (401, 403):
        return False
    body = response.content.decode(errors="replace")
    return "CSRF" in body or response.status_code == 401 and "/api/" in response.request["PATH_INFO"]


@pytest.mark.parametrize("name, method, template, data, changed", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_session_post_without_csrf_token_is_refused(
    name,
    method,
    template,
    data,
    changed,
    victim,
    paper,
    victim_comment,
    victim_token,
    victim_subscription,
    victim_collection,
):
    ctx = _context(victim, paper, victim_comment, victim_token, victim_subscription, victim_collection)
    url = template.format(**ctx)
    client = csrf_client(victim)

    forged = _send(client, method, url, data)
    assert _is_csrf_refusal(forged), (name, forged.status_code, forged.content[:300])
    if changed is not None:
        assert not changed(ctx), f"{name}: the forged request changed something"

    token = csrf_token_of(client)
    honest = _send(client, method, url, data, token=token)
    assert not _is_csrf_refusal(honest), (name, honest.status_code, honest.content[:300])
    assert honest.status_code < 500


def test_every_route_is_classified():
    """A new route must be added to ENDPOINTS/COVERED (state-changing) or READ_ONLY."""
    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    # allauth's own routes (account_, socialaccount_, mfa_) and Django's admin are CSRF-checked by
    # the same middleware (logout, email and password change are posted above); ninja
    # operations are checked by test_api_write_routes_all_need_auth_and_csrf; feeds are GET only.
    ours = [
        n
        for n in names
        if not n.startswith(("admin:", "account_", "socialaccount_", "mfa_", "api:ninja:", "api:feed-"))
    ]
    unclassified = sorted(set(ours) - READ_ONLY - COVERED)
    assert not unclassified, f"classify these routes in tests/security/test_csrf.py: {unclassified}"


def test_api_write_routes_all_need_auth_and_csrf():
    """Every unsafe ninja operation is in ENDPOINTS (by path and method)."""
    from dailypapers.api.ninja_api import api

    def plain(path: str) -> str:  # "{anytext:arxiv_id}" and our "{arxiv}" both read "{arxiv_id}"
        return re.sub(r"\{(?:\w+:)?(\w+)\}", r"{\1}", path).replace("{arxiv}", "{arxiv_id}")

    tested = {
        (method.upper(), plain(template)) for _, method, template, _, _ in ENDPOINTS if template.startswith("/api/")
    }
    unsafe = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    if method not in ("GET", "HEAD", "OPTIONS"):
                        full = "/api/" + (prefix.strip("/") + "/" if prefix.strip("/") else "") + path.lstrip("/")
                        unsafe.add((method, plain(full)))
    assert unsafe and unsafe <= tested, sorted(unsafe - tested)


def test_one_click_unsubscribe_works_without_csrf(victim_subscription):
    """RFC 8058 §3.1: the mail client POSTs `List-Unsubscribe=One-Click` with no cookie or token."""
    from dailypapers.digest import subscriptions

    client = csrf_client()
    response = client.post(
        f"/unsubscribe/{subscriptions.link_token(victim_subscription)}", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    victim_subscription.refresh_from_db()
    assert victim_subscription.status != victim_subscription.ACTIVE


def test_one_click_unsubscribe_needs_a_valid_signed_token(victim_subscription):
    client = csrf_client()
    forged = victim_subscription.token  # the raw token, unsigned
    assert client.post(f"/unsubscribe/{forged}", {"List-Unsubscribe": "One-Click"}).status_code == 404
    victim_subscription.refresh_from_db()
    assert victim_subscription.status == victim_subscription.ACTIVE


def test_bounce_webhook_refuses_without_the_shared_secret(victim_subscription, settings):
    settings.DIGEST_BOUNCE_WEBHOOK_SECRET = "s3cret-webhook"
    client = csrf_client()
    body = '[{"email": "victim@example.org", "type": "hard"}]'
    assert client.post("/digest/webhook/bounce", body, content_type="application/json").status_code == 403
    assert (
        client.post(
            "/digest/webhook/bounce", body, content_type="application/json", HTTP_X_WEBHOOK_SECRET="wrong"
        ).status_code
        == 403
    )
    victim_subscription.refresh_from_db()
    assert victim_subscription.status == victim_subscription.ACTIVE
