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
    # The projects, then the certificates issued under them.
    registry.menu_entry(
        "quality_roles:project_list",
        _("Certification projects"),
        roles={*BODY_ROLES, Role.REGULATOR_INSPECTOR},
        position=91,
    )
    registry.menu_entry(
        "quality_roles:certificate_list",
        _("Certificates"),
        roles={*BODY_ROLES, Role.REGULATOR_INSPECTOR},
        position=92,
    )


def register_oversight() -> None:
    """Advice (Q-11), accountability (Q-12), the regulator's assessments and their public
    results (Q-13), after the projects and certificates (90-92)."""
    readers = {*BODY_ROLES, Role.REGULATOR_INSPECTOR}
    registry.menu_entry(
        "quality_roles:advice_list", _("Director's advice"), roles=readers, position=93
    )
    registry.menu_entry(
        "quality_roles:cases_list", _("Accountability cases"), roles=readers, position=94
    )
    registry.menu_entry(
        "quality_roles:assessments_list",
        _("Assessments of directors"),
        roles=readers,
        position=95,
    )
    registry.menu_entry(
        "quality_roles:assessment_results",
        _("Directors' assessment results"),
        roles=None,
        position=96,
        public=True,
    )
