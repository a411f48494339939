"""Dashboard cards of what the director and the leads do (Q-07): the body's major events not
yet reported to the regulator, each with its clock (a lead's report is before the director
here at once), and, for the regulator's inspectors, the escalated ones of every body."""

from django.urls import reverse
from django.utils.translation import gettext as _

from directory.constants import BODY_ROLES, Role
from directory.dashboard import Card, card


def _label(incident, clock) -> str:
    if clock.overdue:
        return _("%(title)s: overdue by %(late)s (Q-07)") % {
            "title": incident.title,
            "late": clock.late_text,
        }
    return _("%(title)s: %(left)s left to report (Q-07)") % {
        "title": incident.title,
        "left": clock.left_text,
    }


@card(BODY_ROLES)
def body_open_incidents(user):
    """Body staff: the major events the director still has to report to the regulator."""
    from . import selectors
    from .services.incidents import report_clock

    body = user.body
    if body is None:
        return None
    due = selectors.open_incidents(body)
    items = [
        (_label(incident, report_clock(incident)), incident.get_absolute_url())
        for incident in due[:10]
    ]
    return Card(
        title=_("Major events to report to the regulator (Q-07)"),
        items=items,
        count=due.count(),
        url=reverse("quality_roles:incident_list") + "?state=open",
        empty_text=_("No major event awaits its report to the regulator."),
        priority=12,
    )


@card({Role.REGULATOR_INSPECTOR})
def escalated_incidents(user):
    """The regulator's inspectors: the events not reported within 24 hours, escalated."""
    from . import selectors
    from .services.incidents import report_clock

    escalated = selectors.escalated_incidents()
    items = [
        (
            f"{incident.body.name} · " + _label(incident, report_clock(incident)),
            incident.get_absolute_url(),
        )
        for incident in escalated[:10]
    ]
    return Card(
        title=_("Major events not reported within 24 hours (Q-07)"),
        items=items,
        count=escalated.count(),
        url=reverse("quality_roles:incident_list") + "?clock=escalated&state=open",
        empty_text=_("No escalated major event."),
        priority=12,
    )
