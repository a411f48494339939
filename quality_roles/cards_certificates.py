"""The dashboard card of the certificates: the body's uncovered certificates, listed and
counted (Q-05), for its director first and for the rest of its staff."""

from django.urls import reverse
from django.utils.translation import gettext as _

from directory.constants import BODY_ROLES
from directory.dashboard import Card, card


@card(BODY_ROLES)
def body_uncovered_certificates(user):
    """Body staff: the valid certificates without a lead in office (Q-05)."""
    from .coverage import uncovered_certificates, uncovered_count

    body = user.body
    if body is None:
        return None
    uncovered = uncovered_certificates(body=body)
    items = [
        (f"{c.number} · {c.product}", reverse("quality_roles:certificate_detail", args=[c.pk]))
        for c in uncovered.order_by("number", "pk")[:10]
    ]
    return Card(
        title=_("Certificates without a lead in office (Q-05)"),
        items=items,
        count=uncovered_count(body=body),
        url=reverse("quality_roles:certificate_list") + "?coverage=uncovered",
        empty_text=_("Every valid certificate has a project quality lead in office."),
        priority=14,
    )
