from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityRolesConfig(AppConfig):
    name = "quality_roles"
    verbose_name = _("Quality roles")

    def ready(self) -> None:
        from . import (
            cards,  # noqa: F401 - registers the dashboard card
            registrations,
        )

        registrations.register()  # the menu entry (issue 11)
        registrations.register_oversight()
