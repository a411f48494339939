"""Screens of the liaison capability: the printable forms as PDF (L-02..L-04, L-11, P-04).

A form is looked up through the application's own selector (404 alike for missing and
forbidden), served from storage, and printed on the spot when it is missing or its data
changed since it was printed. The full ID number only to those who may see it (P-04).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from directory.selectors import get_in_scope_or_404

from .. import documents, permissions, selectors
from ..constants import DocumentKind
from ..forms_qualifications import RosterFilter
from ..models import LiaisonApplication, LiaisonQualification
from ..services.documents import document_ensure, document_kinds


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _serve(application: LiaisonApplication, kind: str, user) -> HttpResponse:
    full = documents.carries_id_number(kind) and permissions.can_print_applicant_id_number(
        user, application
    )
    stored = document_ensure(application=application, kind=kind, full_id_number=full)
    with stored.file.open("rb") as file:
        content = file.read()
    # Named by kind and application number: never the person's name or ID number (P-04).
    return _pdf_response(content, f"{kind}-{application.pk}.pdf")


class ApplicationDocumentView(LoginRequiredMixin, View):
    """One printable form of an application the user may see."""

    model = LiaisonApplication

    def get(self, request, pk, kind):
        application = get_in_scope_or_404(
            selectors.application_list(user=request.user).select_related("person__lab__branch"),
            pk,
        )
        if kind not in document_kinds(application):
            raise Http404
        return _serve(application, kind, request.user)


class HireNoticeView(LoginRequiredMixin, View):
    """The hire notice of a qualification the user may see (from the qualification page)."""

    model = LiaisonQualification

    def get(self, request, pk):
        qualification = get_in_scope_or_404(selectors.qualification_list(user=request.user), pk)
        if qualification.application_id is None:
            # Hired on paper before the system (L-13): there is no notice to print.
            messages.info(request, _("This liaison was hired on paper; there is no hire notice."))
            return redirect("liaisons:qualification_detail", pk=qualification.pk)
        # The notice carries no ID number: whoever sees the qualification may print it.
        application = qualification.application
        return _serve(application, DocumentKind.HIRE_NOTICE, request.user)


class RosterPdfView(LoginRequiredMixin, UserPassesTestMixin, View):
    """L-11: the roster as filtered on screen, printed; for those who may export it."""

    def test_func(self):
        return permissions.can_export_roster(self.request.user)

    def get(self, request):
        entries = selectors.roster_entries()
        filterset = RosterFilter(request.GET, queryset=entries, request=request)
        entries = filterset.qs if filterset.is_valid() else entries.none()
        total = entries.count()
        filters = []
        if filterset.is_bound and filterset.is_valid():
            for name, value in filterset.form.cleaned_data.items():
                if value not in (None, ""):
                    field = filterset.form.fields[name]
                    shown = dict(getattr(field, "choices", ())).get(value, value)
                    # Lazy labels: the document turns them into Chinese text.
                    filters.append((field.label, shown))
        pdf = documents.roster_document(entries, filters=filters, total=total)
        day = timezone.localdate().strftime("%Y%m%d")
        return _pdf_response(pdf, f"roster-{day}.pdf")


urlpatterns = [
    path(
        "applications/<int:pk>/documents/<slug:kind>.pdf",
        ApplicationDocumentView.as_view(),
        name="application_document",
    ),
    path(
        "qualifications/<int:pk>/hire-notice.pdf",
        HireNoticeView.as_view(),
        name="qualification_hire_notice",
    ),
    path("roster/export.pdf", RosterPdfView.as_view(), name="roster_export_pdf"),
]


def document_links(application: LiaisonApplication) -> list[dict]:
    """The download links of an application's forms, for its page."""
    return [
        {
            "kind": kind,
            "label": DocumentKind(kind).label,
            "url": reverse("liaisons:application_document", args=[application.pk, kind]),
        }
        for kind in document_kinds(application)
    ]
