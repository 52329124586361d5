"""The scratch database of the `eval` commands (search quality, "for you" quality): never the
site's. SQLite under $DAILYPAPERS_HOME/eval/<name>/, kept between runs so a corpus is loaded and
embedded once (`--fresh` starts over), or an empty database given by `--database-url`. The
command runs itself again in a child process pointed at it (`SCRATCH_FLAG` set), so the site's
own settings and connections are never touched."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from dailypapers.search.evaluation import ID_PREFIX, load_documents
from dailypapers.search.term_statistics import refresh_term_statistics

SCRATCH_FLAG = "DAILYPAPERS_EVAL_SCRATCH"


class NotAScratchDatabase(ValueError):
    """The database holds papers that are not eval documents: it is somebody's site."""


def in_scratch() -> bool:
    """True in the child process that runs against the scratch database."""
    return os.environ.get(SCRATCH_FLAG) == "1"


def run_in_scratch(*, name: str, database_url: str, fresh: bool, argv: list[str]) -> None:
    """Run `dailypapers <argv>` in a child pointed at the scratch database `name`; exits with
    the child's status when it fails."""
    scratch = Path(settings.HOME) / "eval" / name
    if database_url:  # its own vector index folder: paper ids differ between databases
        scratch = scratch.with_name(f"{name}-{hashlib.blake2b(database_url.encode(), digest_size=4).hexdigest()}")
    if fresh and scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        SCRATCH_FLAG: "1",
        "DAILYPAPERS_HOME": str(scratch),
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "dailypapers.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
    }
    result = subprocess.run([sys.executable, "-m", "dailypapers.cli", *argv], env=env)
    if result.returncode:
        raise SystemExit(result.returncode)


def prepare_scratch(folder: Path) -> int:
    """Migrate the scratch database and load the folder's corpus into it (once); the number of
    documents added. Refuses a database holding any paper that is not an eval document."""
    from django.core.management import call_command

    from dailypapers.catalog.models import Paper

    call_command("migrate", verbosity=0)
    others = Paper.objects.exclude(arxiv_id__startswith=ID_PREFIX).count()
    if others:
        raise NotAScratchDatabase(
            f"--database-url: that database holds {others} papers that are not eval documents; "
            "give an empty database made for the eval, never the site's"
        )
    added = load_documents(folder)
    refresh_term_statistics()  # the document frequencies, as the site's worker keeps them
    return added
