"""MCP tools for AI agents (official `mcp` SDK): search_papers, get_paper, daily_papers,
trending_papers, similar_papers. Served over stdio by `dailypapers mcp`, or streamable HTTP
with `dailypapers mcp --http`.

The SDK runs these synchronous tools in worker threads, where Django's ORM may run; each call
closes stale database connections afterwards so a long-lived agent session does not hold one
per thread forever. A bad argument comes back as a tool error whose text names the argument.
"""

from __future__ import annotations

from typing import Any, Literal

from django.db import close_old_connections
from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from dailypapers.api import tools

INSTRUCTIONS = (
    "Research papers from arXiv, curated daily by a community. Use search_papers to find papers by "
    "keywords or meaning, get_paper for one paper's metadata and abstract, daily_papers for the daily "
    "feed of a day (YYYY-MM-DD), ISO week (YYYY-Www) or month (YYYY-MM), trending_papers for what the "
    "community upvotes now, and similar_papers for papers close in meaning to one paper."
)


def _call(function, **kwargs) -> Any:
    try:
        return function(**kwargs)
    except tools.ToolInputError as exc:
        raise ToolError(str(exc)) from None
    finally:
        close_old_connections()


def build_server() -> MCPServer:
    server = MCPServer(name="dailypapers", instructions=INSTRUCTIONS)

    @server.tool()
    def search_papers(query: str, limit: int = 10, category: str | None = None, has_code: bool | None = None) -> list[dict]:
        """Search papers by keywords, title, arXiv id or meaning (hybrid search). `category` is an
        arXiv category such as cs.CL; `has_code` keeps only papers with a code repository."""
        return _call(tools.search_papers, query=query, limit=limit, category=category, has_code=has_code)

    @server.tool()
    def get_paper(arxiv_id: str) -> dict:
        """One paper by arXiv id (2503.11731, hep-th/9901001, with or without version): title,
        authors, abstract, dates, upvotes and links (arXiv, PDF, code, project page)."""
        return _call(tools.get_paper, arxiv_id=arxiv_id)

    @server.tool()
    def daily_papers(date: str | None = None, week: str | None = None, month: str | None = None, limit: int = 20) -> list[dict]:
        """The daily feed, most upvoted first: one day (YYYY-MM-DD), ISO week (YYYY-Www) or month
        (YYYY-MM) by the day papers joined the feed; without any, the latest day."""
        return _call(tools.daily_papers, date=date, week=week, month=month, limit=limit)

    @server.tool()
    def trending_papers(window: Literal["", "day", "week", "month"] = "", limit: int = 20) -> list[dict]:
        """Trending papers: by hotness (upvotes discounted by age) when `window` is empty, or by
        upvotes among papers featured in the last day, week or month."""
        return _call(tools.trending_papers, window=window, limit=limit)

    @server.tool()
    def similar_papers(arxiv_id: str, limit: int = 10) -> list[dict]:
        """Papers closest in meaning to the paper with this arXiv id."""
        return _call(tools.similar_papers, arxiv_id=arxiv_id, limit=limit)

    return server
