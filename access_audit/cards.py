"""Dashboard cards of the login rights: what each department must act on (A-02)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from directory.constants import Role
from directory.dashboard import Card, card

from .constants import RightRequestState
from .selectors import rights as selectors


def _requests_card(user, *, state: str, title: str, empty: str) -> Card:
    requests = selectors.request_list(user=user).filter(state=state).order_by("submitted_at", "pk")
    shown = list(requests[:10])
    return Card(
        title=title,
        items=[
            (
                f"{request.person.name} · {request.username} · {request.lab.name}",
                reverse("access_audit:request_detail", args=[request.pk]),
            )
            for request in shown
        ],
        count=requests.count(),
        url=reverse("access_audit:request_list") + f"?state={state}",
        empty_text=empty,
        priority=30,
    )


@card({Role.QUALITY_TECH_OFFICER}, superuser=False)
def requests_to_accept(user):
    """The quality technology dept: requests for a login right waiting for its check."""
    return _requests_card(
        user,
        state=RightRequestState.SUBMITTED,
        title=_("Login-right requests to check"),
        empty=_("No request waits for your check."),
    )


@card({Role.GENERAL_BUSINESS_OFFICER}, superuser=False)
def requests_to_grant(user):
    """The general business dept: accepted requests waiting for the grant."""
    return _requests_card(
        user,
        state=RightRequestState.ACCEPTED,
        title=_("Login rights to grant"),
        empty=_("No request waits for your decision."),
    )


@card({Role.GENERAL_BUSINESS_OFFICER}, superuser=False)
def accounts_to_follow_up(user):
    """The general business dept: business-system accounts matching no person."""
    accounts = selectors.follow_up_list(user=user).order_by("username", "pk")
    return Card(
        title=_("Accounts to follow up"),
        items=[
            (
                f"{account.username} · {account.lab.name if account.lab else '—'}",
                reverse("access_audit:right_detail", args=[account.pk]),
            )
            for account in accounts[:10]
        ],
        count=accounts.count(),
        url=reverse("access_audit:right_follow_up"),
        empty_text=_("Every business-system account matches a person."),
        priority=40,
    )
