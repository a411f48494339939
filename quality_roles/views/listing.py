"""A list of the user's scope with django-filter filters, and its CSV/XLSX export through the
same filters (``quality_roles.tables``): what the quality roles' duty lists share."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views import View
from django_filters.views import FilterView

from ..tables import FORMATS, export_file, format_available


class ScopedListView(LoginRequiredMixin, FilterView):
    """``selector(user=)`` filtered by ``filterset_class``, 50 a page, with export links."""

    selector = None
    paginate_by = 50
    context_object_name = "rows"
    export_url_name = ""
    title = ""

    def get_queryset(self):
        return type(self).selector(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            title=self.title,
            export_formats=[fmt for fmt in FORMATS if format_available(fmt)],
            export_url_name=self.export_url_name,
            export_query=query.urlencode(),
        )
        return context


class ScopedExportView(LoginRequiredMixin, View):
    """The list's rows, filtered the same way, as a CSV or XLSX file."""

    selector = None
    filterset_class = None
    resource_class = None
    filename = "export"
    fmt = "csv"

    def get(self, request):
        if not format_available(self.fmt):
            raise Http404
        rows = type(self).selector(user=request.user)
        filterset = self.filterset_class(request.GET, queryset=rows, request=request)
        rows = filterset.qs if filterset.is_valid() else rows.none()
        response = HttpResponse(
            export_file(self.resource_class(), rows.order_by("pk"), self.fmt),
            content_type=FORMATS[self.fmt],
        )
        day = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="{self.filename}-{day}.{self.fmt}"'
        return response


def list_urls(prefix: str, name: str, list_view, export_view) -> list:
    """The list's URL and its two exports (``<name>_list``, ``<name>_export_csv`` ...)."""
    from django.urls import path

    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        *(
            path(
                f"{prefix}/export.{fmt}", export_view.as_view(fmt=fmt), name=f"{name}_export_{fmt}"
            )
            for fmt in FORMATS
        ),
    ]
