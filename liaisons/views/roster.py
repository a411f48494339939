"""Screens of the liaison capability: the public roster of hired liaisons (L-11).

Anyone may search the roster, signed in or not. A row holds the name, the employment number,
the lab, the fields and the state: never the ID number, not even masked (L-11, P-04).
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django_filters.views import FilterView

from directory.constants import CertificationFieldCode
from directory.idsearch import strip_id_numbers

from .. import permissions, selectors
from ..constants import QualificationState
from ..exports import FORMATS, export_roster, format_available
from ..forms_qualifications import RosterFilter
from ..models import LiaisonQualification

ROSTER_REFUSED = gettext_lazy(
    "The roster is not searched by ID number. Search by name or employment number."
)

#: The only columns of a roster row that ever leave the database for the public.
_ROW_COLUMNS = ("id", "person__name", "person__employment_number", "lab__name", "state")


def roster_rows(entries) -> list[dict]:
    """Plain rows for ``entries``: one ``values()`` query, and one for the fields of those
    rows, however many there are (the same shape as the people list, bench/README.md)."""
    rows = list(entries.values(*_ROW_COLUMNS))
    # Labels and links made once per page, not once per row: this page must stay within 2x
    # of a bare query of the same rows (bench/README.md).
    field_tags = {
        code: format_html('<span class="tag">{}</span>', label)
        for code, label in CertificationFieldCode.choices
    }
    state_labels = {state: str(label) for state, label in QualificationState.choices}
    entry_url = reverse("liaisons:roster_entry", args=["EMPLOYMENT_NUMBER"])
    # The page's ids come from the selector: the fields are read straight from the M2M table
    # and put in the order of the ten fields here (the migration numbers them in that order).
    order = {code: position for position, code in enumerate(CertificationFieldCode.values)}
    pairs = LiaisonQualification.fields.through.objects.filter(
        liaisonqualification_id__in=[row["id"] for row in rows]
    ).values_list("liaisonqualification_id", "certificationfield_id")
    fields: dict[int, list] = {}
    for qualification_id, code in sorted(pairs, key=lambda pair: order[pair[1]]) if rows else ():
        fields.setdefault(qualification_id, []).append(field_tags[code])
    page = []
    for row in rows:
        number = row["person__employment_number"]
        page.append(
            {
                "name": row["person__name"],
                "employment_number": number,
                "url": entry_url.replace("EMPLOYMENT_NUMBER", quote(number, safe=""))
                if number
                else "",
                "lab": row["lab__name"],
                # The tags are escaped once each above; joining them keeps them safe.
                "fields_html": mark_safe(" ".join(fields.get(row["id"], ()))),  # noqa: S308
                "state": row["state"],
                "state_label": state_labels[row["state"]],
            }
        )
    return page


def _without_id_numbers(request, data):
    """The filters of ``data`` with any ID number dropped (L-11, P-04), and a word to the
    user if one was: the roster is never searched by ID number, so it cannot tell anyone
    whether a number belongs to a hired liaison."""
    data, stripped = strip_id_numbers(data, RosterFilter.TEXT_FILTERS)
    if stripped:
        messages.info(request, ROSTER_REFUSED)
    return data, stripped


@method_decorator(csrf_exempt, name="dispatch")
class RosterView(FilterView):
    """L-11: the published roster, searchable by anyone; 50 rows a page.

    The search form posts and is sent straight back to the same page with its filters in the
    query string, minus any ID number typed into it: a search stays a link that can be shared,
    and a number never reaches the address bar, the history or the server's log. The POST
    changes nothing, so it needs no CSRF token, and the page stays the same for everyone.
    """

    filterset_class = RosterFilter
    template_name = "liaisons/roster/roster.html"
    paginate_by = 50
    context_object_name = "entries"

    def post(self, request, *args, **kwargs):
        params = QueryDict(mutable=True)
        for key, values in request.POST.lists():
            if key in RosterFilter.base_filters:
                params.setlist(key, [value[:200] for value in values if value])
        params, _stripped = _without_id_numbers(request, params)
        return _back_to_roster(request, params)

    def get(self, request, *args, **kwargs):
        params, stripped = _without_id_numbers(request, request.GET)
        if stripped:
            return _back_to_roster(request, params)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.roster_entries()

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        rows = roster_rows(rows)
        page.object_list = rows
        return paginator, page, rows, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if permissions.can_export_roster(self.request.user):
            context["export_formats"] = [fmt for fmt in FORMATS if format_available(fmt)]
        return context


def _back_to_roster(request, params) -> HttpResponseRedirect:
    query = params.urlencode()
    return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)


class RosterEntryView(TemplateView):
    """One person's roster entries, by employment number: the page a printed QR code opens."""

    template_name = "liaisons/roster/roster_entry.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        number = self.kwargs["employment_number"]
        rows = roster_rows(selectors.roster_entries().filter(person__employment_number=number))
        if not rows:
            raise Http404
        context.update(entries=rows, name=rows[0]["name"], employment_number=number)
        return context


class RosterExportView(LoginRequiredMixin, UserPassesTestMixin, View):
    """L-11: lab and CQC staff download the roster as filtered on screen. The public is sent
    to sign in; other signed-in users get 403."""

    fmt = "csv"

    def test_func(self):
        return permissions.can_export_roster(self.request.user)

    def get(self, request):
        if not format_available(self.fmt):
            raise Http404
        entries = selectors.roster_entries()
        filterset = RosterFilter(request.GET, queryset=entries, request=request)
        entries = filterset.qs if filterset.is_valid() else entries.none()
        response = HttpResponse(export_roster(entries, self.fmt), content_type=FORMATS[self.fmt])
        day = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="roster-{day}.{self.fmt}"'
        return response


urlpatterns = [
    path("roster/", RosterView.as_view(), name="roster"),
    path("roster/export.csv", RosterExportView.as_view(fmt="csv"), name="roster_export_csv"),
    path("roster/export.xlsx", RosterExportView.as_view(fmt="xlsx"), name="roster_export_xlsx"),
    path("roster/<str:employment_number>/", RosterEntryView.as_view(), name="roster_entry"),
]
