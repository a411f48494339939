"""Panels that the director's and the body's pages include: the director's advice and the
duty done (Q-11), the regulator's assessments (Q-13) and the links to advice and cases
(Q-12), each computed here so the appointments' views need not know them."""

from django import template

from .. import permissions, selectors
from ..models import AccountabilityCase, DirectorAssessment

register = template.Library()


@register.inclusion_tag("quality_roles/_director_oversight.html", takes_context=True)
def director_oversight(context, appointment):
    user = context["request"].user
    return {
        "appointment": appointment,
        "advice": list(appointment.advice.order_by("-given_on", "-pk")[:20]),
        "duty_done": list(selectors.duty_done_advice(appointment)[:20]),
        "assessments": list(
            DirectorAssessment.objects.filter(director=appointment).order_by("-assessed_on")[:20]
        ),
        "can_assess": permissions.can_write_assessment(user),
    }


@register.inclusion_tag("quality_roles/_body_oversight.html", takes_context=True)
def body_oversight(context, body):
    user = context["request"].user
    return {
        "body": body,
        "can_give_advice": permissions.can_give_advice(user, body),
        "can_open_case": permissions.can_handle_case(user, body),
        "open_cases": AccountabilityCase.objects.filter(body=body)
        .exclude(state="closed")
        .select_related("staff__person")
        .order_by("-opened_at")[:20],
    }
