"""A filtered list of the user's scope with its CSV/XLSX download, as the advice, case and
assessment lists show them (Q-11, Q-12, Q-13)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views import View
from django_filters.views import FilterView

from ..exports_oversight import FORMATS, export, format_available


class ScopedFilterListView(LoginRequiredMixin, FilterView):
    """``selector`` gives the rows (already scoped), ``filterset_class`` filters them, and
    ``export_kind`` names the download of the same selection."""

    selector = None
    export_kind = ""
    paginate_by = 50

    def rows(self):
        return type(self).selector(user=self.request.user)

    def get_queryset(self):
        return self.rows()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            export_formats=[fmt for fmt in FORMATS if format_available(fmt)],
            export_query=query.urlencode(),
            export_url_name=f"quality_roles:{self.export_kind}_export",
        )
        return context


class ExportView(LoginRequiredMixin, View):
    list_view = None

    def get(self, request, fmt):
        if not format_available(fmt):
            raise Http404
        view = self.list_view(request=request, kwargs={})
        rows = view.rows()
        filterset = view.filterset_class(request.GET, queryset=rows, request=request)
        rows = filterset.qs if filterset.is_valid() else rows.none()
        kind = self.list_view.export_kind
        response = HttpResponse(export(kind, rows, fmt), content_type=FORMATS[fmt])
        day = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="{kind}-{day}.{fmt}"'
        return response


def list_patterns(prefix: str, list_view) -> list:
    """The list at ``prefix/`` and its download at ``prefix/export.<fmt>``."""
    kind = list_view.export_kind
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{kind}_list"),
        path(
            f"{prefix}/export.<str:fmt>",
            ExportView.as_view(list_view=list_view),
            name=f"{kind}_export",
        ),
    ]
