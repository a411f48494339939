from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from directory.admin import NoDeleteMixin

from .models import (
    AuditCampaign,
    CampaignEntry,
    CampaignReminderSent,
    EnforcementNoticeSent,
    EnforcementRun,
    EvidenceFile,
    FeedClient,
    LoginRight,
    LoginRightRequest,
    RightChange,
)


@admin.register(LoginRight)
class LoginRightAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("username", "person", "lab", "state", "last_login_on", "revoked_at")
    list_filter = ("state", "rule")
    search_fields = ("username", "person__name", "id_number")
    readonly_fields = ("state",)
    raw_id_fields = ("person", "lab", "granted_by", "revoked_by", "campaign")


@admin.register(LoginRightRequest)
class LoginRightRequestAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("person", "username", "lab", "state", "submitted_at", "decided_at")
    list_filter = ("state",)
    search_fields = ("person__name", "username")
    readonly_fields = ("state",)
    raw_id_fields = ("person", "lab", "right", "submitted_by", "accepted_by", "decided_by")


@admin.register(AuditCampaign)
class AuditCampaignAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("name", "state", "migration_deadline", "confirmation_deadline", "opened_at")
    list_filter = ("state",)
    search_fields = ("name",)
    readonly_fields = ("state",)
    raw_id_fields = ("created_by",)


@admin.register(CampaignEntry)
class CampaignEntryAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("campaign", "right", "person", "lab", "case", "confirmation", "suggest_left")
    list_filter = ("case", "confirmation", "suggest_left")
    search_fields = ("person__name", "right__username")
    raw_id_fields = ("campaign", "right", "person", "lab", "confirmed_by")


@admin.register(CampaignReminderSent)
class CampaignReminderSentAdmin(admin.ModelAdmin):
    list_display = ("campaign", "lab", "days_before", "sent_at")
    list_filter = ("days_before",)
    search_fields = ("lab__name",)
    raw_id_fields = ("campaign", "lab")


@admin.register(EnforcementRun)
class EnforcementRunAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("campaign", "kind", "as_of", "dry_run", "state", "started_at", "finished_at")
    list_filter = ("kind", "dry_run", "state")
    search_fields = ("campaign__name",)
    raw_id_fields = ("campaign", "started_by", "confirmed_by")


@admin.register(EvidenceFile)
class EvidenceFileAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("run", "name", "sha256", "size", "created_at")
    search_fields = ("name", "sha256")
    raw_id_fields = ("run",)


@admin.register(EnforcementNoticeSent)
class EnforcementNoticeSentAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("run", "lab", "accounts", "recipients", "sent_at")
    search_fields = ("lab__name",)
    raw_id_fields = ("run", "lab")


@admin.register(RightChange)
class RightChangeAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("id", "right", "state", "rule", "at", "campaign", "unreceived_flagged_at")
    list_filter = ("state", "rule")
    search_fields = ("right__username",)
    raw_id_fields = ("right", "campaign", "run")


@admin.register(FeedClient)
class FeedClientAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("name", "is_active", "read_up_to", "last_read_at")
    list_filter = ("is_active",)
    search_fields = ("name",)
    readonly_fields = ("token_sha256", "read_up_to", "last_read_at")

    def has_add_permission(self, request):
        # A client and its token come from `manage.py feed_client_create NAME`, which prints
        # the token once; here a client is renamed or deactivated (is_active), which rotates
        # it out once the business system uses a new client's token.
        return False
