from django.core.management.base import BaseCommand

from directory.demo import DEMO_PASSWORD, seed_directory
from liaisons.demo import seed_liaisons


class Command(BaseCommand):
    help = "Create the demo data (idempotent) and print the demo users."

    def handle(self, *args, **options):
        users = seed_directory()
        seed_liaisons()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Demo users (password: {DEMO_PASSWORD}):")
        )
        for username, role, scope in users:
            self.stdout.write(f"  {username:<20} {role}{' · ' + scope if scope else ''}")
