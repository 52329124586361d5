"""The hostile-input sweep: every URL pattern the resolver knows (so a new route is swept the
day it is added), every method, odd query parameters, form bodies, JSON bodies and path
values, anonymous and as a staff member. The answer may be anything but a server error.

A pattern this file cannot turn into a URL fails the test by name: give its path parameter a
value in PATH_VALUES. Each request runs inside a savepoint that is rolled back, so requests
do not change what the next one sees (and a database error cannot poison the rest).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, unquote

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

# Each request gives every parameter a different one of these (rotating), so N requests put
# each value into each parameter once.
VALUES = ["\x00", "a\x85b\u2028c\r\nX-Evil: 1", "x" * 3000, "-1", "99999999999999999999", "0001-01-01"]
ROUNDS = 3  # per client: the anonymous one gives each parameter values 0-2, the staff one 3-5
PARAMS = [
    "q",
    "date",
    "week",
    "month",
    "p",
    "page",
    "limit",
    "cursor",
    "sort",
    "next",
    "format",
    "kind",
    "value",
    "category",
    "mode",
    "window",
    "what",
    "subscription",
    "frequency",
    "submitter",
    "email",
    "o",
    "e",
    "has_code",
    "from",
    "until",
    "author",
    "id",
]
FIELDS = [
    "email",
    "frequency",
    "kind",
    "value",
    "body",
    "next",
    "name",
    "login",
    "password",
    "password1",
    "password2",
    "username",
    "arxiv_id",
    "q",
    "parent_id",
    "everything",
    "bio",
    "reason",
    "action",
    "_selected_action",
    "code",
    "key",
    "token",
    "type",
    "detail",
    "remember",
    "oldpassword",
    "title",
]
JSON_BODIES = [
    b"[" * 5000 + b"]" * 5000,
    b"\xff\xfe not utf-8",
    b'{"email": 12, "body": ["x"], "kind": null, "value": {"a": 1}, "arxiv_id": 1e999, "frequency": true}',
    b"null",
]
PATH_BAD = ["\x00", "a\x85b", "9" * 30]


def _fill_route(route: str, values: dict) -> str | None:
    def value(match):
        name = match.group(2)
        return quote(str(values[name]), safe="/") if name in values else "\x01"

    url = re.sub(r"<(?:(\w+):)?(\w+)>", value, route)
    return None if "\x01" in url else url


def _fill_regex(regex: str, values: dict) -> str | None:
    """A URL for a regex pattern: each named group becomes its value, the few other regex
    pieces our routes and Django's use are resolved; anything else gives None."""
    out, at, missing = [], 0, []
    while (start := regex.find("(?P<", at)) >= 0:
        name = regex[start + 4 : regex.index(">", start)]
        depth, end = 0, start
        while True:  # the group's closing parenthesis, skipping escaped ones
            char = regex[end]
            if char == "\\":
                end += 2
                continue
            depth += {"(": 1, ")": -1}.get(char, 0)
            end += 1
            if depth == 0:
                break
        out.append(regex[at:start])
        if name in values:
            out.append("\x02" + quote(str(values[name]), safe="/") + "\x03")
        else:
            missing.append(name)
        at = end
    out.append(regex[at:])
    text = "".join(out).replace("^", "").replace("$", "").replace("\\Z", "")
    text = text.replace("(?:v\\d+)?", "").replace("/?", "/").replace("\\.", ".").replace("\\-", "-")
    plain = re.sub("\x02[^\x03]*\x03", "", text)
    if missing or re.search(r"[\\()\[\]?*+|{}]", plain):
        return None
    return text.replace("\x02", "").replace("\x03", "")


def all_patterns():
    """(route text with prefixes, URLPattern) for every view the resolver can reach."""
    found = []

    def walk(resolver, prefix):
        for entry in resolver.url_patterns:
            text = prefix + (entry.pattern._route if hasattr(entry.pattern, "_route") else entry.pattern._regex)
            if isinstance(entry, URLResolver):
                walk(entry, text if hasattr(entry.pattern, "_route") else prefix + entry.pattern._regex.strip("^$"))
            else:
                found.append((text, entry))

    walk(get_resolver(), "")
    return found


def _url_of(text: str, values: dict) -> str | None:
    regex_like = "^" in text or "(?P<" in text or text.endswith("$")
    url = _fill_regex(text, values) if regex_like else _fill_route(text, values)
    return None if url is None else "/" + url


@pytest.fixture
def sweep_world(victim, attacker, papers, victim_comment, victim_token, victim_subscription, settings):
    from dailypapers.api.feeds import for_you_token
    from dailypapers.digest import subscriptions

    settings.EXPENSIVE_RATE = settings.API_RATE_LIMIT_ANONYMOUS = settings.API_RATE_LIMIT_MEMBER = ""
    settings.MAILS_PER_CLIENT = settings.MAIL_BUDGET = ""
    settings.ACCOUNT_RATE_LIMITS = False
    settings.DIGEST_BOUNCE_WEBHOOK_SECRET = "sweep-secret"
    victim.is_staff = victim.is_superuser = True
    victim.save(update_fields=["is_staff", "is_superuser"])
    token_row, _ = victim_token
    from dailypapers.library.collections import add_paper

    saved = add_paper(user=victim, paper=papers[0])  # the victim's "Saved for later"
    from dailypapers.alerts.hooks import add_webhook
    from dailypapers.alerts.saved import save_search

    search = save_search(user=victim, params={"q": "victim words"}, name="The victim's search")
    hook = add_webhook(search, url="https://hooks.example.org/victim")
    from dailypapers.catalog.models import Author
    from dailypapers.community.orgs import create_organisation

    Author.objects.filter(name="Ada Lovelace").update(slug="ada-lovelace")
    create_organisation(name="Ada Lovelace", creator=victim)  # /orgs/ada-lovelace, as the author's slug
    return {
        "arxiv_id": papers[0].arxiv_id,
        "pk": victim_comment.pk,
        "token": subscriptions.link_token(victim_subscription),
        "token_id": token_row.pk,
        "category": "cs.LG",
        "name": "Ada Lovelace",
        "username": "victim",
        "key": "date",
        "value": "2026-06-30",
        "text": "arXiv:2606.00001",
        "subscription_id": victim_subscription.pk,
        "object_id": "1",
        "app_label": "catalog",
        "content_type_id": "1",
        "id": "1",
        "for_you": for_you_token(victim),
        "uidb36": "1",
        "url": "x",
        "collection_id": saved.collection_id,
        "paper_pk": papers[0].pk,
        "slug": "ada-lovelace",
        "saved_search_id": search.pk,
        "webhook_id": hook.pk,
        "hook_id": hook.pk,
        "action": "rename",
        "keyword": "language models",
    }


def _requests(url: str, *, staff: bool, is_admin: bool, path_is_hostile: bool):
    """(method, url, kwargs) for one URL and client: each parameter and form field gets
    ROUNDS of the VALUES (a different one per parameter in each request, so the first refusal
    does not hide the rest), odd JSON bodies, the other methods. One request for a hostile
    path (its own value is the test; GET anonymous, POST as staff) and fewer for Django's own
    admin pages."""
    if path_is_hostile:
        yield ("post", url, {"data": {name: VALUES[0] for name in FIELDS}}) if staff else ("get", url, {})
        return
    offset = ROUNDS if staff else 0
    for number in range(offset, offset + (1 if is_admin else ROUNDS)):
        query = {name: VALUES[(number + index) % len(VALUES)] for index, name in enumerate(PARAMS)}
        form = {name: VALUES[(number + index) % len(VALUES)] for index, name in enumerate(FIELDS)}
        yield "get", url, {"data": query}
        yield "post", url, {"data": form}
    for body in JSON_BODIES[:1] if is_admin else JSON_BODIES[staff::2]:
        yield "post", url, {"data": body, "content_type": "application/json"}
    if staff and not is_admin:
        for method in ("put", "patch", "delete"):
            yield method, url, {"data": JSON_BODIES[2], "content_type": "application/json"}


@pytest.fixture
def quiet_request_log():
    """Thousands of 4xx answers would each log a warning line."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


def test_every_route_answers_hostile_input_without_a_server_error(sweep_world, victim, quiet_request_log):
    unswept, failures, sent = [], [], 0
    anonymous, staff = Client(HTTP_X_WEBHOOK_SECRET="sweep-secret"), Client(HTTP_X_WEBHOOK_SECRET="sweep-secret")
    for text, pattern in all_patterns():
        values = dict(sweep_world)
        if "for-you" in text:
            values["token"] = sweep_world["for_you"]
        url = _url_of(text, values)
        if url is None or not _same_view(url, pattern):
            unswept.append(text)
            continue
        is_admin = url.startswith("/admin/") and not url.startswith("/admin/dashboard")
        targets = [url]
        if not is_admin and values is not None:
            for bad in PATH_BAD:  # the path's own parameters, hostile
                bad_url = _url_of(text, {name: bad for name in values})
                if bad_url and bad_url != url:
                    targets.append(bad_url)
        for who, client in (("anonymous", anonymous), ("staff", staff)):
            if is_admin and who == "anonymous":
                continue
            if who == "staff" and "sessionid" not in client.cookies:
                client.force_login(victim)
            for target_number, target in enumerate(targets):
                for method, target_url, kwargs in _requests(
                    target, staff=who == "staff", is_admin=is_admin, path_is_hostile=target_number > 0
                ):
                    sent += 1
                    savepoint = transaction.savepoint()
                    try:
                        status = getattr(client, method)(target_url, **kwargs).status_code
                        if status >= 500 and status != 503:
                            failures.append(f"{who} {method.upper()} {target_url!r}: {status}")
                    except Exception as exc:  # noqa: BLE001  (every exception is a 500 to the visitor)
                        failures.append(
                            f"{who} {method.upper()} {target_url!r} {kwargs.get('data')!r:.120}: "
                            f"{type(exc).__name__}: {str(exc)[:200]}"
                        )
                    finally:
                        transaction.savepoint_rollback(savepoint)
    print(
        f"hostile sweep: {sent} requests to {len(all_patterns()) - len(unswept)} patterns, "
        f"{len(failures)} server errors"
    )
    assert not unswept, f"patterns the sweep cannot build a URL for: {unswept}"
    assert not failures, "\n".join(failures[:40])


def _same_view(url: str, pattern: URLPattern) -> bool:
    try:
        match = resolve(unquote(url))
    except Resolver404:
        return False
    if match.func is pattern.callback:
        return True
    return getattr(match.func, "__name__", None) == getattr(pattern.callback, "__name__", "?") or match.route == str(
        pattern.pattern
    )
