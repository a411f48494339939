"""The quality roles' menu entry, registered from ``QualityRolesConfig.ready()`` with
``directory.registry``: the directory shows it without knowing this app (issue 11)."""

from django.utils.translation import gettext_lazy as _

from directory import registry
from directory.constants import BODY_ROLES, Role


def register() -> None:
    registry.menu_entry(
        "quality_roles:body_list",
        _("Quality roles"),
        roles={*BODY_ROLES, Role.REGULATOR_INSPECTOR},
        position=90,
    )
    registry.menu_entry(
        "quality_roles:certificate_list",
        _("Certificates"),
        roles={*BODY_ROLES, Role.REGULATOR_INSPECTOR},
        position=91,
    )
