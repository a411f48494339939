"""Searching a list by ID number without the number ever reaching a URL (P-04).

A list's search form posts. A term that holds an ID number is taken out of the query string:
for a user who may see full ID numbers, the people it finds are kept in the session under a
short random key and the browser is sent to ``?idq=<key>`` with the other filters; anyone else
is told that lists are not searched by ID number. A plain term goes back into the query
string as before, so a search is still a link that can be bookmarked, and pagination keeps
working. The session keeps the people's ids and the masked number, never the number itself.

A term with an ID number that arrives in a URL all the same (typed into the address bar, an
old bookmark) is not searched and not echoed: the browser is sent on to the same list without
it. The URL has already leaked it once; searching would reward the habit.
"""

import secrets

from django.contrib import messages
from django.http import HttpResponseRedirect, QueryDict
from django.utils.translation import gettext_lazy

from . import selectors
from .idnumbers import canonical_spelling, looks_like_id_number, mask_id_number
from .permissions import may_search_by_id_number

SESSION_KEY = "id_number_searches"
PARAM = "idq"
#: Searches kept per session; the oldest is forgotten first.
KEPT = 20
#: Longest query string value kept when a form is posted (a search box is never longer).
MAX_VALUE = 200

REFUSED = gettext_lazy(
    "Lists are not searched by ID number here. Search by name or employment number."
)
NOT_IN_URL = gettext_lazy(
    "An ID number in the address is not searched: type it into the search box instead."
)
EXPIRED = gettext_lazy("That ID number search has expired; search again.")


def strip_id_numbers(data: QueryDict, fields) -> tuple[QueryDict, bool]:
    """``data`` without the values of ``fields`` that hold an ID number, and whether any did."""
    data = data.copy()
    stripped = False
    for field in fields:
        values = data.getlist(field)
        kept = [value for value in values if not looks_like_id_number(value)]
        if kept != values:
            stripped = True
            if kept:
                data.setlist(field, kept)
            else:
                data.pop(field)
    return data, stripped


def _remember(request, *, person_ids: list[int], masked: str) -> str:
    searches = dict(request.session.get(SESSION_KEY, {}))
    while len(searches) >= KEPT:
        searches.pop(next(iter(searches)))
    key = secrets.token_urlsafe(6)
    searches[key] = {"people": person_ids, "masked": masked}
    request.session[SESSION_KEY] = searches
    return key


def remembered_search(request) -> dict | None:
    """The ID number search named by ``?idq=``, if it is one of this session's."""
    key = request.GET.get(PARAM, "")
    if not key:
        return None
    return request.session.get(SESSION_KEY, {}).get(key[:20])


def _redirect(request, params: QueryDict) -> HttpResponseRedirect:
    query = params.urlencode()
    return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)


class IdNumberSearchMixin:
    """For a ``FilterView`` whose search form posts (see the module's docstring).

    ``id_search_field`` is the filter's text box; ``id_search_person`` is the lookup from the
    listed model to the person's primary key; ``id_search_label`` replaces the box's label
    for the users who may search by ID number.
    """

    id_search_field = "q"
    id_search_person = "pk"
    id_search_label = None

    def post(self, request, *args, **kwargs):
        params = QueryDict(mutable=True)
        known = set(self.filterset_class.base_filters)
        for key, values in request.POST.lists():
            if key in known:
                params.setlist(key, [value[:MAX_VALUE] for value in values if value])
        term = params.get(self.id_search_field, "")
        if looks_like_id_number(term):
            params.pop(self.id_search_field)
            if may_search_by_id_number(request.user):
                people = selectors.person_id_number_search(user=request.user, id_number=term)
                params[PARAM] = _remember(
                    request,
                    person_ids=list(people.values_list("pk", flat=True)[:100]),
                    masked=mask_id_number(canonical_spelling(term)[:18]),
                )
            else:
                messages.warning(request, REFUSED)
        return _redirect(request, params)

    def get(self, request, *args, **kwargs):
        cleaned, stripped = strip_id_numbers(request.GET, [self.id_search_field])
        if stripped:
            # Sent on without it, so that neither the page nor its links carry it again.
            messages.warning(request, NOT_IN_URL)
            return _redirect(request, cleaned)
        return super().get(request, *args, **kwargs)

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        self.id_number_search = None
        if self.request.GET.get(PARAM):
            search = remembered_search(self.request)
            if search is None:
                messages.warning(self.request, EXPIRED)
                filterset.queryset = filterset.queryset.none()
            else:
                self.id_number_search = search["masked"]
                filterset.queryset = filterset.queryset.filter(
                    **{f"{self.id_search_person}__in": search["people"]}
                )
        if self.id_search_label and may_search_by_id_number(self.request.user):
            filterset.form.fields[self.id_search_field].label = self.id_search_label
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["id_number_search"] = getattr(self, "id_number_search", None)
        context["id_number_search_param"] = PARAM
        return context
