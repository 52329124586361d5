"""MCP tools for AI agents (official `mcp` SDK): search_papers, get_paper, daily_papers,
trending_papers, similar_papers, new_papers_for (a saved search's matches), get_author, for_you
(a member's feed, with their API token). Served over stdio by `dailypapers mcp`, or streamable
HTTP with `dailypapers mcp --http`.

Every tool answers structured content with an output schema: the catalogue's paper record
(`catalog.wire.PaperRecord`, with the abstract for `get_paper` and `search_papers`). The server
reports the package's version. A bad argument comes back as a tool error whose text names the
argument in a sentence, whether our tools refused it or the SDK's argument check did.

The SDK runs these synchronous tools in worker threads, where Django's ORM may run; each call
closes stale database connections afterwards so a long-lived agent session does not hold one
per thread forever.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any, Literal

from django.db import close_old_connections
from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from pydantic import ValidationError

from dailypapers.alerts.records import MatchRecord
from dailypapers.api import tools
from dailypapers.api.params import describe_errors
from dailypapers.catalog.wire import AuthorRecord, PaperRecord, PaperRecordWithAbstract

INSTRUCTIONS = (
    "Research papers from arXiv, curated daily by a community. Use search_papers to find papers by "
    "keywords or meaning, get_paper for one paper's metadata and abstract, daily_papers for the daily "
    "feed of a day (YYYY-MM-DD), ISO week (YYYY-Www) or month (YYYY-MM), trending_papers for what the "
    "community upvotes now, similar_papers for papers close in meaning to one paper, new_papers_for for the newest "
    "matches of a member's saved search (its private token), each saying why it matched, get_author for an "
    "author's papers and co-authors (by the slug of their page, /authors/<slug>), and for_you for a "
    "member's personal recommendations (with their API token)."
)


def package_version() -> str:
    try:
        return version("dailypapers")
    except PackageNotFoundError:  # run from a checkout that was never pip-installed
        return "0+unknown"


def _call(function, **kwargs) -> Any:
    try:
        return function(**kwargs)
    except tools.ToolInputError as exc:
        raise ToolError(str(exc)) from None
    finally:
        close_old_connections()


class PaperToolServer(MCPServer):
    """The SDK's server, with argument errors told as sentences instead of a pydantic dump."""

    async def call_tool(self, name, arguments, context=None):
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            if isinstance(exc, UnexpectedToolError) or not isinstance(exc.__cause__, ValidationError):
                raise
            raise ToolError(f"{name}: {describe_errors(exc.__cause__.errors())}") from exc.__cause__


def build_server() -> MCPServer:
    server = PaperToolServer(name="dailypapers", instructions=INSTRUCTIONS, version=package_version())

    @server.tool()
    def search_papers(
        query: str, limit: int = 10, category: str | None = None, has_code: bool | None = None
    ) -> list[PaperRecordWithAbstract]:
        """Search papers by keywords, title, arXiv id or meaning (hybrid search). `category` is an
        arXiv category such as cs.CL; `has_code` keeps only papers with a code repository."""
        return _call(tools.search_papers, query=query, limit=limit, category=category, has_code=has_code)

    @server.tool()
    def get_paper(arxiv_id: str) -> PaperRecordWithAbstract:
        """One paper by arXiv id (2503.11731, hep-th/9901001, with or without version): title,
        authors, abstract, dates, upvotes and links (arXiv, PDF, code, project page)."""
        return _call(tools.get_paper, arxiv_id=arxiv_id)

    @server.tool()
    def daily_papers(
        date: str | None = None, week: str | None = None, month: str | None = None, limit: int = 20
    ) -> list[PaperRecord]:
        """The daily feed, most upvoted first: one day (YYYY-MM-DD), ISO week (YYYY-Www) or month
        (YYYY-MM) by the day papers joined the feed; without any, the latest day."""
        return _call(tools.daily_papers, date=date, week=week, month=month, limit=limit)

    @server.tool()
    def trending_papers(window: Literal["", "day", "week", "month"] = "", limit: int = 20) -> list[PaperRecord]:
        """Trending papers: by hotness (upvotes discounted by age) when `window` is empty, or by
        upvotes among papers featured in the last day, week or month."""
        return _call(tools.trending_papers, window=window, limit=limit)

    @server.tool()
    def similar_papers(arxiv_id: str, limit: int = 10) -> list[PaperRecord]:
        """Papers closest in meaning to the paper with this arXiv id."""
        return _call(tools.similar_papers, arxiv_id=arxiv_id, limit=limit)

    @server.tool()
    def new_papers_for(saved_search: str, limit: int = 20) -> list[MatchRecord]:
        """The newest papers matching a saved search, newest first, each with why it matched (the
        words, or closeness in meaning with its score, or the author/category). `saved_search` is
        the saved search's private token: the last part of its feed URL."""
        return _call(tools.new_papers_for, saved_search=saved_search, limit=limit)

    @server.tool()
    def get_author(slug: str, limit: int = 20) -> AuthorRecord:
        """An author by their page's slug (e.g. piotr-milos from /authors/piotr-milos): the name as
        arXiv lists it, merged spellings, paper count, newest papers, frequent co-authors, categories."""
        return _call(tools.get_author, slug=slug, limit=limit)

    @server.tool()
    def for_you(token: str, limit: int = 20) -> list[tools.ForYouRecord]:
        """A member's personal "for you" feed, each paper with why it is recommended. `token` is
        the member's personal API token (their account's API tokens page)."""
        return _call(tools.for_you_with_token, token=token, limit=limit)

    return server
