from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from directory.admin import NoDeleteMixin

from .models import LoginRight


@admin.register(LoginRight)
class LoginRightAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("person", "account", "state", "granted_at", "revoked_at")
    list_filter = ("state",)
    search_fields = ("person__name", "account")
    readonly_fields = ("state",)
    raw_id_fields = ("person", "granted_by", "revoked_by")
