"""Middleware of the whole portal."""

from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .api_errors import method_not_allowed

NUL = "\x00"


def _holds_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


class RefuseNulMiddleware:
    """A NUL character in the path answers 404, in the query string or a posted form 400.

    PostgreSQL refuses a NUL in any text it is given ("A string literal cannot contain NUL
    characters") with an error, so a NUL that reaches a lookup (a URL's ``<str:...>``, the
    admin's search box, a filter that is no form field) would answer 500. No page of the
    portal has a use for one, so it is refused here, once, before any view runs (issue 9).
    The API's bodies are left to DRF, whose fields refuse a NUL one by one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info or NUL in request.path:
            raise Http404(_("There is nothing here, or nothing you may see."))
        if _holds_nul(request.GET):
            return self._refuse(request)
        if not request.path_info.startswith("/api/") and self._form_holds_nul(request):
            # The API's bodies are DRF's to read (reading them here would leave it nothing);
            # its fields refuse a NUL one by one.
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _form_holds_nul(request) -> bool:
        if request.method != "POST" or request.content_type not in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            return False
        try:
            return _holds_nul(request.POST)
        except Exception:  # noqa: BLE001
            # A body Django cannot parse is left to the view, which refuses it as before.
            return False

    @staticmethod
    def _refuse(request):
        message = _(
            "The request holds a character that is not allowed (a NUL byte); nothing was done."
        )
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(
            render_to_string("400.html", {"message": message}, request=request)
        )


class MethodNotAllowedPageMiddleware:
    """An empty 405 (Django's ``HttpResponseNotAllowed``, from a view that takes POST only,
    such as signing out, opened as a link) becomes the portal's page, or JSON under /api/.
    A 405 that says something already (DRF's) is left as it is (issue 10)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not getattr(response, "streaming", False)
            and not response.content
        ):
            return method_not_allowed(request, response)
        return response
