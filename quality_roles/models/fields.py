"""Field builders shared by the quality-role models: every text has a limit, every link to
an account or record protects it (nothing is hard-deleted)."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from cqcportal.limits import REASON_MAX_LENGTH

from ..constants import TEXT_MAX_LENGTH


def limited_text(label, *, limit: int = TEXT_MAX_LENGTH, blank: bool = True, **kwargs):
    """A text of at most ``limit`` characters, checked by the forms and by ``full_clean``."""
    return models.TextField(
        label,
        blank=blank,
        max_length=limit,
        validators=[MaxLengthValidator(limit)],
        **kwargs,
    )


def reason(label, *, blank: bool = True):
    """A reason or comment of a step (screen and history only)."""
    return limited_text(label, limit=REASON_MAX_LENGTH, blank=blank)


def account(label, *, null: bool = True):
    """The portal account that acted (who), kept for ever."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name="+",
        verbose_name=label,
    )


def protected(to, label, *, related_name, null: bool = False, **kwargs):
    """A link to another record that the record keeps: the other is never deleted under it."""
    return models.ForeignKey(
        to,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name=related_name,
        verbose_name=label,
        **kwargs,
    )
