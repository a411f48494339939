from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonsConfig(AppConfig):
    name = "liaisons"
    verbose_name = _("Liaison officers")

    def ready(self) -> None:
        from . import (
            cards,  # noqa: F401 - registers the dashboard cards
            registrations,
        )

        registrations.register()  # the menu entries and the lab pages' parts (issue 11)
