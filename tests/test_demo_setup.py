"""A newcomer's first hour outside `make`: commands find the demo's secret, `dailypapers
settings` lists what is set, mail lands in a folder, the admin opens without mail, and the
verification mail greets with the site's name."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from dailypapers.digest.models import OutboxMessage, Subscription
from dailypapers.digest.sending import send_edition
from tests.digest.conftest import MONDAY
from tests.factories import make_paper
from tests.mailsink import body_text, read_mail_sink

ROOT = Path(__file__).resolve().parents[1]
DEMO_KEY = "demo-key-written-by-make-demo-0123456789-abcdefghijklmnop"


def _dailypapers(*args: str, home: Path, **env) -> subprocess.CompletedProcess:
    """The `dailypapers` command as a newcomer runs it: no SECRET_KEY, DEBUG off."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    clean.update(DAILYPAPERS_HOME=str(home), DEBUG="0", PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, "-m", "dailypapers.cli", *args],
        env=clean,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_commands_read_the_secret_make_demo_keeps_in_the_home_folder(tmp_path):
    (tmp_path / "secret_key").write_text(DEMO_KEY + "\n")
    result = _dailypapers("settings", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"SECRET_KEY=********    ({tmp_path / 'secret_key'})" in result.stdout
    assert DEMO_KEY not in result.stdout


def test_the_environment_secret_wins_over_the_file(tmp_path):
    (tmp_path / "secret_key").write_text("short\n")  # refused if it were read
    result = _dailypapers("settings", home=tmp_path, SECRET_KEY=DEMO_KEY)
    assert result.returncode == 0, result.stderr
    assert "SECRET_KEY=********    (environment)" in result.stdout


def test_a_missing_secret_says_where_make_demo_keeps_it(tmp_path):
    result = _dailypapers("settings", home=tmp_path)
    assert result.returncode == 1
    assert f"{tmp_path / 'secret_key'} does not exist" in result.stderr
    assert "make demo" in result.stderr and "same DAILYPAPERS_HOME" in result.stderr


def test_a_short_secret_file_is_refused_naming_the_file(tmp_path):
    (tmp_path / "secret_key").write_text("too-short\n")
    result = _dailypapers("settings", home=tmp_path)
    assert result.returncode == 1 and f"read from {tmp_path / 'secret_key'}" in result.stderr


def test_settings_lists_every_setting_with_help_and_masks_secrets(tmp_path):
    (tmp_path / "secret_key").write_text(DEMO_KEY)
    result = _dailypapers(
        "settings",
        home=tmp_path,
        EMAIL_HOST_PASSWORD="hunter2-smtp",
        ALLOWED_HOSTS="a.org,b.org",
        DATABASE_URL="postgres://reader:pg-pass-9@db.example.org:5432/papers",
    )
    # The PostgreSQL URL is never connected to: `settings` only prints.
    assert result.returncode == 0, result.stderr
    assert "hunter2-smtp" not in result.stdout and "pg-pass-9" not in result.stdout
    assert "EMAIL_HOST_PASSWORD=********    (environment)" in result.stdout
    assert "DATABASE_URL=postgres://reader:********@db.example.org:5432/papers    (environment)" in result.stdout
    assert "ALLOWED_HOSTS=a.org,b.org    (environment)" in result.stdout
    assert "LOG_LEVEL=INFO    (default)\n    Log level of the dailypapers loggers." in result.stdout


def test_commands_read_the_settings_make_demo_keeps_in_the_home_folder(tmp_path):
    (tmp_path / "secret_key").write_text(DEMO_KEY)
    (tmp_path / "settings.env").write_text(
        "# make demo\nDAILYPAPERS_BASE_URL=http://127.0.0.1:38635\n\nDAILYPAPERS_EMAIL_BACKEND=file\nLOG_LEVEL=DEBUG\n"
    )
    result = _dailypapers("settings", home=tmp_path, LOG_LEVEL="WARNING")
    assert result.returncode == 0, result.stderr
    assert f"DAILYPAPERS_BASE_URL=http://127.0.0.1:38635    ({tmp_path / 'settings.env'})" in result.stdout
    assert f"DAILYPAPERS_EMAIL_BACKEND=file    ({tmp_path / 'settings.env'})" in result.stdout
    assert "LOG_LEVEL=WARNING    (environment)" in result.stdout


def test_a_bad_line_in_the_home_settings_file_names_file_and_line(tmp_path):
    (tmp_path / "secret_key").write_text(DEMO_KEY)
    (tmp_path / "settings.env").write_text("DAILYPAPERS_EMAIL_BACKEND=file\nPORT=8080\n")
    result = _dailypapers("settings", home=tmp_path)
    assert result.returncode == 1
    assert f"{tmp_path / 'settings.env'}, line 2: expected NAME=value" in result.stderr
    assert "'PORT=8080'" in result.stderr


def test_a_bad_email_backend_names_the_variable(tmp_path):
    (tmp_path / "secret_key").write_text(DEMO_KEY)
    result = _dailypapers("settings", home=tmp_path, DAILYPAPERS_EMAIL_BACKEND="pigeon")
    assert result.returncode == 1
    assert "DAILYPAPERS_EMAIL_BACKEND='pigeon': expected one of smtp, file, console" in result.stderr


@pytest.mark.django_db
def test_digests_reach_the_file_mail_sink(settings, papers, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    Subscription.objects.create(email="reader@example.org", status=Subscription.ACTIVE)
    result = send_edition(kind="daily", date=MONDAY)
    assert result["sent"] == 1
    assert OutboxMessage.objects.get().state == OutboxMessage.SENT
    (message,) = read_mail_sink(tmp_path)
    assert message["To"] == "reader@example.org"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = body_text(message)
    assert "Paper number 1" in text and f"{settings.BASE_URL}/papers/2603.00001" in text


@pytest.fixture
def papers(db):
    return [
        make_paper(f"2603.{i:05d}", day=MONDAY - dt.timedelta(days=3), upvotes=5 - i, categories=("cs.CL",))
        for i in range(1, 4)
    ]


def test_a_superuser_made_on_the_command_line_reaches_the_admin_without_mail(client, db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "operator passphrase 7")
    call_command("createsuperuser", interactive=False, username="operator", email="op@example.org", verbosity=0)
    response = client.post("/accounts/login/", {"login": "op@example.org", "password": "operator passphrase 7"})
    assert response.status_code == 302 and "confirm-email" not in response["Location"]
    assert not mail.outbox
    admin = client.get("/admin/")
    assert admin.status_code == 200 and "Site administration" in admin.content.decode()


def test_members_who_signed_up_still_verify_by_mail(client, db):
    client.post(
        "/accounts/signup/",
        {
            "email": "m@example.org",
            "username": "m",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    get_user_model().objects.filter(username="m").update(is_staff=True, is_superuser=True)
    mail.outbox.clear()
    response = client.post("/accounts/login/", {"login": "m@example.org", "password": "a long passphrase 42"})
    assert "confirm-email" in response["Location"]


def test_the_verification_mail_greets_with_the_site_name(client, db):
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "username": "newbie",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
        HTTP_HOST="127.0.0.1:38635",
    )
    (message,) = mail.outbox
    assert "Hello from dailypapers!" in message.body
    assert "Hello from 127.0.0.1" not in message.body
    assert re.search(r"http://127\.0\.0\.1:38635/accounts/confirm-email/\S+", message.body)


@pytest.mark.parametrize(
    "password, problem", [("abc123", "too short"), ("password12345", "too common"), ("83920174650", "entirely numeric")]
)
def test_weak_passwords_are_refused_at_sign_up(client, db, password, problem):
    response = client.post(
        "/accounts/signup/",
        {"email": "w@example.org", "username": "weak", "password1": password, "password2": password},
    )
    assert response.status_code == 200 and problem in response.content.decode()
    assert not get_user_model().objects.filter(username="weak").exists()


def test_the_mcp_config_in_the_api_docs_starts_with_the_demos_home(tmp_path):
    import anyio
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    docs = (ROOT / "docs" / "api.md").read_text()
    config = json.loads(re.search(r'```json\n(\{"mcpServers".*?)```', docs, re.S).group(1))["mcpServers"]["dailypapers"]
    (tmp_path / "secret_key").write_text(DEMO_KEY)
    env = {key: str(tmp_path) if value == "/path/to/var" else value for key, value in config["env"].items()}
    # Only what the documented config sets, plus where to find the program: no SECRET_KEY.
    env.update(PATH=os.environ["PATH"], PYTHONPATH=str(ROOT))
    command = shutil.which(config["command"]) or str(Path(sys.executable).with_name(config["command"]))
    server = StdioServerParameters(command=command, args=config["args"], env=env, cwd=str(tmp_path))

    async def tool_names():
        async with Client(server, read_timeout_seconds=60) as client:
            return {tool.name for tool in (await client.list_tools()).tools}

    # In a thread of its own: after a browser test, Playwright's loop runs in this one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        names = pool.submit(anyio.run, tool_names).result(timeout=120)
    assert "search_papers" in names
