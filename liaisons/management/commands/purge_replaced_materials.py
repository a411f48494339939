"""Delete the files of replaced materials the history no longer needs (docs/decisions.md)."""

from django.core.management.base import BaseCommand

from liaisons.services.retention import REPLACED_MATERIAL_RETENTION, replaced_materials_purge


class Command(BaseCommand):
    help = (
        "Delete replaced material files: their application decided and replaced more than "
        f"{REPLACED_MATERIAL_RETENTION.days} days ago, and files no row names."
    )

    def handle(self, *args, **options):
        deleted = replaced_materials_purge()
        self.stdout.write(f"{len(deleted)} files deleted")
