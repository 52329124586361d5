"""Every command and every setting is documented (datasette's test_docs habit)."""

from pathlib import Path

from dailypapers.cli import DJANGO_COMMANDS, _our_commands, usage

ROOT = Path(__file__).resolve().parents[1]


def test_every_command_is_in_the_cli_docs(db):
    docs = (ROOT / "docs" / "cli.md").read_text()
    missing = [name for name in {**DJANGO_COMMANDS, **_our_commands()} if f"\n  {name} " not in docs]
    assert not missing, f"commands missing from docs/cli.md (paste `dailypapers --help`): {missing}"


def test_every_command_has_help_and_an_example(db):
    for name, (help_text, example) in _our_commands().items():
        assert help_text, f"{name} has no help"
        assert example.startswith(f"dailypapers {name}"), f"{name}: example should start with 'dailypapers {name}'"
    assert "e.g. dailypapers ingest" in usage()


def test_readme_quick_start_has_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
