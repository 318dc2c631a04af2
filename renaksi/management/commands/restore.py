from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renaksi.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into an installation that holds no data yet. The "
        "whole archive is checked first; a damaged or foreign one is refused and nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        try:
            summary = backup_restore(archive=archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{summary.path}: {summary.vendor} database and {summary.files} evidence files "
            "restored; run `manage.py migrate` if the archive is from an older version"
        )
