"""A newcomer's whole first hour, in a real browser against the real `make demo`.

The test starts the demo the way the README says (`make demo DATA=… PORT=…`, on a free port
that is not 8000, its own DAILYPAPERS_HOME), with the last 20 listing days of the shared
corpus (months older than the clock), and walks the product: the day, week, month and
trending pages, a paper page with similar papers, sign-up with the mail from the demo's mail
sink, upvote, comment, follow, "for you", a digest subscription whose every link answers on
that port, one-click unsubscribe, and the admin. Screenshots at 390 px and 1280 px go to
var/e2e-artifacts/ (CI keeps them as artifacts).
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dailypapers.ingest.sources.files import listing_day_text, read_lines
from tests.conftest import SHARED_DATA
from tests.mailsink import body_text, links, read_mail_sink

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CORPUS = SHARED_DATA / "arxiv" / "papers-2025-03-to-2026-07.jsonl.gz"
ARTIFACTS = ROOT / "var" / "e2e-artifacts"
LISTING_DAYS = 20  # ~4,600 papers: loaded in the foreground in a few seconds
PASSWORD = "a long passphrase 42"
SERVE_TIMEOUT = 180  # seconds from `make demo` to the first answer; 31 s measured with the whole corpus
SIMILAR_WITHIN = 120  # the promise: similar papers within two minutes of serving
# Variables a developer's shell or the test run may hold that would change what the demo does.
DEMO_OVERRIDES = {
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "DAILYPAPERS_BASE_URL",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DAILYPAPERS_EMAIL_BACKEND",
    "DAILYPAPERS_HOME",
    "BASE_URL",
    "HOST",
    "PORT",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
}  # `make test` runs this; the demo is a make of its own


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def write_slice(target: Path, days: int) -> str:
    """The last `days` listing days of the shared corpus, as our JSON lines; returns the newest day."""
    seen: list[bytes] = []
    for line in read_lines(CORPUS):
        day = listing_day_text(line)
        if day is not None and day not in seen:
            seen.append(day)
    keep = set(sorted(seen)[-days:])
    with gzip.open(target, "wb", compresslevel=1) as out:
        for line in read_lines(CORPUS):
            if listing_day_text(line) in keep:
                out.write(line + b"\n")
    return max(keep).decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, *, data: bytes | None = None) -> tuple[int, str]:
    """Status and body of a GET (or a POST of `data`), as a mail client or a link checker sees it."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


class Demo:
    """`make demo` in its own process group, its home folder, and the `dailypapers` command
    run the way a newcomer runs it beside the demo (same home, no SECRET_KEY)."""

    def __init__(self, home: Path, port: int, data: Path):
        self.home, self.port, self.data = home, port, data
        self.url = f"http://127.0.0.1:{port}"
        self.env = {k: v for k, v in os.environ.items() if k not in DEMO_OVERRIDES}
        self.env.update(PYTHONPATH=str(ROOT), DAILYPAPERS_HOME=str(home))
        venv = ROOT / ".venv"
        self.venv = venv if (venv / "bin" / "python").exists() else Path(sys.executable).parent.parent
        # A present venv is used as it is: `-o` keeps make from reinstalling it when
        # pyproject.toml is newer than its stamp (a fresh checkout).
        self.argv = [
            "make",
            "--no-print-directory",
            "demo",
            "-o",
            f"{self.venv}/.installed",
            f"VENV={self.venv}",
            f"DATA={data}",
            f"PORT={port}",
        ]
        self.process: subprocess.Popen | None = None

    def dry_run(self) -> str:
        return subprocess.run(
            [*self.argv[:3], "-n", *self.argv[3:]], cwd=ROOT, env=self.env, capture_output=True, text=True, check=True
        ).stdout

    def start(self) -> float:
        self.log = open(self.home / "make-demo.log", "wb")
        started = time.monotonic()
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        while time.monotonic() - started < SERVE_TIMEOUT:
            if self.process.poll() is not None:
                raise AssertionError(f"make demo exited with {self.process.returncode}:\n{self.log_text()}")
            # Another program may answer on the port (taken between free_port() and gunicorn's
            # bind; seen once: an SMTP test server); only our home page counts.
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, body = fetch(self.url + "/")
                if status == 200 and "dailypapers" in body:
                    return time.monotonic()
            time.sleep(0.5)
        raise AssertionError(f"make demo did not answer on {self.url} within {SERVE_TIMEOUT} s:\n{self.log_text()}")

    def log_text(self) -> str:
        return (self.home / "make-demo.log").read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        """SIGTERM to the demo's process group (make, its shell, the server), as Ctrl-C would;
        the shell's trap then stops the worker's own group. Returns when the worker is gone."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (_group_alive(self.process.pid) or self.worker_alive()):
            time.sleep(0.5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)
        self.log.close()
        assert not self.worker_alive(), "the demo's worker outlived make demo"

    def worker_alive(self) -> bool:
        """Any process of the worker's group; its pid, the group id, is in worker.pid (`setsid`)."""
        pid_file = self.home / "worker.pid"
        return pid_file.exists() and _group_alive(int(pid_file.read_text()))

    def command(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [str(self.venv / "bin" / "dailypapers"), *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, f"dailypapers {' '.join(args)}: {result.returncode}\n{result.stderr[-2000:]}"
        return result

    def mail_to(self, address: str, subject: str, *, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(read_mail_sink(self.home / "mail")):
                if message["To"] == address and subject in message["Subject"]:
                    return message
            time.sleep(0.5)
        raise AssertionError(f"no mail to {address} with {subject!r} in {self.home / 'mail'}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    if not CORPUS.is_file():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the demo runs on SQLite whatever the suite's database; its journey runs in the SQLite pass")
    home = tmp_path_factory.mktemp("demo-home")
    data = home / "last-days.jsonl.gz"
    newest = write_slice(data, LISTING_DAYS)
    for attempt in range(3):
        running = Demo(home, free_port(), data)
        assert running.port != 8000
        planned = running.dry_run()
        assert "pip install" not in planned, f"make demo would reinstall the venv:\n{planned}"
        try:
            running.served_at = running.start()
            break
        except AssertionError:
            running.stop()
            if attempt == 2 or "Address already in use" not in running.log_text():
                raise
    running.newest_day = newest
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield running
    running.stop()


def shot(page, name: str) -> None:
    """What the reader sees first, at this width. Not the full page: a feed is ~7,700 px tall at
    1280 px (4 MB of PNG), and capturing it took over 20 s on a busy 2-core machine."""
    width = page.viewport_size["width"]
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), timeout=60_000)


def paper_links(page, scope: str = "main"):
    return page.locator(f"{scope} a[href^='/papers/2']")


def test_a_newcomers_journey_through_the_demo(demo, browser):
    for width, height in ((1280, 900), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(20_000)
        read_the_feeds(page, demo)
        context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    paper_url = open_a_paper_with_similar_papers(page, demo)
    sign_up_and_verify(page, demo)
    upvote_comment_follow(page, demo, paper_url)
    subscribe_receive_a_digest_unsubscribe(page, demo)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo.url + paper_url)
    shot(page, "paper-signed-in")
    context.close()

    log_in_to_the_admin(browser, demo)


def read_the_feeds(page, demo) -> None:
    page.goto(demo.url + "/")
    assert paper_links(page).count() > 0, "the home page (latest day) lists no papers"
    shot(page, "day")
    for kind in ("week", "month"):
        link = page.locator(f"a[href*='{kind}=']").first
        href = link.get_attribute("href")
        page.goto(demo.url + href if href.startswith("/") else href)
        assert paper_links(page).count() > 0, f"the {kind} page {href} lists no papers"
        shot(page, kind)
    page.goto(demo.url + "/papers/trending")
    shot(page, "trending")
    assert paper_links(page).count() > 0, "the trending page lists no papers"


def open_a_paper_with_similar_papers(page, demo) -> str:
    page.goto(demo.url + "/")
    paper_url = paper_links(page).first.get_attribute("href").split("#")[0]
    assert re.fullmatch(r"/papers/\d{4}\.\d{4,5}", paper_url), paper_url
    page.goto(demo.url + paper_url)
    assert page.locator("h1").first.inner_text().strip()
    # From the keyword index until the paper is embedded (search/similar.py).
    similar = page.locator("section.similar-papers a[href^='/papers/2']")
    while similar.count() == 0:
        assert time.monotonic() - demo.served_at < SIMILAR_WITHIN, (
            f"no similar papers on {paper_url} {SIMILAR_WITHIN} s after serving"
        )
        time.sleep(5)
        page.reload()
        page.wait_for_load_state("networkidle")
    shot(page, "paper")
    return paper_url


def sign_up_and_verify(page, demo) -> None:
    page.goto(demo.url + "/accounts/signup/")
    form = page.locator("main form[action='/accounts/signup/']")
    form.locator("input[name=email]").fill("newcomer@example.org")
    form.locator("input[name=username]").fill("newcomer")
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))
    message = demo.mail_to("newcomer@example.org", "Confirm")
    text = body_text(message)
    assert "Hello from dailypapers!" in text
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", text).group(0)
    assert link.startswith(demo.url + "/"), f"the verification link {link} is not on {demo.url}"
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(demo.url + "/for-you")
    assert "/accounts/login" not in page.url, "the confirmation did not log the newcomer in"


def upvote_comment_follow(page, demo, paper_url: str) -> None:
    page.goto(demo.url + paper_url)
    page.locator("main button.vote-button").first.click()
    page.wait_for_selector("main button.vote-button.voted")
    page.fill("form.comment-form textarea[name=body]", "Section 3 is **the** idea.")
    page.locator("form.comment-form button[type=submit]").click()
    page.wait_for_selector(".comment-body strong")
    follow = page.get_by_role("button", name=re.compile(r"^Follow\b"))
    assert follow.count() > 0, f"no Follow button on {paper_url}"
    follow.first.click()
    page.wait_for_load_state()
    page.goto(demo.url + "/for-you")
    shot(page, "for-you")
    assert paper_links(page).count() > 0, "'for you' lists no papers after an upvote on an old corpus"


def subscribe_receive_a_digest_unsubscribe(page, demo) -> None:
    page.goto(demo.url + "/subscribe")
    page.get_by_label("Email address").fill("digest@example.org")
    page.get_by_role("radio", name="Daily (weekdays)").check()
    page.get_by_role("radio", name="Trending papers").check()
    page.get_by_role("button", name="Subscribe").last.click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    confirm = demo.mail_to("digest@example.org", "Confirm")
    link = re.search(r"http://\S+/subscribe/confirm/\S+", body_text(confirm)).group(0)
    assert link.startswith(demo.url + "/"), f"the confirmation link {link} is not on {demo.url}"
    page.goto(link)
    page.get_by_role("button", name="Confirm my subscription").click()
    page.get_by_role("heading", name="You are subscribed").wait_for()

    # The operator's command beside the demo, as the worker would run it at 07:00: no
    # SECRET_KEY in its environment, the demo's home only.
    def digests():
        return [
            m
            for m in read_mail_sink(demo.home / "mail")
            if m["To"] == "digest@example.org" and "Confirm" not in m["Subject"]
        ]

    # Without --date: the edition that covers the old corpus's newest listing day (catalog/clock.py).
    demo.command("digest", "send", "--kind", "daily")
    (digest,) = digests()
    ours = sorted(url for url in links(digest) if "127.0.0.1" in url or "localhost" in url)
    assert ours, "the digest has no links to the site"
    wrong = [url for url in ours if not url.startswith(demo.url + "/")]
    assert not wrong, f"digest links not on {demo.url}: {wrong}"
    answers = {url: fetch(url)[0] for url in ours}
    assert all(status == 200 for status in answers.values()), answers

    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the header's URL.
    unsubscribe = re.search(r"<(http[^>]+)>", digest["List-Unsubscribe"]).group(1)
    status, html = fetch(unsubscribe, data=b"List-Unsubscribe=One-Click")
    assert status == 200 and "You are unsubscribed" in html, (status, html[-1500:])
    page.goto(unsubscribe)  # the same link opened in a browser: a page with the button, no change on GET
    shot(page, "unsubscribe")


def log_in_to_the_admin(browser, demo) -> None:
    demo.command(
        "createsuperuser",
        "--noinput",
        "--username",
        "operator",
        "--email",
        "operator@example.org",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(demo.url + "/admin/")
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))
    form = page.locator("main form[action^='/accounts/login/']")
    form.locator("input[name=login]").fill("operator@example.org")
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/admin/$"))
    assert "Site administration" in page.content()
    shot(page, "admin")
    context.close()
