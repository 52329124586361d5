from django.core.management.base import BaseCommand, CommandError

from dailypapers.ops.backup import BackupError, backup_database


class Command(BaseCommand):
    help = "Back up the whole database to a file (SQLite online backup; pg_dump on PostgreSQL)."
    example = "dailypapers backup var/backups/dailypapers-$(date +%F).db"

    def add_arguments(self, parser):
        parser.add_argument("path", help="File to write; written whole or not at all.")

    def handle(self, *args, path, **options):
        try:
            written = backup_database(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"backup written to {written}")
