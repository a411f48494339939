"""``manage.py feed_client_create NAME``: a reader of the business system's feed and its token.

The token is printed once and stored only as its SHA-256: keep it in the business system's
configuration. To rotate it, create a new client, configure the business system with its
token, then deactivate the old client in the admin (``is_active``).
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from access_audit.feed_clients import feed_client_create


class Command(BaseCommand):
    help = "Create a business-system feed client and print its token, once."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The client's name, e.g. 'CBS production'.")

    def handle(self, *args, name, **options):
        try:
            client, token = feed_client_create(name=name, actor=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stderr.write(
            f"Feed client {client.name!r} created. Its token, shown only now; the portal keeps "
            "only its SHA-256:"
        )
        self.stdout.write(token)
