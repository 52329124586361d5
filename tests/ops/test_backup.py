"""Backup then restore gives back every table exactly, on SQLite and PostgreSQL."""

import pytest
from django.apps import apps
from django.core.management import call_command

from dailypapers.catalog.models import Author, Paper
from dailypapers.ops.backup import BackupError, restore_database
from tests.factories import make_paper


def snapshot() -> dict[str, list[tuple]]:
    tables = {}
    for model in apps.get_models():
        rows = model._default_manager.order_by("pk").values_list()
        tables[model._meta.db_table] = [tuple(map(repr, row)) for row in rows]
    return tables


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_every_table(tmp_path):
    make_paper(
        "2503.11731",
        version=2,
        title="Ünïcode & tables",
        abstract="a",
        categories=["cs.LG", "cs.AI"],
        authors=["Ada Lovelace"],
    )
    author = Author.objects.get(name="Ada Lovelace")
    before = snapshot()

    call_command("backup", str(tmp_path / "b.db"))
    make_paper("2503.00001", title="added after the backup")
    Author.objects.filter(pk=author.pk).delete()
    assert snapshot() != before

    call_command("restore", str(tmp_path / "b.db"), "--yes")
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    make_paper("2503.11731", title="kept")
    bogus = tmp_path / "not-a-backup.db"
    bogus.write_text("hello")
    with pytest.raises(BackupError):
        restore_database(bogus)
    assert Paper.objects.filter(arxiv_id="2503.11731").exists()
