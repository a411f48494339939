"""Screens of the business-system accounts and their login rights: the list (with filters and
CSV/XLSX export), the accounts to follow up, and one account's page with its timeline."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_filters.views import FilterView

from directory.views import ScopedDetailView

from ..exports import FORMATS, export_rights, format_available
from ..filters import LoginRightFilter
from ..models import LoginRight
from ..permissions import rights as permissions
from ..selectors import rights as selectors


class RightListView(LoginRequiredMixin, FilterView):
    """The accounts in the user's scope, filtered; the ID number masked (P-04)."""

    filterset_class = LoginRightFilter
    template_name = "access_audit/rights/list.html"
    paginate_by = 50
    context_object_name = "rights"
    title = _("Login rights to the business system")
    follow_up = False

    def get_queryset(self):
        if self.follow_up:
            return selectors.follow_up_list(user=self.request.user)
        return selectors.right_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        query = self.request.GET.copy()
        query.pop("page", None)
        if self.follow_up:
            query["follow_up"] = "unmatched"
        context.update(
            title=self.title,
            follow_up=self.follow_up,
            export_formats=[fmt for fmt in FORMATS if format_available(fmt)],
            export_query=query.urlencode(),
            can_import=permissions.can_import_accounts(user),
            follow_up_count=selectors.follow_up_list(user=user).count(),
        )
        return context


class FollowUpListView(RightListView):
    """Accounts whose ID number matches no person: kept, never dropped, listed here until
    followed up."""

    title = _("Accounts to follow up")
    follow_up = True


class RightExportView(LoginRequiredMixin, View):
    """The list as filtered on screen, as CSV or XLSX."""

    fmt = "csv"

    def get(self, request):
        if not format_available(self.fmt):
            raise Http404
        rights = selectors.right_list(user=request.user)
        filterset = LoginRightFilter(request.GET, queryset=rights, request=request)
        rights = filterset.qs if filterset.is_valid() else rights.none()
        response = HttpResponse(export_rights(rights, self.fmt), content_type=FORMATS[self.fmt])
        day = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="login-rights-{day}.{self.fmt}"'
        return response


class RightDetailView(ScopedDetailView):
    """One account: its right, the requests for it, the business system's feed of its changes
    and its timeline (history and transitions)."""

    model = LoginRight
    selector = selectors.right_list
    template_name = "access_audit/rights/detail.html"
    context_object_name = "right"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        right = self.object
        user = self.request.user
        context.update(
            show_full_id_number=permissions.can_view_full_id_number(user, right),
            changes=list(selectors.right_changes(right=right)[:100]),
            requests=list(
                selectors.request_list(user=user).filter(right=right).order_by("-submitted_at")
            ),
        )
        return context
