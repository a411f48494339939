"""Choices of the access audit: login rights to the certification business system."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginRightState(models.TextChoices):
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")
