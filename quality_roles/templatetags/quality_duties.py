"""``{% duties_panel body %}``: what the director and the leads do in a body (Q-07, Q-08,
Q-10), on the body's, the director's and a lead's page: the open incidents with their
clocks, the measures in force, the links to the lists and the forms the user may use."""

from django import template

from .. import permissions, selectors
from ..constants import MeasureKind, RectificationState
from ..models import RectificationOrder
from ..services.incidents import report_clock

register = template.Library()


@register.inclusion_tag("quality_roles/_duties.html", takes_context=True)
def duties_panel(context, body):
    user = context["request"].user
    incidents = list(selectors.open_incidents(body)[:10])
    measures = list(selectors.measures_in_force(body)[:10])
    return {
        "body": body,
        "incidents": [(incident, report_clock(incident)) for incident in incidents],
        "measures": measures,
        "activities_suspended": [m for m in measures if m.kind == MeasureKind.SUSPEND_ACTIVITIES],
        "open_orders": RectificationOrder.objects.filter(body=body, source="spot_check")
        .exclude(state=RectificationState.CLOSED)
        .count(),
        "can_record_incident": permissions.can_record_incident(user, body),
        "can_use_powers": permissions.can_use_director_powers(user, body),
        "can_manage_labs": permissions.can_manage_external_labs(user, body),
    }
