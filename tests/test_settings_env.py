"""Settings come from the environment; an unsafe secret is refused when DEBUG is off."""

import os
import subprocess
import sys

import pytest

from dailypapers.env import ENV_SETTINGS, SettingError, read_environment


def _import_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "-c", "import dailypapers.settings"], env={**clean, **env}, capture_output=True, text=True
    )


@pytest.mark.parametrize("secret", [None, "", "change-me", "django-insecure-abc", "short"])
def test_unsafe_secret_refused_without_debug(secret, tmp_path):
    env = {"DAILYPAPERS_HOME": str(tmp_path), "DEBUG": "0"}
    if secret is not None:
        env["SECRET_KEY"] = secret
    result = _import_settings(**env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_allows_missing_secret(tmp_path):
    assert _import_settings(DAILYPAPERS_HOME=str(tmp_path), DEBUG="1").returncode == 0


def test_bad_value_names_the_variable():
    with pytest.raises(SettingError, match="DEBUG"):
        read_environment({"DEBUG": "maybe"})


def test_every_setting_is_documented():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[1] / "docs" / "settings.md").read_text()
    missing = [s.name for s in ENV_SETTINGS if f"`{s.name}`" not in docs]
    assert not missing, f"undocumented settings in docs/settings.md: {missing}"


@pytest.mark.parametrize("raw", ["0", "-3", "lots"])
def test_a_limit_below_one_is_refused_naming_the_variable(raw):
    with pytest.raises(SettingError, match="DAILYPAPERS_COMMENTS_PER_HOUR"):
        read_environment({"DAILYPAPERS_COMMENTS_PER_HOUR": raw})


def test_operator_limits_reach_the_settings(tmp_path):
    env = {
        "DAILYPAPERS_HOME": str(tmp_path),
        "DEBUG": "1",
        "DAILYPAPERS_COMMENTS_PER_HOUR": "12",
        "DAILYPAPERS_DIGEST_MAX_PAPERS": "25",
        "DAILYPAPERS_UNSUBSCRIBE_MAILTO": "leave@lab.example",
    }
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    code = (
        "from dailypapers import settings as s; "
        "print(s.COMMENTS_PER_HOUR, s.DIGEST_MAX_PAPERS, s.DIGEST_UNSUBSCRIBE_MAILTO, s.DIGEST_MAX_ATTEMPTS)"
    )
    result = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True)
    assert result.stdout.split() == ["12", "25", "leave@lab.example", "5"], result.stderr
