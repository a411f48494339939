"""The quality roles' dashboard card: a body's key roles at a glance (Q-01, Q-06)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from directory.constants import BODY_ROLES, Role
from directory.dashboard import Card, card


@card(BODY_ROLES)
def body_quality_roles(user):
    """Body staff: the director in office (or that there is none), the leads, filings due."""
    from . import selectors

    body = user.body
    if body is None:
        return None
    items = []
    director = selectors.active_director(body)
    if director is None:
        items.append((_("No quality director in office (Q-01)"), ""))
    else:
        items.append(
            (
                _("Quality director: %(name)s") % {"name": director.staff.person.name},
                reverse("quality_roles:director_detail", args=[director.pk]),
            )
        )
    leads = selectors.current_leads(body).filter(state="active").count()
    items.append((_("Active project quality leads: %(count)d") % {"count": leads}, ""))
    for filing in selectors.due_filings(body)[:5]:
        label = (
            _("Filing late since %(date)s (Q-06)")
            if filing.is_late
            else _("Filing due by %(date)s (Q-06)")
        )
        items.append(
            (
                label % {"date": filing.due_on.isoformat()},
                reverse("quality_roles:filing_filed", args=[filing.pk])
                if user.role == Role.BODY_ADMIN
                else "",
            )
        )
    return Card(
        title=_("Quality roles of %(body)s") % {"body": body.name},
        items=items,
        url=reverse("quality_roles:body_detail", args=[body.pk]),
        priority=15,
    )
