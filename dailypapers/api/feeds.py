"""RSS 2.0 and Atom feeds (django.contrib.syndication): the daily feed, trending, a category,
an author (by name, and by author page: variants included), an organisation, a keyword (topic),
a search query, a member's private "for you" feed, and a collection (public, or unlisted with its
`?key=`; library/collections.py decides who may read it). Each Atom entry's authors carry their
author page as `<uri>`.

Each feed class is written once for RSS; its Atom twin only swaps the generator. Every feed
is its own document: its id and `self` link are its own URL, its `alternate` link is the page
showing the same papers. The daily feed is the whole newest day on the feed (166 to 713
papers a day on the 2025-26 arXiv corpus), and `?date=YYYY-MM-DD` any earlier day, linked
day to day by RFC 5005 archive links; the others list the newest settings.FEED_ITEMS papers.
Answers are cached, compressed and answer conditional GETs (`feed_delivery`), and any origin
may read them (`cors`).

The "for you" URL carries a signed member id instead of a login, because feed readers cannot
log in; the signature (SECRET_KEY, own salt) makes the URL unguessable, and the member's feed
key in it lets them retire a leaked URL (settings/tokens, "new feed address").
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.core import signing
from django.db.models import Exists, F, Max, Min, OuterRef
from django.http import Http404, HttpRequest, HttpResponseBadRequest
from django.utils.http import urlencode
from ninja.errors import HttpError

from dailypapers.alerts.saved import by_token, recent_matches
from dailypapers.api.cors import readable_from_any_origin
from dailypapers.api.feed_delivery import compressed, rendered, revalidated
from dailypapers.api.feed_format import PaperAtom, PaperRss, html_text, xml_text
from dailypapers.api.listing import ListingError, daily_papers, parse_window
from dailypapers.api.params import clean_text
from dailypapers.catalog.author_links import AuthorLinks, author_path
from dailypapers.catalog.author_pages import AuthorNotFound, author_papers, find_author
from dailypapers.catalog.feed import Window, latest_feed_day
from dailypapers.catalog.keywords import normalise_keyword, topic_path, with_keyword
from dailypapers.catalog.models import Paper, PaperCategory
from dailypapers.catalog.site import absolute_url, paper_url
from dailypapers.community.foryou import for_you
from dailypapers.community.members import feed_key_of
from dailypapers.community.orgs import organisation, organisation_papers
from dailypapers.community.ranking import trending_papers
from dailypapers.library.collections import CollectionNotFound, collection_papers, viewable_collection
from dailypapers.search.filters import SearchError
from dailypapers.search.service import search_papers

_FOR_YOU_SALT = "dailypapers.api.for-you-feed"


def for_you_token(user) -> str:
    """The signed part of a member's "for you" feed URL: their id and current feed key, so
    rotating the key (settings/tokens) retires every URL given out before."""
    key = feed_key_of(user)
    return signing.Signer(salt=_FOR_YOU_SALT, sep=".").sign(f"{user.pk}-{key}" if key else str(user.pk))


def user_for_feed_token(token: str):
    try:
        signed = signing.Signer(salt=_FOR_YOU_SALT, sep=".").unsign(token)
        pk_text, _, key = signed.partition("-")
        pk = int(pk_text)
    except (signing.BadSignature, ValueError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None or not hmac.compare_digest(key, feed_key_of(user)):
        return None
    return user


class FeedInputError(ValueError):
    """A feed parameter we cannot use; the message names it (answered 400)."""


@dataclass(frozen=True)
class FeedSubject:
    """What one request asks a feed for: the request (for absolute URLs) and the feed's own
    parameter (a category, an author name, a search, a member, a day)."""

    request: HttpRequest
    value: Any = None


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def arxiv_date(paper: Paper) -> dt.datetime:
    """When the paper last changed on arXiv: its latest version, else its first, else its
    listing day. The row's created_at (when we ingested it) only when arXiv gave no date."""
    if paper.updated or paper.published:
        return paper.updated or paper.published
    return _midnight(paper.listing_date) if paper.listing_date else paper.created_at


class PaperFeed(Feed):
    """Common rendering: title, abstract as text, one author element per author, categories,
    our page as link and id; the feed's own URL as its id and self link."""

    feed_type = PaperRss
    description = "Research papers"
    # Atom needs an author for every entry (RFC 4287 §4.1.1); the feed's covers a paper whose
    # source listed none.
    author_name = "dailypapers"

    # False where the papers listed depend on more than the catalogue (a member's "for you").
    shared = True

    def __call__(self, request, *args, **kwargs):
        response = rendered(request, lambda: self.render(request, *args, **kwargs), shared=self.shared)
        return readable_from_any_origin(request, compressed(request, revalidated(request, response)))

    def render(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except FeedInputError as error:
            return HttpResponseBadRequest(f"{error}\n", content_type="text/plain; charset=utf-8")

    def get_object(self, request, *args, **kwargs) -> FeedSubject:
        return FeedSubject(request, self.subject(request, **kwargs))

    def subject(self, request, **kwargs):
        """The feed's parameter from the URL; raise Http404 or FeedInputError for bad ones."""
        return None

    def papers(self, subject: FeedSubject) -> list[Paper]:
        raise NotImplementedError

    def page_path(self, subject: FeedSubject) -> str:
        """The path of the HTML page showing these papers."""
        return "/"

    def feed_query(self, subject: FeedSubject) -> dict:
        """The query parameters that make this feed what it is (kept in its id and self link)."""
        return {}

    def items(self, subject: FeedSubject) -> list[Paper]:
        papers = self.papers(subject)
        links = AuthorLinks()
        links.add_papers(papers)  # every author's page, one query for the feed
        for paper in papers:
            paper.feed_link = paper_url(paper, subject.request)
            paper.feed_author_uris = [
                absolute_url(path, subject.request) if (path := links.path(name)) else None
                for name in paper.author_names
            ]
        return papers

    def link(self, subject: FeedSubject) -> str:
        return absolute_url(self.page_path(subject), subject.request)

    def feed_url(self, subject: FeedSubject) -> str:
        query = self.feed_query(subject)
        path = subject.request.path + (f"?{urlencode(query)}" if query else "")
        return absolute_url(path, subject.request)

    def feed_guid(self, subject: FeedSubject) -> str:
        return self.feed_url(subject)

    def item_title(self, paper: Paper) -> str:
        return xml_text(paper.title)

    def item_description(self, paper: Paper) -> str:
        reason = getattr(paper, "feed_reason", "")
        return html_text((f"[{reason}] " if reason else "") + paper.abstract)

    def item_link(self, paper: Paper) -> str:
        return paper.feed_link

    def item_guid(self, paper: Paper) -> str:
        return paper.feed_link

    def item_extra_kwargs(self, paper: Paper) -> dict:
        return {
            "author_names": [xml_text(name) for name in paper.author_names],
            "author_uris": paper.feed_author_uris,
        }

    def item_pubdate(self, paper: Paper):
        return _midnight(paper.featured_on) if paper.featured_on else arxiv_date(paper)

    def item_updateddate(self, paper: Paper):
        """The paper's own date: its latest arXiv version, or the day it joined the feed if later."""
        return max(arxiv_date(paper), self.item_pubdate(paper))

    def item_categories(self, paper: Paper) -> list[str]:
        return list(paper.categories or [])


class DailyFeed(PaperFeed):
    description = "The newest day of the daily feed, whole, most upvoted first."

    def subject(self, request, **kwargs) -> dt.date | None:
        asked = _asked_day(request)
        if not asked:
            return latest_feed_day()
        try:
            return parse_window(date=asked).start
        except ListingError as error:
            raise FeedInputError(str(error)) from None

    def title(self, subject):
        return f"Daily papers of {subject.value.isoformat()}" if subject.value else "Daily papers"

    def feed_query(self, subject):
        return {"date": subject.value.isoformat()} if _asked_day(subject.request) else {}

    def page_path(self, subject):
        return f"/papers?{urlencode({'date': subject.value.isoformat()})}" if subject.value else "/papers"

    def papers(self, subject):
        if subject.value is None:
            return []
        return list(daily_papers(window=Window(subject.value, subject.value)))

    def feed_extra_kwargs(self, subject) -> dict:
        day = subject.value
        if day is None:
            return {}
        featured = Paper.objects.featured()
        earlier = featured.filter(featured_on__lt=day).aggregate(day=Max("featured_on"))["day"]
        later = featured.filter(featured_on__gt=day).aggregate(day=Min("featured_on"))["day"]
        feed_path = subject.request.path
        links = [("current", absolute_url(feed_path, subject.request))] if _asked_day(subject.request) else []
        for rel, other in (("prev-archive", earlier), ("next-archive", later)):
            if other:
                day_path = f"{feed_path}?{urlencode({'date': other.isoformat()})}"
                links.append((rel, absolute_url(day_path, subject.request)))
        # A day before the newest is complete; the newest may still gain submissions.
        return {"archive_links": links, "is_archive": later is not None}


def _asked_day(request) -> str:
    """The `date` parameter; empty when absent or blank (the newest day, as without it)."""
    return request.GET.get("date", "").strip()


class TrendingFeed(PaperFeed):
    title = "Trending papers"
    description = "Papers on the daily feed by hotness (upvotes, discounted by age)."

    def page_path(self, subject):
        return "/papers/trending"

    def papers(self, subject):
        return list(trending_papers(window="", limit=settings.FEED_ITEMS))


class CategoryFeed(PaperFeed):
    def subject(self, request, *, category: str):
        from dailypapers.catalog.feed import FeedParameterError, parse_category

        try:
            return parse_category(category)
        except FeedParameterError:
            raise Http404(f"not an arXiv category: {category[:50]!r}") from None

    def title(self, subject):
        return f"New papers in {subject.value}"

    def description(self, subject):
        return f"The newest papers listed in the arXiv category {subject.value}."

    def page_path(self, subject):
        return f"/search?{urlencode({'q': f'cat:{subject.value}', 'sort': 'newest'})}"

    def papers(self, subject):
        # EXISTS rather than a join: the newest-first index scan stops after FEED_ITEMS papers
        # (cs.LG on the full corpus: 124 ms with the join, 2.6 ms so; bench/load.py).
        in_category = PaperCategory.objects.filter(paper=OuterRef("pk"), category=subject.value)
        papers = Paper.objects.visible().filter(Exists(in_category))
        return list(papers.order_by("-listing_date", "-published", "-pk")[: settings.FEED_ITEMS])


class AuthorFeed(PaperFeed):
    def subject(self, request, *, name: str):
        name = xml_text(name)[:300]
        if not name:
            raise Http404("empty author name")
        return name

    def title(self, subject):
        return f"Papers by {subject.value}"

    def description(self, subject):
        return f"The newest papers with {subject.value} among the authors."

    def page_path(self, subject):
        query = 'author:"' + subject.value + '"'
        return f"/search?{urlencode({'q': query, 'sort': 'newest'})}"

    def papers(self, subject):
        papers = Paper.objects.visible().filter(authorships__author__name=subject.value)
        # Newest listing first; papers from a metadata file have no `published`, and NULLs sort
        # first descending on PostgreSQL but last on SQLite, so they are pinned last on both.
        newest = (F("listing_date").desc(nulls_last=True), F("published").desc(nulls_last=True), "-pk")
        return list(papers.order_by(*newest)[: settings.FEED_ITEMS])


class OrganisationFeed(PaperFeed):
    def subject(self, request, *, slug: str):
        return organisation(slug)  # 404 for an unknown one

    def title(self, subject):
        return f"Papers of {subject.value.name}"

    def description(self, subject):
        return f"The newest papers of {subject.value.name}, tagged by its members or by its verified authors."

    def page_path(self, subject):
        return f"/orgs/{subject.value.slug}"

    def papers(self, subject):
        return list(organisation_papers(subject.value, sort="newest")[: settings.FEED_ITEMS])


class TopicFeed(PaperFeed):
    """The papers carrying a keyword (a topic page's), newest first as every feed of a
    subject is: a reader's new items are the new papers, not the ones that got hotter."""

    def subject(self, request, *, keyword: str):
        keyword = normalise_keyword(xml_text(keyword))
        if not keyword:
            raise Http404("empty keyword")
        return keyword

    def title(self, subject):
        return f"Papers on “{subject.value}”"

    def description(self, subject):
        return f"The newest papers with the keyword “{subject.value}”."

    def page_path(self, subject):
        return topic_path(subject.value)

    def papers(self, subject):
        newest = (F("listing_date").desc(nulls_last=True), F("published").desc(nulls_last=True), "-pk")
        return list(with_keyword(Paper.objects.visible(), subject.value).order_by(*newest)[: settings.FEED_ITEMS])


class AuthorPageFeed(PaperFeed):
    """An author's papers, variants of their name included (the author page's feed)."""

    def subject(self, request, *, slug: str):
        try:
            return find_author(slug)
        except AuthorNotFound:
            raise Http404(f"No author {slug} here.") from None

    def title(self, subject):
        return f"Papers by {subject.value.author.name}"

    def description(self, subject):
        return f"The newest papers by {subject.value.author.name}."

    def page_path(self, subject):
        return author_path(subject.value.author.slug)

    def papers(self, subject):
        return list(author_papers(subject.value)[: settings.FEED_ITEMS])


class SearchFeed(PaperFeed):
    def subject(self, request):
        try:  # the same rules as every other search parameter: no control characters, 250 at most
            query = clean_text("q", request.GET.get("q", ""), max_length=250)
        except HttpError as error:
            raise FeedInputError(str(error)) from None
        if not query:
            raise Http404("a search feed needs ?q=")
        return query

    def title(self, subject):
        return f"Papers matching “{subject.value}”"

    def description(self, subject):
        return f"The best matches for the search “{subject.value}”."

    def feed_query(self, subject):
        return {"q": subject.value}

    def page_path(self, subject):
        return f"/search?{urlencode({'q': subject.value})}"

    def papers(self, subject):
        try:
            answer = search_papers(subject.value, limit=settings.FEED_ITEMS)
        except SearchError as error:
            raise FeedInputError(f"q: {error}") from None
        return [row["paper"] for row in answer["results"]]


class ForYouFeed(PaperFeed):
    shared = False
    title = "For you"
    description = "Papers picked for you from your upvotes and follows, each saying why."

    def subject(self, request, *, token: str):
        user = user_for_feed_token(token)
        if user is None:
            raise Http404("unknown feed token")
        return user

    def page_path(self, subject):
        return "/for-you"

    def papers(self, subject):
        picked = []
        for item in for_you(user=subject.value, limit=settings.FEED_ITEMS)["items"]:
            item["paper"].feed_reason = item.get("reason") or ""
            picked.append(item["paper"])
        return picked


class CollectionFeed(PaperFeed):
    """A collection's papers in its order; each item's description starts with the owner's note."""

    shared = False  # edits to a collection do not bump the catalogue's content version

    def subject(self, request, *, pk: int):
        try:
            return viewable_collection(pk=pk, user=request.user, key=request.GET.get("key", ""))
        except CollectionNotFound:
            raise Http404("no such collection, or it is private") from None

    def title(self, subject):
        return xml_text(f"{subject.value.name} — a collection by {subject.value.owner.get_username()}")

    def description(self, subject):
        return xml_text(subject.value.description) or f"Papers collected by {subject.value.owner.get_username()}."

    def feed_query(self, subject):
        key = subject.request.GET.get("key", "")
        return {"key": key} if key and subject.value.visibility == subject.value.UNLISTED else {}

    def page_path(self, subject):
        query = self.feed_query(subject)
        return f"/collections/{subject.value.pk}" + (f"?{urlencode(query)}" if query else "")

    def papers(self, subject):
        papers = collection_papers(subject.value)
        for paper in papers:
            paper.feed_reason = paper.collection_note
        return papers


class SavedSearchFeed(PaperFeed):
    """A saved search's new matches, newest first, each saying why it matched. The URL's
    token is the saved search's private token (a new one retires the old URL)."""

    shared = False

    def subject(self, request, *, token: str):
        saved = by_token(token)
        if saved is None or not saved.user.is_active:
            raise Http404("unknown feed token")
        return saved

    def title(self, subject):
        return f"Saved search: {subject.value.name}"

    def description(self, subject):
        return f"New papers matching your saved search “{subject.value.query}”, each saying why."

    def page_path(self, subject):
        return f"/saved-searches/{subject.value.pk}"

    def papers(self, subject):
        picked = []
        for match in recent_matches(subject.value, limit=settings.FEED_ITEMS):
            match.paper.feed_reason = match.reason
            picked.append(match.paper)
        return picked


def atom(feed_class: type[PaperFeed]) -> type[PaperFeed]:
    """The Atom twin of an RSS feed class."""
    twin = {"feed_type": PaperAtom, "subtitle": feed_class.description}
    return type(f"{feed_class.__name__}Atom", (feed_class,), twin)


FEEDS = {
    "daily": DailyFeed,
    "trending": TrendingFeed,
    "category": CategoryFeed,
    "author": AuthorFeed,
    "org": OrganisationFeed,
    "topic": TopicFeed,
    "author-page": AuthorPageFeed,
    "search": SearchFeed,
    "for-you": ForYouFeed,
    "collection": CollectionFeed,
    "saved": SavedSearchFeed,
}
