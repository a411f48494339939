"""Screens of the certificates (Q-05): the list with its filters and CSV/XLSX export, a
certificate's page with its timeline, assigning its responsible lead, and the import of a
body's certificate list (upload, preview of every row, confirmation: all rows or none)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_filters.views import FilterView

from directory.views import ScopedDetailView

from .. import permissions, selectors_certificates
from ..coverage import is_uncovered
from ..exports import FORMATS, export_certificates, format_available
from ..filters import CertificateFilter
from ..forms_certificates import CertificateImportForm, CertificateLeadForm
from ..imports import read_certificate_rows
from ..models import Certificate
from ..services.certificates import certificate_assign_lead
from ..services.imports import certificates_import
from .common import ObjectFormView


class CertificateListView(LoginRequiredMixin, FilterView):
    """The certificates of the user's scope, filtered, 50 a page; each row says whether it is
    uncovered from what the page's one query loaded (Q-05)."""

    filterset_class = CertificateFilter
    template_name = "quality_roles/certificates/list.html"
    paginate_by = 50
    context_object_name = "certificates"

    def get_queryset(self):
        return selectors_certificates.certificate_list(user=self.request.user).order_by(
            "number", "pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        query = self.request.GET.copy()
        query.pop("page", None)
        for certificate in context["certificates"]:
            certificate.uncovered = is_uncovered(certificate)
        body = user.body if user.body_id else None
        context.update(
            export_formats=[fmt for fmt in FORMATS if format_available(fmt)],
            export_query=query.urlencode(),
            can_import=body is not None and permissions.can_manage_certificates(user, body),
        )
        return context


class CertificateExportView(LoginRequiredMixin, View):
    """The list as filtered on screen, as CSV or XLSX."""

    fmt = "csv"

    def get(self, request):
        if not format_available(self.fmt):
            raise Http404
        certificates = selectors_certificates.certificate_list(user=request.user)
        filterset = CertificateFilter(request.GET, queryset=certificates, request=request)
        certificates = filterset.qs if filterset.is_valid() else certificates.none()
        response = HttpResponse(
            export_certificates(certificates, self.fmt), content_type=FORMATS[self.fmt]
        )
        day = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="certificates-{day}.{self.fmt}"'
        return response


class CertificateDetailView(ScopedDetailView):
    """A certificate: what it certifies, who answers for it (Q-05), its timeline."""

    model = Certificate
    selector = selectors_certificates.certificate_list
    template_name = "quality_roles/certificates/detail.html"
    context_object_name = "certificate"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.object
        context.update(
            uncovered=is_uncovered(certificate),
            can_assign=permissions.can_manage_certificates(self.request.user, certificate.body),
        )
        return context


class CertificateLeadView(ObjectFormView):
    """Q-05: the director or the body's administrator names the certificate's lead."""

    model = Certificate
    selector = selectors_certificates.certificate_list
    form_class = CertificateLeadForm
    title = gettext_lazy("Responsible project quality lead")
    intro = gettext_lazy(
        "Every valid certificate has a project quality lead in office who answers for it (Q-05)."
    )

    def allowed(self, certificate) -> bool:
        return permissions.can_manage_certificates(self.request.user, certificate.body)

    def form_kwargs(self, certificate) -> dict:
        return {"certificate": certificate}

    def initial(self, certificate) -> dict:
        return {"lead": certificate.responsible_lead_id}

    def perform(self, certificate, data):
        return certificate_assign_lead(
            certificate=certificate,
            lead=data["lead"],
            actor=self.request.user,
            comment=data["comment"],
        )


# --- the import ----------------------------------------------------------------------------------

#: The previewed rows wait here (server-side session: only text) until the confirmation.
SESSION_KEY = "quality_roles_certificate_import_rows"
PREVIEW = "quality_roles/certificates/import_preview.html"
#: Rows the preview lists: every row with a problem, or the rows of a good file.
PREVIEW_ROWS = 500


def _preview(request, report, *, status: int):
    rows = report.rows if report.ok else report.error_rows
    context = {
        "report": report,
        "shown_rows": rows[:PREVIEW_ROWS],
        "more_rows": max(0, len(rows) - PREVIEW_ROWS),
    }
    return render(request, PREVIEW, context, status=status)


class ImportAccessMixin(LoginRequiredMixin):
    """The import is into the user's own body, never one named in the request."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            body = getattr(request.user, "body", None)
            if body is None or not permissions.can_manage_certificates(request.user, body):
                raise PermissionDenied
            self.body = body
        return super().dispatch(request, *args, **kwargs)


class CertificateImportView(ImportAccessMixin, View):
    template_name = "quality_roles/certificates/import_upload.html"

    def get(self, request):
        return render(request, self.template_name, {"form": CertificateImportForm()})

    def post(self, request):
        request.session.pop(SESSION_KEY, None)
        form = CertificateImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows = read_certificate_rows(form.cleaned_data["file"])
            except ValidationError as error:
                form.add_error("file", error)
            else:
                report = certificates_import(
                    body=self.body, rows=rows, actor=request.user, dry_run=True
                )
                if report.ok:
                    request.session[SESSION_KEY] = {"body": self.body.pk, "rows": rows}
                return _preview(request, report, status=200 if report.ok else 400)
        return render(request, self.template_name, {"form": form}, status=400)


class CertificateImportConfirmView(ImportAccessMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        stored = request.session.pop(SESSION_KEY, None) or {}
        rows = stored.get("rows") if stored.get("body") == self.body.pk else None
        if not rows:
            messages.error(request, _("Nothing to import: upload the file again."))
            return redirect("quality_roles:certificate_import")
        try:
            report = certificates_import(
                body=self.body, rows=rows, actor=request.user, dry_run=False
            )
        except ValidationError as error:
            # Something changed since the preview (a certificate stored meanwhile): show why.
            report = certificates_import(
                body=self.body, rows=rows, actor=request.user, dry_run=True
            )
            for message in error.messages:
                messages.error(request, message)
            return _preview(request, report, status=400)
        messages.success(
            request,
            _("%(count)d certificates were imported; %(uncovered)d of them have no lead (Q-05).")
            % {"count": report.imported, "uncovered": report.uncovered},
        )
        url = reverse("quality_roles:certificate_list")
        return redirect(f"{url}?coverage=uncovered" if report.uncovered else url)


urlpatterns = [
    path("certificates/", CertificateListView.as_view(), name="certificate_list"),
    *(
        path(
            f"certificates/export.{fmt}",
            CertificateExportView.as_view(fmt=fmt),
            name=f"certificate_export_{fmt}",
        )
        for fmt in FORMATS
    ),
    path("certificates/import/", CertificateImportView.as_view(), name="certificate_import"),
    path(
        "certificates/import/confirm/",
        CertificateImportConfirmView.as_view(),
        name="certificate_import_confirm",
    ),
    path("certificates/<int:pk>/", CertificateDetailView.as_view(), name="certificate_detail"),
    path("certificates/<int:pk>/lead/", CertificateLeadView.as_view(), name="certificate_lead"),
]
