"""What the API answers when it refuses a request, in one place: the schema of those answers
(every operation documents its 400, 403, 404 and 415 bodies), the DRF exception handler, and
the JSON error pages under /api/ (issue 9).

Without these, the schema documented only the happy answers, and a request Django itself
refuses (too many fields, a body too large) answered the HTML error page even under /api/."""

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.views import exception_handler

API_PREFIX = "/api/"

log = logging.getLogger(__name__)

# --- the schema of refusals --------------------------------------------------------------------

#: {"detail": "..."}: what DRF answers for 403, 404, 415, a malformed body, and a request with
#: too many fields.
ERROR = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="Error",
    schema={
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
)

#: The messages of one input field: a list of messages, or, for a nested object or a list, the
#: messages per nested field or per position.
FIELD_ERRORS = ResolvedComponent(
    name="FieldErrors",
    type=ResolvedComponent.SCHEMA,
    object="FieldErrors",
    schema={
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {
                "type": "object",
                "additionalProperties": {"$ref": "#/components/schemas/FieldErrors"},
            },
        ]
    },
)

#: A list of messages not tied to a field (a refusal raised with a bare list).
MESSAGES = {"type": "array", "items": {"type": "string"}}


class ErrorResponsesAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus the refusals every operation can answer:

    - 400: the messages per input field (body fields and query filters, ``non_field_errors``),
      or ``{"detail": ...}`` for a malformed body or too many fields, or the rule refusal a
      view declares (``ServiceError``);
    - 403: a bad token or session, or not the caller's to do;
    - 404: a missing or out-of-scope object, or a page past the end of a list ("Invalid page.");
    - 415: a body of a media type the operation does not read.
    """

    def _get_pagination_parameters(self):
        # A POST that answers a list (the hire of several) is not paginated: no ``page`` to send.
        if self.method != "GET":
            return []
        return super()._get_pagination_parameters()

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        registry.register_on_missing(ERROR)
        registry.register_on_missing(FIELD_ERRORS)
        responses = operation["responses"]
        parameters = operation.get("parameters", [])
        query = [p["name"] for p in parameters if p["in"] == "query" and p["name"] != "page"]

        self._add_400(responses, self._input_field_names() + query)
        self._add_error(responses, "403", _forbidden_description(self.view))
        if any(p["in"] == "path" for p in parameters) or any(
            p["name"] == "page" for p in parameters
        ):
            self._add_error(
                responses,
                "404",
                "Not found, outside the caller's scope, or a page past the end of the list.",
            )
        if "requestBody" in operation:
            self._add_error(
                responses, "415", "The body is of a media type this operation does not read."
            )
        return operation

    def _input_field_names(self) -> list[str]:
        serializer = self.get_request_serializer() if self.method != "GET" else None
        if isinstance(serializer, dict):  # per media type
            serializer = next(iter(serializer.values()), None)
        if isinstance(serializer, type) and issubclass(serializer, serializers.BaseSerializer):
            serializer = serializer()
        if isinstance(serializer, serializers.ListSerializer):
            serializer = serializer.child
        if not isinstance(serializer, serializers.Serializer):
            return []
        return [name for name, field in serializer.fields.items() if not field.read_only]

    def _add_400(self, responses: dict, names: list[str]) -> None:
        per_field = {
            "type": "object",
            "description": "The messages per input field.",
            "properties": {
                **{name: {"$ref": FIELD_ERRORS.ref["$ref"]} for name in names},
                "non_field_errors": MESSAGES,
            },
            "additionalProperties": False,
            "minProperties": 1,
        }
        shapes = [per_field, ERROR.ref, MESSAGES]
        declared = responses.get("400")
        if declared is not None:
            schema = declared.get("content", {}).get("application/json", {}).get("schema")
            if schema is not None:
                shapes.insert(0, schema)
            description = declared["description"]
        else:
            description = "Malformed input: the messages per field."
        responses["400"] = {
            "content": {"application/json": {"schema": {"anyOf": shapes}}},
            "description": description,
        }

    def _add_error(self, responses: dict, code: str, description: str) -> None:
        declared = responses.get(code, {})
        responses[code] = {
            "content": {"application/json": {"schema": ERROR.ref}},
            "description": declared.get("description") or description,
        }


def _forbidden_description(view) -> str:
    if all(isinstance(permission, AllowAny) for permission in view.get_permissions()):
        return "A token or session that is not valid."
    return "Not signed in, a token or session that is not valid, or not the caller's to do."


# --- the answers -------------------------------------------------------------------------------


def _suspicious_message(error: SuspiciousOperation) -> str:
    if isinstance(error, TooManyFieldsSent):
        return _("The request has too many fields.")
    if isinstance(error, RequestDataTooBig):
        return _("The request is too large.")
    return _("The request was refused as malformed.")


def api_exception_handler(exc, context):
    """DRF's exception handler, plus the requests Django refuses as suspicious (too many fields,
    a body too large): a JSON 400 with a sentence, not the HTML error page."""
    if isinstance(exc, SuspiciousOperation):
        # Logged as Django logs it when it answers the HTML page itself.
        logging.getLogger(f"django.security.{type(exc).__name__}").error(str(exc))
        exc = exceptions.ParseError(_suspicious_message(exc))
    return exception_handler(exc, context)


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request, exception):
    """400 page: JSON under /api/, Django's page elsewhere."""
    if _is_api(request):
        if isinstance(exception, SuspiciousOperation):
            message = _suspicious_message(exception)
        else:
            message = _("The request was refused as malformed.")
        return JsonResponse({"detail": message}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    """403 page: JSON under /api/, Django's page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": _("You may not do this.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    """404 page: JSON under /api/, Django's page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """500 page: JSON under /api/, the portal's page in its layout elsewhere.

    Rendered without the request, so no context processor runs: the page needs neither the
    database nor the user (either may be what failed). Should even that fail, a page written
    out in full answers (issue 10)."""
    if _is_api(request):
        return JsonResponse({"detail": _("Server error.")}, status=500)
    try:
        return HttpResponseServerError(render_to_string("500.html"))
    except Exception:  # noqa: BLE001 - the error page must answer whatever broke
        log.exception("the 500 page could not be rendered")
        return HttpResponseServerError(BARE_500, content_type="text/html; charset=utf-8")


#: The 500 page of last resort: no template, no translation.
BARE_500 = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>500</title></head>'
    "<body><h1>服务器错误 / Server error</h1><p>请稍后再试。Please try again later.</p>"
    "</body></html>"
)


def method_not_allowed(request, response):
    """405: Django answers an empty page (``HttpResponseNotAllowed``); the portal's own page,
    or JSON under /api/, keeping the ``Allow`` header (issue 10)."""
    if _is_api(request):
        page = JsonResponse({"detail": _("This method is not allowed here.")}, status=405)
    else:
        page = HttpResponse(render_to_string("405.html", request=request), status=405)
    if response.has_header("Allow"):
        page["Allow"] = response["Allow"]
    return page
