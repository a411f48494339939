"""The quality roles' dashboard cards: a body's key roles in a sentence (Q-01), and the
filings due with the regulator, listed and counted (Q-06)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.constants import BODY_ROLES, Role
from directory.dashboard import Card, card


@card(BODY_ROLES)
def body_quality_roles(user):
    """Body staff: the director in office, or that there is none, and the leads in office."""
    from . import selectors
    from .constants import LeadAppointmentState

    body = user.body
    if body is None:
        return None
    director = selectors.active_director(body)
    leads = selectors.current_leads(body).filter(state=LeadAppointmentState.ACTIVE).count()
    in_office = ngettext(
        "%(count)d project quality lead in office.",
        "%(count)d project quality leads in office.",
        leads,
    ) % {"count": leads}
    if director is None:
        who = _("No quality director in office (Q-01).")
    else:
        who = _("Quality director: %(name)s.") % {"name": director.staff.person.name}
    return Card(
        title=_("Quality roles of %(body)s") % {"body": body.name},
        url=reverse("quality_roles:body_detail", args=[body.pk]),
        note=f"{who} {in_office}",
        priority=15,
    )


@card(BODY_ROLES)
def body_filings_due(user):
    """Body staff: the changes of the director's details still to be filed (Q-06)."""
    from . import selectors

    body = user.body
    if body is None:
        return None
    due = selectors.due_filings(body)
    items = []
    for filing in due[:10]:
        label = (
            _("Filing late since %(date)s (Q-06)")
            if filing.is_late
            else _("Filing due by %(date)s (Q-06)")
        )
        url = (
            reverse("quality_roles:filing_filed", args=[filing.pk])
            if user.role == Role.BODY_ADMIN
            else reverse("quality_roles:director_detail", args=[filing.appointment_id])
        )
        items.append((label % {"date": filing.due_on.isoformat()}, url))
    return Card(
        title=_("Filings due with the regulator (Q-06)"),
        items=items,
        count=due.count(),
        url=reverse("quality_roles:body_detail", args=[body.pk]),
        empty_text=_("No filing is due with the regulator."),
        priority=16,
    )
