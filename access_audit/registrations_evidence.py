"""The enforcement evidence's menu entry (registered with ``directory.registry``)."""

from django.utils.translation import gettext_lazy as _

from directory import registry

from .registrations_campaigns import CAMPAIGN_ROLES


def register() -> None:
    registry.menu_entry(
        "access_audit:evidence_run_list",
        _("Withdrawn login rights"),
        roles=CAMPAIGN_ROLES,
        position=82,
    )
