"""The liaison capability's dashboard cards: the queues each role must act on.

Each part of the capability appends its cards here.
"""

from django.urls import reverse  # noqa: F401
from django.utils.translation import gettext as _  # noqa: F401

from directory.constants import Role  # noqa: F401
from directory.dashboard import Card, card  # noqa: F401
