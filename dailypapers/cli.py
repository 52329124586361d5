"""The `dailypapers` command: a thin shell over Django management commands.

`dailypapers COMMAND ARGS…` runs the management command of that name with the project's
settings. `dailypapers --help` lists the commands this project adds (each with its `example`)
and the Django ones an operator needs. Exit status: 0 done, 1 failed, 2 bad usage, 3 done
but some input records were skipped (see `ingest`).
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys

# Django commands an operator needs, besides the ones our apps define.
DJANGO_COMMANDS = {
    "migrate": ("Create or upgrade the database tables.", "dailypapers migrate"),
    "createsuperuser": ("Create an administrator account for /admin/.", "dailypapers createsuperuser"),
    "collectstatic": (
        "Copy static files to $DAILYPAPERS_HOME/static for a front server.",
        "dailypapers collectstatic --noinput",
    ),
    "shell": ("A Python shell with the project loaded.", "dailypapers shell"),
}


# Two-word commands: `dailypapers eval recommend DIR` is the recommender's eval (community app),
# beside the search eval `dailypapers eval DIR` (search app, which cannot import community).
ALIASES = {("eval", "recommend"): "eval_recommend"}


def _our_commands() -> dict[str, tuple[str, str]]:
    from django.core.management import get_commands, load_command_class

    found = {}
    for name, app in sorted(get_commands().items()):
        if not app.startswith("dailypapers."):
            continue
        command = load_command_class(app, name)
        found[name] = (
            command.help.strip().splitlines()[0] if command.help else "",
            getattr(command, "example", f"dailypapers {name}"),
        )
    return found


def usage() -> str:
    commands = {**DJANGO_COMMANDS, **_our_commands()}
    width = max(len(name) for name in commands)
    lines = [
        "usage: dailypapers COMMAND [ARGS…]      (dailypapers COMMAND --help for its options)",
        "",
        "A self-hostable research-paper discovery service. Settings come from the environment:",
        "DAILYPAPERS_HOME (default ./var), DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS; see docs/settings.md.",
        "",
        "commands:",
    ]
    for name, (help_text, example) in sorted(commands.items()):
        lines.append(f"  {name.ljust(width)}  {help_text}")
        lines.append(f"  {' ' * width}  e.g. {example}")
    lines += ["", "exit status: 0 done, 1 failed, 2 bad usage, 3 done but some records were skipped"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    try:
        import django

        django.setup()
    except Exception as exc:  # settings errors name the variable; show them without a traceback
        print(f"dailypapers: {exc}", file=sys.stderr)
        return 1
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    from django.core.management import execute_from_command_line, get_commands
    from django.db import DatabaseError

    if tuple(argv[:2]) in ALIASES:
        argv = [ALIASES[tuple(argv[:2])], *argv[2:]]

    if argv[0] not in get_commands() and argv[0] not in {"version", "--version"}:
        close = difflib.get_close_matches(argv[0], get_commands(), n=1)
        hint = f"; did you mean `dailypapers {close[0]}`?" if close else ""
        print(f"dailypapers: unknown command {argv[0]!r}{hint} (`dailypapers --help` lists them)", file=sys.stderr)
        return 2
    try:
        execute_from_command_line(["dailypapers", *_command_options_first(argv)])
    except KeyboardInterrupt:
        print("\ninterrupted; run the same command again to continue", file=sys.stderr)
        return 130
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except DatabaseError as exc:
        if not _unmigrated(exc):
            raise
        from django.db import connection

        where = connection.settings_dict.get("NAME")
        print(
            f"dailypapers: the database {where} is not set up ({exc}); run `dailypapers migrate` first", file=sys.stderr
        )
        return 1
    return 0


def _command_options_first(argv: list[str]) -> list[str]:
    """`argv` with the command's own options moved before its subcommand.

    argparse hands everything after a subcommand (`ingest file F --no-progress`) to the
    subcommand's parser, which does not know the command's options (`--no-progress`,
    `--batch-size`, Django's `--verbosity`…) and exits 2. Moving them in front keeps the
    meaning and lets them go anywhere, as the README's examples write them. An option the
    subcommand defines itself stays where it is.
    """
    from django.core.management import get_commands, load_command_class

    parser = load_command_class(get_commands()[argv[0]], argv[0]).create_parser("dailypapers", argv[0])
    choices = next((a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    if not choices:
        return argv
    own = parser._option_string_actions
    head, tail, position = [argv[0]], [], 1
    while position < len(argv) and argv[position] not in choices:  # up to the subcommand
        head.append(argv[position])
        position += 1
    if position == len(argv):
        return argv
    sub_options = choices[argv[position]]._option_string_actions
    tail.append(argv[position])
    position += 1
    while position < len(argv):
        token = argv[position]
        if token == "--":
            tail += argv[position:]
            break
        name = token.split("=", 1)[0]
        action = own.get(name) if token.startswith("-") and name not in sub_options else None
        if action is None:
            tail.append(token)
            position += 1
            continue
        takes_value = action.nargs != 0 and "=" not in token
        head += argv[position : position + 1 + takes_value]
        position += 1 + takes_value
    return head + tail


def _unmigrated(exc: Exception) -> bool:
    """A missing table: SQLite's "no such table", PostgreSQL's undefined_table (42P01)."""
    text = str(exc)
    return "no such table" in text or getattr(getattr(exc, "__cause__", None), "sqlstate", None) == "42P01"


if __name__ == "__main__":
    sys.exit(main())
