"""`dailypapers settings`: every setting of dailypapers.env.ENV_SETTINGS with its help, its
current value and where the value came from (the environment, the home folder's settings.env
that `make demo` writes, the secret_key file, or the default); secrets are masked."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand

from dailypapers.env import (
    ENV_SETTINGS,
    HOME_SETTINGS_FILE,
    EnvSetting,
    effective_environment,
    home_folder,
    read_home_settings,
    read_secret_key_file,
)

SECRET_WORDS = ("SECRET", "PASSWORD")
MASK = "********"


def masked_value(setting: EnvSetting, value) -> str:
    """The value as text, with secrets (and the password inside a DATABASE_URL) masked."""
    text = ",".join(value) if isinstance(value, list) else str(value)
    if any(word in setting.name for word in SECRET_WORDS):
        return MASK if text else ""
    if setting.name == "DATABASE_URL" and text:
        parts = urlsplit(text)
        if parts.password:
            netloc = parts.netloc.replace(f":{parts.password}@", f":{MASK}@", 1)
            return urlunsplit(parts._replace(netloc=netloc))
    return text


def settings_rows(environ=os.environ) -> list[dict]:
    """One dict per setting: name, value (masked), source, help."""
    home_file = home_folder(environ) / HOME_SETTINGS_FILE
    from_file = read_home_settings(home_file)
    rows = []
    for setting in ENV_SETTINGS:
        value = setting.read(effective_environment(environ))
        source = "default"
        if setting.name in environ:
            source = "environment"
        elif setting.name in from_file:
            source = str(home_file)
        key_file = settings.SECRET_KEY_FILE
        if setting.name == "SECRET_KEY" and setting.name not in environ and read_secret_key_file(key_file):
            value, source = settings.SECRET_KEY, str(key_file)
        rows.append(
            {"name": setting.name, "value": masked_value(setting, value), "source": source, "help": setting.help}
        )
    return rows


class Command(BaseCommand):
    help = "Print every setting with its help, its current value and where it came from (secrets masked)."
    example = "dailypapers settings"

    def handle(self, *args, **options):
        for row in settings_rows():
            self.stdout.write(f"{row['name']}={row['value']}    ({row['source']})")
            self.stdout.write(f"    {row['help']}")
