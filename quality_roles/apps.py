from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityRolesConfig(AppConfig):
    name = "quality_roles"
    verbose_name = _("Quality roles")

    def ready(self) -> None:
        from cqcportal.timeline import reason_register

        from . import (
            cards,  # noqa: F401 - registers the dashboard card
            cards_certificates,  # noqa: F401 - the uncovered certificates (Q-05)
            cards_duties,  # noqa: F401 - the incidents' cards (Q-07)
            registrations,
        )
        from .constants import IncidentHistoryReason

        for code, text in IncidentHistoryReason.choices:
            reason_register(code, text)  # read in the reader's language (Q-07, issue 13)
        registrations.register()  # the menu entry (issue 11)
        registrations.register_oversight()
