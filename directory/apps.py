from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from . import (
            cards,  # noqa: F401 - registers the dashboard cards
            signals,  # noqa: F401 - remembers the language at sign-in
        )
