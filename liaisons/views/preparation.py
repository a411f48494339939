"""Screens where the lab prepares an application: start, edit, the training record, the
materials and their download (L-02..L-04, P-04).

Every page looks the application up in the user's scope (``applications.application_in_scope``:
404 alike for missing and forbidden); every write is one service call.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View

from directory.selectors import get_in_scope_or_404

from .. import permissions, selectors
from ..constants import OPEN_STATE_VALUES, MaterialKind
from ..forms import (
    ApplicationStartForm,
    ApplicationUpdateForm,
    AssessmentEntryForm,
    MaterialUploadForm,
    add_service_error,
)
from ..models import ApplicationMaterial, LiaisonApplication
from ..services.preparation import (
    assessment_entry_update,
    liaison_application_start,
    liaison_application_update,
    material_upload,
)
from .applications import application_in_scope, detail_url

#: The file name extension of each stored content type; downloads are named by kind (P-04:
#: the uploaded name may hold an ID number).
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


class ApplicationStartView(LoginRequiredMixin, View):
    """Lab staff start an application for a person, known or new (L-07, P-01)."""

    template_name = "liaisons/applications/form.html"

    def _lab(self):
        user = self.request.user
        if not user.lab_id or not permissions.can_prepare_for_lab(user, user.lab):
            raise PermissionDenied
        return user.lab

    def get(self, request):
        form = ApplicationStartForm(lab=self._lab())
        return self._render(form)

    def post(self, request):
        lab = self._lab()
        form = ApplicationStartForm(request.POST, lab=lab)
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = liaison_application_start(
                    lab=lab,
                    actor=request.user,
                    id_number=data["id_number"],
                    name=data["name"],
                    fields=data["fields"],
                    person_data=form.person_data(),
                    **form.recommendation_data(),
                )
            except ValidationError as error:
                add_service_error(form, error)
                if getattr(error, "code", None) == "application_open":
                    # The lab's own application in progress: a link to continue it.
                    existing = (
                        selectors.application_list(user=request.user)
                        .filter(lab=lab, person__id_number=data["id_number"])
                        .filter(state__in=OPEN_STATE_VALUES)
                        .first()
                    )
                    if existing is not None:
                        messages.info(request, " ".join(error.messages))
                        return redirect(detail_url(existing))
            else:
                messages.success(
                    request,
                    _(
                        "The application was created. Have the training record evaluated and "
                        "signed, upload the five materials, then submit it."
                    ),
                )
                return redirect(detail_url(application))
        return self._render(form, status=400)

    def _render(self, form, status=200):
        context = {"form": form, "title": _("New liaison application"), "application": None}
        return render(self.request, self.template_name, context, status=status)


class _EditableApplicationView(LoginRequiredMixin, View):
    """An application the lab may still change: in scope (else 404), the user's own lab (else
    403), draft or returned (else back to its page)."""

    model = LiaisonApplication

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = application_in_scope(request, kwargs["pk"])
        if not permissions.can_prepare_for_lab(request.user, self.application.lab):
            raise PermissionDenied
        if not self.application.is_editable:
            messages.info(request, _("Only a draft or a returned application can be changed."))
            return redirect(detail_url(self.application))
        return super().dispatch(request, *args, **kwargs)


class ApplicationUpdateView(_EditableApplicationView):
    """The lab edits its draft or returned application (L-03, L-05) and the declaration."""

    template_name = "liaisons/applications/form.html"

    def get(self, request, pk):
        return self._render(ApplicationUpdateForm(application=self.application))

    def post(self, request, pk):
        form = ApplicationUpdateForm(request.POST, application=self.application)
        if form.is_valid():
            try:
                liaison_application_update(
                    application=self.application,
                    actor=request.user,
                    fields=form.cleaned_data["fields"],
                    person_data=form.person_data(),
                    declaration_accepted=form.cleaned_data["declaration_accepted"],
                    **form.recommendation_data(),
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The application was saved."))
                return redirect(detail_url(self.application))
        return self._render(form, status=400)

    def _render(self, form, status=200):
        context = {
            "form": form,
            "title": _("Edit the application"),
            "application": self.application,
        }
        return render(self.request, self.template_name, context, status=status)


class AssessmentRecordView(_EditableApplicationView):
    """The training assessment record (L-04): the lab's responsible person evaluates and signs
    every entry. One page saves all entries together, or none of them."""

    template_name = "liaisons/applications/assessment.html"

    def _rows(self, data=None):
        entries = self.application.assessment_entries.select_related("field").order_by("position")
        return [
            (
                entry,
                AssessmentEntryForm(
                    data,
                    prefix=f"entry-{entry.pk}",
                    initial={
                        "evaluation": entry.evaluation,
                        "signatory": entry.signatory,
                        "trained_on": entry.trained_on,
                    },
                ),
            )
            for entry in entries
        ]

    def get(self, request, pk):
        return self._render(self._rows())

    def post(self, request, pk):
        rows = self._rows(request.POST)
        if all(form.is_valid() for _entry, form in rows):
            failed = False
            # One service call per changed entry, in one transaction: all saved or none.
            with transaction.atomic():
                for entry, form in rows:
                    if not form.has_changed():
                        continue
                    try:
                        assessment_entry_update(
                            entry=entry, actor=request.user, **form.cleaned_data
                        )
                    except ValidationError as error:
                        add_service_error(form, error)
                        failed = True
                if failed:
                    transaction.set_rollback(True)
            if not failed:
                messages.success(request, _("The training assessment record was saved."))
                return redirect(detail_url(self.application))
        return self._render(rows, status=400)

    def _render(self, rows, status=200):
        context = {"application": self.application, "rows": rows}
        return render(self.request, self.template_name, context, status=status)


class MaterialUploadView(_EditableApplicationView):
    """The five materials (L-02): one upload form per kind, checked by content."""

    template_name = "liaisons/applications/materials.html"

    def get(self, request, pk):
        return self._render()

    def post(self, request, pk):
        kind = request.POST.get("kind", "")
        form = MaterialUploadForm(
            request.POST,
            request.FILES,
            auto_id=f"id_{kind}_%s" if kind in MaterialKind.values else "id_%s",
        )
        if form.is_valid():
            try:
                material = material_upload(
                    application=self.application,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    actor=request.user,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    add_service_error(form, error)
                else:
                    form.add_error("file", error)
            else:
                messages.success(
                    request,
                    _("“%(material)s” was uploaded.") % {"material": material.get_kind_display()},
                )
                return redirect("liaisons:application_materials", pk=self.application.pk)
        return self._render(form, status=400)

    def _render(self, bound=None, status=200):
        materials = {m.kind: m for m in self.application.materials.all()}
        bound_kind = bound.data.get("kind") if bound is not None else None
        rows = []
        for kind in MaterialKind:
            if kind == bound_kind:
                form = bound
            else:
                form = MaterialUploadForm(initial={"kind": kind}, auto_id=f"id_{kind}_%s")
            rows.append({"kind": kind, "material": materials.get(kind), "form": form})
        context = {
            "application": self.application,
            "rows": rows,
            # A form whose kind is none of the five has nowhere else to show its errors.
            "stray_form": bound
            if bound is not None and bound_kind not in MaterialKind.values
            else None,
        }
        return render(self.request, self.template_name, context, status=status)


class MaterialDownloadView(LoginRequiredMixin, View):
    """A material's file, to those who may see its application (L-02, P-04).

    Named by its kind, never by the uploaded name; always an attachment, never sniffed.
    """

    model = ApplicationMaterial

    def get(self, request, pk):
        material = get_in_scope_or_404(selectors.material_list(user=request.user), pk)
        try:
            file = material.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        response = FileResponse(
            file,
            content_type=material.content_type,
            as_attachment=True,
            filename=f"{material.kind}{EXTENSIONS.get(material.content_type, '')}",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


urlpatterns = [
    path("applications/new/", ApplicationStartView.as_view(), name="application_new"),
    path("applications/<int:pk>/edit/", ApplicationUpdateView.as_view(), name="application_edit"),
    path(
        "applications/<int:pk>/assessment/",
        AssessmentRecordView.as_view(),
        name="application_assessment",
    ),
    path(
        "applications/<int:pk>/materials/",
        MaterialUploadView.as_view(),
        name="application_materials",
    ),
    path("materials/<int:pk>/", MaterialDownloadView.as_view(), name="material_download"),
]
