from django.core.management.base import BaseCommand, CommandError

from dailypapers.ops.backup import BackupError, restore_database


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by `dailypapers backup`."
    example = "dailypapers restore var/backups/dailypapers-2026-11-29.db --yes"

    def add_arguments(self, parser):
        parser.add_argument("path", help="Backup file written by `dailypapers backup`.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, path, yes, **options):
        if not yes:
            answer = input(f"Replace every table with the contents of {path}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("restore cancelled")
        try:
            restore_database(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"database restored from {path}")
