"""The business system's read-only API: whether an account may log in, and the feed of the
rights that changed, so it keeps its own copy and never needs the portal up to let people in.

Its only credential is a feed token (``FeedTokenAuthentication``), and these views accept no
other. They read no session (``sessionless``: the second-factor middleware passes them by), need
no CSRF token (DRF views are exempt; no session is read) and answer JSON whatever is asked.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cqcportal.api_errors import ERROR
from cqcportal.parsers import JSONParser
from directory.idnumbers import looks_like_id_number

from ..constants import LoginRightState
from ..feed_clients import feed_read_record
from ..models.rights import USERNAME_MAX_LENGTH
from ..selectors.feed import feed_bounds, login_right_eligibility, right_changes_since
from .authentication import FeedTokenAuthentication, IsFeedClient
from .serializers import (
    ChangesQuerySerializer,
    ChangesSerializer,
    EligibilityQuerySerializer,
    EligibilitySerializer,
)
from .throttling import FeedClientRateThrottle

TAG = "business-system"
UNAUTHORIZED = OpenApiResponse(
    ERROR.ref,
    description="No business-system token, or one that is not valid or deactivated. No other "
    "credential (a session, a user's API token) is accepted here.",
)
THROTTLED = OpenApiResponse(
    ERROR.ref, description="Too many requests of this client: wait `Retry-After` seconds."
)


class JSONOnly(BaseContentNegotiation):
    """JSON whatever the client asks for: no browsable page, no 406."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class BusinessSystemView(APIView):
    authentication_classes = [FeedTokenAuthentication]
    permission_classes = [IsFeedClient]
    throttle_classes = [FeedClientRateThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    content_negotiation_class = JSONOnly

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        # directory.middleware.SecondFactorMiddleware: no session is read for this view.
        view.sessionless = True
        return view


def _username(data) -> str:
    username = data.get("username") if isinstance(data, dict) else None
    # The common case without building a serializer (a tenth of the request's CPU): a
    # printable text of an allowed length is what the serializer would accept as well (NUL
    # and lone surrogates are not printable); anything else gets its messages from it.
    if isinstance(username, str) and 0 < len(username) <= USERNAME_MAX_LENGTH:
        if username.isprintable():
            return username
    query = EligibilityQuerySerializer(data=data)
    query.is_valid(raise_exception=True)
    return query.validated_data["username"]


class EligibilityView(BusinessSystemView):
    throttle_scope = "eligibility"

    @extend_schema(
        tags=[TAG],
        operation_id="business_system_eligibility",
        parameters=[EligibilityQuerySerializer],
        responses={200: EligibilitySerializer, 401: UNAUTHORIZED, 429: THROTTLED},
        examples=[
            OpenApiExample(
                "Revoked at a campaign's deadline",
                value={
                    "username": "cbs0042",
                    "known": True,
                    "may_log_in": False,
                    "state": "revoked",
                    "rule": "A-04",
                    "reason": "The login right was revoked (A-04). ...",
                    "campaign": None,
                },
                response_only=True,
            )
        ],
    )
    def get(self, request):
        """Whether the business-system account may log in now, and why: the rule, the state
        of its right and its case in the open check campaign (A-01, A-03, A-04, A-06). An
        account the portal does not know answers 200 with ``known`` and ``may_log_in``
        false. A username that is an ID number is never put in a URL (P-04): ask for it
        with POST."""
        username = _username(request.query_params)
        if looks_like_id_number(username):
            raise exceptions.ValidationError(
                {
                    "username": [
                        _(
                            "An ID number is never sent in an address: ask with POST and the "
                            "username in the body."
                        )
                    ]
                }
            )
        return Response(login_right_eligibility(username=username))

    @extend_schema(
        tags=[TAG],
        operation_id="business_system_eligibility_by_body",
        request=EligibilityQuerySerializer,
        responses={200: EligibilitySerializer, 401: UNAUTHORIZED, 429: THROTTLED},
    )
    def post(self, request):
        """The same question with the username in the body: for a username that is an ID
        number, which never goes in a URL (P-04). Reads only."""
        return Response(login_right_eligibility(username=_username(request.data)))


class ChangesView(BusinessSystemView):
    throttle_scope = "changes"

    @extend_schema(
        tags=[TAG],
        operation_id="business_system_changes",
        parameters=[ChangesQuerySerializer],
        responses={200: ChangesSerializer, 401: UNAUTHORIZED, 429: THROTTLED},
    )
    def get(self, request):
        """The login rights that changed after the cursor ``since``, in order, with the
        cursor to continue from (``next``). Asking with ``since=X`` acknowledges every change
        up to X: the portal records it as received by the business system. Changes still
        being written are held back until they are final, so a cursor never skips one
        (docs/decisions.md)."""
        query = ChangesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        since, limit = query.validated_data["since"], query.validated_data["limit"]
        horizon, end = feed_bounds(since=since)
        if since > end:
            raise exceptions.ValidationError(
                {
                    "since": [
                        _(
                            "The cursor lies beyond the end of the feed (%(end)s): continue "
                            "from the last cursor the portal gave, or from 0."
                        )
                        % {"end": end}
                    ]
                }
            )
        feed_read_record(client=request.auth, since=since, feed_end=end)
        rows, more = right_changes_since(since=since, limit=limit, horizon=horizon)
        changes = [
            {
                "id": row["id"],
                "username": row["right__username"],
                "state": row["state"],
                "may_log_in": row["state"] == LoginRightState.ACTIVE,
                "rule": row["rule"],
                "at": timezone.localtime(row["at"]),
            }
            for row in rows
        ]
        return Response(
            {"changes": changes, "next": changes[-1]["id"] if changes else since, "more": more}
        )
