from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityRolesConfig(AppConfig):
    name = "quality_roles"
    verbose_name = _("Quality roles")
