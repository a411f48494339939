from django.core.management.base import BaseCommand
from django.utils.module_loading import autodiscover_modules

from directory import registry
from directory.demo import (
    DEMO_PASSWORD,
    DEMO_RECOVERY_CODES,
    DEMO_TOTP_SECRET,
    DEMO_TWO_STEP_USERNAME,
)


class Command(BaseCommand):
    help = "Create the demo data (idempotent) and print the demo users."

    def handle(self, *args, **options):
        # Each installed app's ``demo`` module registers its builder with
        # ``directory.registry.demo(order=...)``: the directory's first, then the apps built
        # on it (issue 11: the directory does not know them).
        autodiscover_modules("demo")
        users = []
        for builder in registry.demo_builders():
            users += builder() or []
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Demo users (password: {DEMO_PASSWORD}):")
        )
        for username, role, scope in users:
            self.stdout.write(f"  {username:<20} {role}{' · ' + scope if scope else ''}")
        self.stdout.write(
            f"Two-step sign-in: {DEMO_TWO_STEP_USERNAME} also asks for a code. Authenticator key"
            f" (TOTP, 6 digits, 30 s): {DEMO_TOTP_SECRET}\n  A code now: .venv/bin/python -c"
            f' "from base64 import b32decode; from django_otp.oath import totp;'
            f" print('%06d' % totp(b32decode('{DEMO_TOTP_SECRET}')))\"\n"
            f"  Recovery codes (each once): {' '.join(DEMO_RECOVERY_CODES)}"
        )
