from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessAuditConfig(AppConfig):
    name = "access_audit"
    verbose_name = _("Business-system access audit")

    def ready(self) -> None:
        # Login rights follow liaison qualifications: liaisons announces, we listen
        # (issue 11: access_audit sits above liaisons, never the reverse).
        from . import (
            cards,  # noqa: F401 - registers the dashboard cards
            receivers,
            registrations,
        )

        receivers.connect()
        registrations.register()
