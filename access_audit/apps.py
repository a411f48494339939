from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessAuditConfig(AppConfig):
    name = "access_audit"
    verbose_name = _("Business-system access audit")
