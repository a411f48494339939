"""Screens of the liaison capability: the legacy liaisons (L-13), imported by the training
centre from the paper roster and migrated by their labs through an application."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from directory.constants import Role
from directory.selectors import get_in_scope_or_404

from .. import selectors
from ..constants import MIGRATION_DEADLINE, OPEN_STATE_VALUES, deadline_end, legacy_counts_at
from ..forms_changes import LegacyImportForm
from ..imports import read_legacy_rows
from ..models import LiaisonApplication, LiaisonQualification
from ..permissions import can_prepare_for_lab, is_training_centre
from ..services.legacy import legacy_liaisons_import
from ..services.preparation import liaison_application_start

LEGACY_ROLES = frozenset({Role.LAB_STAFF, Role.BRANCH_REVIEWER, Role.TRAINING_ADMIN})
SESSION_KEY = "liaisons_legacy_import_rows"


def _require_legacy_viewer(user) -> None:
    if not (user.is_superuser or user.role in LEGACY_ROLES):
        raise PermissionDenied


class LegacyListView(LoginRequiredMixin, ListView):
    """Legacy qualifications in the user's scope, those still to migrate marked (L-13)."""

    template_name = "liaisons/legacy/list.html"
    paginate_by = 50
    context_object_name = "qualifications"

    def get_queryset(self):
        _require_legacy_viewer(self.request.user)
        open_migration = LiaisonApplication.objects.filter(
            legacy_qualification=OuterRef("pk"), state__in=OPEN_STATE_VALUES
        )
        qualifications = (
            selectors.qualification_list(user=self.request.user)
            .filter(is_legacy=True)
            .annotate(migration_open=Exists(open_migration))
            .prefetch_related("fields")
            .order_by("lab__name", "person__name", "id")
        )
        if self.request.GET.get("needs_migration"):
            qualifications = qualifications.filter(migrated_at__isnull=True)
        return qualifications

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        for qualification in context["qualifications"]:
            qualification.can_migrate = (
                qualification.can_be_migrated
                and not qualification.migration_open
                and can_prepare_for_lab(user, qualification.lab)
            )
        context["deadline_day"] = MIGRATION_DEADLINE
        context["deadline"] = deadline_end(MIGRATION_DEADLINE)
        context["legacy_counts"] = legacy_counts_at(timezone.now())
        context["can_import"] = is_training_centre(user)
        context["needs_migration_only"] = bool(self.request.GET.get("needs_migration"))
        return context


def _application_url(application) -> str:
    for name in ("liaisons:application_edit", "liaisons:application_detail"):
        try:
            return reverse(name, args=[application.pk])
        except NoReverseMatch:
            continue
    return reverse("liaisons:legacy_list")


class LegacyMigrateView(LoginRequiredMixin, View):
    """Lab staff start the migration application of one of their legacy liaisons (L-13)."""

    model = LiaisonQualification
    http_method_names = ["post"]

    def post(self, request, pk):
        qualification = get_in_scope_or_404(
            selectors.qualification_list(user=request.user).filter(is_legacy=True), pk
        )
        person = qualification.person
        try:
            application = liaison_application_start(
                lab=qualification.lab,
                actor=request.user,
                id_number=person.id_number,
                name=person.name,
                fields=list(
                    qualification.fields.order_by("position").values_list("code", flat=True)
                ),
                legacy_qualification=qualification,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("liaisons:legacy_list")
        messages.success(
            request,
            _("The migration application of %(name)s was started; complete it and submit it.")
            % {"name": person.name},
        )
        return redirect(_application_url(application))


class LegacyImportView(LoginRequiredMixin, View):
    """The training centre uploads the paper roster; the preview lists every row with its
    problems and writes nothing (L-13)."""

    template_name = "liaisons/legacy/import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_training_centre(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": LegacyImportForm()})

    def post(self, request):
        request.session.pop(SESSION_KEY, None)
        form = LegacyImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows = read_legacy_rows(form.cleaned_data["file"])
            except ValidationError as error:
                form.add_error("file", error)
            else:
                report = legacy_liaisons_import(rows=rows, actor=request.user, dry_run=True)
                if report.ok:
                    # Only text waits in the (server-side) session until the confirmation.
                    request.session[SESSION_KEY] = rows
                return render(
                    request, "liaisons/legacy/preview.html", {"report": report, "form": form}
                )
        return render(request, self.template_name, {"form": form}, status=400)


class LegacyImportConfirmView(LoginRequiredMixin, View):
    """Write the previewed rows, all in one transaction, or nothing."""

    http_method_names = ["post"]

    def post(self, request):
        if not is_training_centre(request.user):
            raise PermissionDenied
        rows = request.session.pop(SESSION_KEY, None)
        if not rows:
            messages.error(request, _("Nothing to import: upload the file again."))
            return redirect("liaisons:legacy_import")
        try:
            report = legacy_liaisons_import(rows=rows, actor=request.user, dry_run=False)
        except ValidationError as error:
            # Something changed since the preview (someone was hired meanwhile): show why.
            report = legacy_liaisons_import(rows=rows, actor=request.user, dry_run=True)
            for message in error.messages:
                messages.error(request, message)
            return render(
                request,
                "liaisons/legacy/preview.html",
                {"report": report, "form": LegacyImportForm()},
                status=400,
            )
        messages.success(
            request,
            _("%(count)d legacy liaisons were imported; each must be migrated (L-13).")
            % {"count": report.imported},
        )
        return redirect("liaisons:legacy_list")


urlpatterns = [
    path("legacy/", LegacyListView.as_view(), name="legacy_list"),
    path("legacy/import/", LegacyImportView.as_view(), name="legacy_import"),
    path(
        "legacy/import/confirm/",
        LegacyImportConfirmView.as_view(),
        name="legacy_import_confirm",
    ),
    path(
        "legacy/<int:pk>/migrate/",
        LegacyMigrateView.as_view(),
        name="legacy_migrate",
    ),
]
