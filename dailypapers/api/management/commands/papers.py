"""`dailypapers papers search|show|daily|trending`: the site's paper look-ups for scripts,
as a table for people or JSON (--json) for programs. Same functions as the MCP tools."""

from __future__ import annotations

import json
import shutil

from django.core.management.base import BaseCommand, CommandError

from dailypapers.api import tools


class Command(BaseCommand):
    help = "Look papers up: search, show one, the daily feed, trending; tables or --json."
    example = "dailypapers papers search 'diffusion language models' --limit 5 --json"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="search|show|daily|trending")
        search = sub.add_parser("search", help="Hybrid keyword and meaning search.")
        search.add_argument("query")
        search.add_argument("--category", help="arXiv category, e.g. cs.CL.")
        search.add_argument("--has-code", action="store_true", default=None, help="Only papers with code.")
        show = sub.add_parser("show", help="One paper by arXiv id.")
        show.add_argument("arxiv_id")
        daily = sub.add_parser("daily", help="The daily feed (default: the latest day).")
        group = daily.add_mutually_exclusive_group()
        group.add_argument("--date", help="YYYY-MM-DD")
        group.add_argument("--week", help="ISO week, YYYY-Www")
        group.add_argument("--month", help="YYYY-MM")
        trending = sub.add_parser("trending", help="Trending papers.")
        trending.add_argument(
            "--window",
            choices=["day", "week", "month"],
            default="",
            help="By upvotes within a window; default: by hotness.",
        )
        for each in (search, daily, trending):
            each.add_argument("--limit", type=int, default=20, help="Most papers to list (1-100, default 20).")
        for each in (search, show, daily, trending):
            each.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args, action: str, **options):
        try:
            if action == "search":
                result = tools.search_papers(
                    query=options["query"],
                    limit=options["limit"],
                    category=options["category"],
                    has_code=options["has_code"],
                )
            elif action == "show":
                result = tools.get_paper(arxiv_id=options["arxiv_id"])
            elif action == "daily":
                result = tools.daily_papers(
                    date=options["date"], week=options["week"], month=options["month"], limit=options["limit"]
                )
            else:
                result = tools.trending_papers(window=options["window"], limit=options["limit"])
        except tools.ToolInputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        result = [record.model_dump() for record in result] if isinstance(result, list) else result.model_dump()
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=1))
        elif action == "show":
            self.stdout.write(_paper_text(result))
        else:
            self.stdout.write(_table(result))


def _paper_text(paper: dict) -> str:
    lines = [paper["title"], ", ".join(paper["authors"]), ""]
    for label, key in (
        ("arXiv", "arxiv_url"),
        ("PDF", "pdf_url"),
        ("code", "code_url"),
        ("project", "project_url"),
        ("page", "url"),
    ):
        if paper.get(key):
            lines.append(f"{label + ':':9}{paper[key]}")
    lines.append(
        f"{'upvotes:':9}{paper['upvotes']}   published {paper['published'] or '?'}   "
        f"categories {' '.join(paper['categories'])}"
    )
    return "\n".join(lines + ["", paper.get("abstract", "")])


def _table(papers: list[dict]) -> str:
    if not papers:
        return "no papers"
    width = shutil.get_terminal_size((120, 20)).columns
    id_width = max(len(p["id"]) for p in papers)
    title_width = max(20, width - id_width - 20)
    rows = [f"{'id'.ljust(id_width)}  {'votes':>5}  {'date':10}  title"]
    for paper in papers:
        title = paper["title"] if len(paper["title"]) <= title_width else paper["title"][: title_width - 1] + "…"
        rows.append(
            f"{paper['id'].ljust(id_width)}  {paper['upvotes']:>5}  "
            f"{(paper['featured_on'] or paper['published'] or ''):10}  {title}"
        )
    return "\n".join(rows)
