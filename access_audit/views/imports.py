"""The general business dept imports the business system's account list: upload, a preview
of every row with its problems (nothing written), then the confirmation that writes all rows
or none."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ..forms import AccountImportForm
from ..imports import read_account_rows
from ..permissions import rights as permissions
from ..services.imports import login_rights_import

#: The previewed rows wait here (server-side session: only text) until the confirmation.
SESSION_KEY = "access_audit_account_import_rows"
PREVIEW = "access_audit/imports/preview.html"
#: Rows the preview lists: every row with a problem, or the changes of a good file.
PREVIEW_ROWS = 500


def _preview(request, report, *, status: int):
    rows = report.changes if report.ok else report.error_rows
    context = {
        "report": report,
        "shown_rows": rows[:PREVIEW_ROWS],
        "more_rows": max(0, len(rows) - PREVIEW_ROWS),
    }
    return render(request, PREVIEW, context, status=status)


class ImportAccessMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_import_accounts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AccountImportView(ImportAccessMixin, View):
    template_name = "access_audit/imports/upload.html"

    def get(self, request):
        return render(request, self.template_name, {"form": AccountImportForm()})

    def post(self, request):
        request.session.pop(SESSION_KEY, None)
        form = AccountImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows = read_account_rows(form.cleaned_data["file"])
            except ValidationError as error:
                form.add_error("file", error)
            else:
                report = login_rights_import(rows=rows, actor=request.user, dry_run=True)
                if report.ok:
                    request.session[SESSION_KEY] = rows
                return _preview(request, report, status=200 if report.ok else 400)
        return render(request, self.template_name, {"form": form}, status=400)


class AccountImportConfirmView(ImportAccessMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        rows = request.session.pop(SESSION_KEY, None)
        if not rows:
            messages.error(request, _("Nothing to import: upload the file again."))
            return redirect("access_audit:right_import")
        try:
            report = login_rights_import(rows=rows, actor=request.user, dry_run=False)
        except ValidationError as error:
            # Something changed since the preview (an account granted meanwhile): show why.
            report = login_rights_import(rows=rows, actor=request.user, dry_run=True)
            for message in error.messages:
                messages.error(request, message)
            return _preview(request, report, status=400)
        counts = report.counts
        messages.success(
            request,
            _(
                "%(count)d accounts were imported: %(new)d new, %(updated)d updated, "
                "%(unchanged)d unchanged; %(unmatched)d match no person and are listed for "
                "follow-up."
            )
            % {"count": report.imported, **counts},
        )
        if counts["unmatched"]:
            return redirect("access_audit:right_follow_up")
        return redirect("access_audit:right_list")
