"""The check campaign's menu entry (issue 11: registered with ``directory.registry`` from
``AccessAuditConfig.ready()``, the directory shows it without knowing this app)."""

from django.utils.translation import gettext_lazy as _

from directory import registry
from directory.constants import Role

#: Who has the campaign pages (``permissions.campaigns.sees_campaigns``).
CAMPAIGN_ROLES = {
    Role.LAB_STAFF,
    Role.BRANCH_REVIEWER,
    Role.TRAINING_ADMIN,
    Role.QUALITY_TECH_OFFICER,
    Role.GENERAL_BUSINESS_OFFICER,
}


def register() -> None:
    registry.menu_entry(
        "access_audit:campaign_list", _("Check campaign"), roles=CAMPAIGN_ROLES, position=80
    )
