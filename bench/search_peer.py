"""arxiv-sanity-lite's own search, run beside ours by bench/search.py.

Its `search_rank(q)` (serve.py) scans every paper per query: for each query word, 20 points
per title containing it, 10 per author list, and up to 3 per occurrence in the abstract, then
sorts all matching papers. We run that function as written, from the peer's checkout (a path
given on the command line; its code is never copied into this repository), compiled alone
from serve.py so that Flask and its database layer need not be installed. Its `get_papers()`
is given a plain dict of our corpus in memory, in the shape its database stores
(`{pid: {"title", "summary", "authors": [{"name"}]}}`). The real server reads the papers from
a compressed SqliteDict, unpickling every row per query, so this measures the peer at its
fastest, and the ratios printed are the least favourable to us.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path


def peer_papers() -> dict[str, dict]:
    from dailypapers.catalog.models import Paper

    return {
        arxiv_id: {
            "title": title,
            "summary": abstract,
            "authors": [{"name": n.strip()} for n in authors.split(",") if n.strip()],
        }
        for arxiv_id, title, abstract, authors in Paper.objects.values_list(
            "arxiv_id", "title", "abstract", "authors_text"
        ).iterator()
    }


def load_search_rank(checkout: Path, papers: dict[str, dict]) -> Callable[[str], tuple[list, list]]:
    """The peer's `search_rank`, compiled from its serve.py, reading `papers`."""
    serve = checkout / "serve.py" if checkout.is_dir() else checkout
    if not serve.is_file():
        raise SystemExit(f"--peer: no serve.py at {serve} (give the arxiv-sanity-lite checkout or its serve.py)")
    tree = ast.parse(serve.read_text(), filename=str(serve))
    found = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "search_rank"]
    if not found:
        raise SystemExit(f"--peer: {serve} defines no search_rank")
    namespace: dict = {"get_papers": lambda: papers}
    # The peer's own code, run as the issue asks (never copied into this repository).
    exec(compile(ast.Module(body=found, type_ignores=[]), str(serve), "exec"), namespace)  # noqa: S102
    return namespace["search_rank"]
