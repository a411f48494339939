"""The check campaign's menu entries (issue 11: registered with ``directory.registry`` from
``AccessAuditConfig.ready()``, the directory shows them without knowing this app): the
campaigns, and the deadline job's runs (A-04)."""

from django.utils.translation import gettext_lazy as _

from directory import registry
from directory.constants import CQC_WIDE_ROLES, Role

#: Who has the campaign pages (``permissions.campaigns.sees_campaigns``).
CAMPAIGN_ROLES = {
    Role.LAB_STAFF,
    Role.BRANCH_REVIEWER,
    Role.TRAINING_ADMIN,
    Role.QUALITY_TECH_OFFICER,
    Role.GENERAL_BUSINESS_OFFICER,
}
#: Who has the enforcement runs (``permissions.enforcement.sees_runs``): the training centre
#: and the CQC-wide departments; labs and branch centres see the preview from the campaign.
RUN_ROLES = CQC_WIDE_ROLES


def register() -> None:
    registry.menu_entry(
        "access_audit:campaign_list", _("Check campaign"), roles=CAMPAIGN_ROLES, position=80
    )
    registry.menu_entry(
        "access_audit:enforcement_run_list", _("Enforcement runs"), roles=RUN_ROLES, position=81
    )
