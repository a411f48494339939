"""The login rights' menu entries (issue 11: registered with ``directory.registry`` from
``AccessAuditConfig.ready()``; the directory shows them without knowing this app)."""

from django.utils.translation import gettext_lazy as _

from directory import registry
from directory.constants import Role

R = Role
#: Who sees login rights and their requests: the lab (its own), the branch centre (its labs'),
#: CQC's departments and the training centre (all), a person (their own).
_READERS = {
    R.LAB_STAFF,
    R.BRANCH_REVIEWER,
    R.TRAINING_ADMIN,
    R.QUALITY_TECH_OFFICER,
    R.GENERAL_BUSINESS_OFFICER,
    R.PERSON,
}


def register() -> None:
    registry.menu_entry("access_audit:right_list", _("Login rights"), roles=_READERS, position=70)
    registry.menu_entry(
        "access_audit:request_list", _("Login-right requests"), roles=_READERS, position=72
    )
