from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renaksi.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one archive (.tar.gz) of the database and the evidence files, with a manifest "
        "of SHA-256 checksums. DEST is the archive's path or a folder to put it in."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", type=Path)

    def handle(self, *args, dest, **options):
        try:
            summary = backup_create(dest=dest)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{summary.path}: {summary.vendor} database and {summary.files} evidence files, "
            f"{summary.size} bytes"
        )
