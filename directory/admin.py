"""Django admin for every directory model, with search and filters; nothing is hard-deleted."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    BranchCentre,
    CertificationBody,
    CertificationField,
    Department,
    EmploymentNumberCounter,
    Person,
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
    """Read-only: numbers are drawn by ``person_assign_employment_number`` alone (P-02)."""

    list_display = ["pk", "last_value"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
