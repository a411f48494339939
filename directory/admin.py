"""Django admin for every directory model, with search and filters; nothing is hard-deleted."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .backends import sign_in_username
from .idnumbers import mask_account_name
from .models import (
    BranchCentre,
    CertificationBody,
    CertificationField,
    Department,
    EmploymentNumberCounter,
    Person,
    SignInFailure,
    SignInLockout,
    SignInLogEntry,
    TestingLab,
    User,
)


class NoDeleteMixin:
    """Records that matter are deactivated, never deleted."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CertificationField)
class CertificationFieldAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["code", "__str__", "position"]
    search_fields = ["code"]

    def has_add_permission(self, request):
        return False  # exactly ten, made by a migration


@admin.register(BranchCentre)
class BranchCentreAdmin(NoDeleteMixin, GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name", "email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


@admin.register(TestingLab)
class TestingLabAdmin(NoDeleteMixin, GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ["name", "uscc", "branch", "is_active"]
    list_filter = ["is_active", "branch", "business_scope"]
    search_fields = ["name", "uscc"]
    filter_horizontal = ["business_scope"]
    list_select_related = ["branch"]


@admin.register(Department)
class DepartmentAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(CertificationBody)
class CertificationBodyAdmin(NoDeleteMixin, GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ["name", "uscc", "approval_number", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "uscc", "approval_number"]


@admin.register(Person)
class PersonAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "masked_id", "sex", "employment_number", "lab", "body"]
    list_filter = ["sex", "education", "lab__branch"]
    search_fields = ["name", "=id_number", "=employment_number"]
    readonly_fields = ["birth_date", "sex", "employment_number", "important_data_locked_at"]
    raw_id_fields = ["lab", "body", "user"]
    list_select_related = ["lab", "body"]

    @admin.display(description=_("ID number"))
    def masked_id(self, person):
        return person.masked_id_number


@admin.register(User)
class PortalUserAdmin(NoDeleteMixin, UserAdmin, SimpleHistoryAdmin):
    list_display = [
        "username_display",
        "first_name",
        "last_name",
        "role",
        "scope_name",
        "is_active",
    ]
    list_filter = ["role", "is_active", "is_staff", "branch"]
    search_fields = ["username", "first_name", "last_name", "email"]
    raw_id_fields = ["lab", "branch", "department", "body"]
    list_select_related = ["lab", "branch", "department", "body"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ["role", "lab", "branch", "department", "body"]}),
    ]

    @admin.display(description=_("username"), ordering="username")
    def username_display(self, user):
        from .idnumbers import mask_id_number

        name = user.username
        return mask_id_number(name) if len(name) == 18 and name[:17].isdigit() else name


@admin.register(EmploymentNumberCounter)
class EmploymentNumberCounterAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Read-only: numbers are drawn by ``employment_numbers_assign`` alone (P-02)."""

    list_display = ["pk", "last_value"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- The sign-in lockout (django-axes) with usernames masked (P-04, issue 9) ------------------


class MaskedSignInAdmin(admin.ModelAdmin):
    """Read-only lists of sign-ins whose usernames (ID numbers) are masked everywhere.

    Search finds an account by its full name in any spelling (``sign_in_username``, as the
    lockout counts it) without the list showing it; a fragment of an ID number finds nothing.
    """

    list_display = ["attempt_time", "masked_username", "ip_address", "path_info"]
    list_filter = ["attempt_time", "path_info"]
    search_fields = ["ip_address", "path_info"]
    date_hierarchy = "attempt_time"
    fields = ["masked_username", "ip_address", "user_agent", "path_info", "attempt_time"]
    readonly_fields = fields

    @admin.display(description=_("username"), ordering="username")
    def masked_username(self, record):
        return mask_account_name(record.username)

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found |= queryset.filter(username=sign_in_username(search_term))
        return found, may_have_duplicates

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SignInLockout)
class SignInLockoutAdmin(MaskedSignInAdmin):
    """The superuser unlocks an account (for that address) with the *Unlock* action."""

    actions = ["unlock"]
    list_display = [*MaskedSignInAdmin.list_display, "failures_since_start", "is_locked"]
    fields = [*MaskedSignInAdmin.fields, "failures_since_start"]
    readonly_fields = fields

    @admin.display(description=_("locked"), boolean=True)
    def is_locked(self, record):
        return record.failures_since_start >= settings.AXES_FAILURE_LIMIT

    def has_delete_permission(self, request, obj=None):
        return False  # unlocking is the one way a record goes, through the action below

    def has_unlock_permission(self, request):
        return request.user.is_superuser

    @admin.action(description=_("Unlock the chosen accounts"), permissions=["unlock"])
    def unlock(self, request, queryset):
        records = list(queryset)
        # The admin's action log names them by their masked __str__ (P-04).
        self.log_deletions(request, records)
        for record in records:
            axes_reset(ip=record.ip_address, username=record.username)
        self.message_user(
            request,
            ngettext("%d account unlocked.", "%d accounts unlocked.", len(records)) % len(records),
        )


@admin.register(SignInLogEntry)
class SignInLogEntryAdmin(MaskedSignInAdmin):
    list_display = [*MaskedSignInAdmin.list_display, "logout_time"]
    fields = [*MaskedSignInAdmin.fields, "logout_time"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignInFailure)
class SignInFailureAdmin(MaskedSignInAdmin):
    list_display = [*MaskedSignInAdmin.list_display, "locked_out"]
    fields = [*MaskedSignInAdmin.fields, "locked_out"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        return False
