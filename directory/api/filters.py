"""A filter backend that runs before every other one of the API (P-04)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend

from ..idnumbers import looks_like_id_number


class NoIdNumbersInQuery(BaseFilterBackend):
    """A query string is part of a URL, which browsers, proxies and logs keep: a request that
    carries an ID number in one is refused, without repeating it (P-04). Searching by ID
    number is a POST with the number in the body (``/api/people/search/``)."""

    def filter_queryset(self, request, queryset, view):
        for key, values in request.query_params.lists():
            if any(looks_like_id_number(value) for value in [key, *values]):
                raise exceptions.ValidationError(
                    {
                        "detail": _(
                            "An ID number is never sent in an address; search by ID number "
                            "with POST /api/people/search/."
                        )
                    }
                )
        return queryset
