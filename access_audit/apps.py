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

        # The check campaign: its entries follow the rights and the qualifications
        # (after the rights' receiver), its menu entries, dashboard cards and demo.
        from . import (
            cards_campaigns,  # noqa: F401 - registers the dashboard cards
            demo_campaigns,  # noqa: F401 - registers the campaign demo (seed_demo)
            receivers_campaigns,
            registrations_campaigns,
        )

        receivers_campaigns.connect()
        registrations_campaigns.register()
        # What follows a done enforcement run: its evidence pack and the labs' notices.
        from .evidence import receivers as evidence_receivers
        from .registrations_evidence import register as register_evidence

        evidence_receivers.connect()
        register_evidence()
        # Celery finds ``access_audit.tasks``, a package: its modules register here.
        from .tasks import campaigns, enforcement, evidence, feed, requests  # noqa: F401
