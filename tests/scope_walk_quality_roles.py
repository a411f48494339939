"""The records of the quality roles that ``test_scope_walk`` walks, one of each model for body
X and one for body Y."""

import datetime

from django.utils import timezone

from quality_roles.models import (
    AccountabilityCase,
    BodyStaff,
    DirectorAdvice,
    DirectorAppointment,
    DirectorAssessment,
    Filing,
    LeadAppointment,
    RectificationOrder,
)


def quality_roles(w, model):
    """The record of ``model`` for body X and for body Y: a director in office each, with a
    lead and a filing due, advice (Q-11), a case against the lead (Q-12), a failed
    assessment and its rectification (Q-13)."""
    from quality_roles.tests.factories import FilingFactory, LeadAppointmentFactory

    found = []
    day, now = datetime.date(2026, 1, 5), timezone.now()
    for body in (w.body_x, w.body_y):
        lead = LeadAppointmentFactory(body=body, active=True)
        filing = FilingFactory(appointment=lead.nominated_under)
        found.append(_made(model, w, body, lead, filing, day, now))
    return found


def _made(model, w, body, lead, filing, day, now):
    director = lead.nominated_under
    simple = {
        BodyStaff: lead.staff,
        DirectorAppointment: director,
        LeadAppointment: lead,
        Filing: filing,
    }
    if model in simple:
        return simple[model]
    if model is DirectorAdvice:
        return DirectorAdvice.objects.create(
            body=body, director=director, subject="建议", text="内容", given_on=day
        )
    if model is AccountabilityCase:
        return AccountabilityCase.objects.create(
            body=body,
            staff=lead.staff,
            ground="other",
            description="事由",
            opened_at=now,
            permissions_suspended_at=now,
        )
    assessment = _assessment(w, body, director, day)
    if model is DirectorAssessment:
        return assessment
    return RectificationOrder.objects.create(
        body=body,
        source="assessment",
        assessment=assessment,
        problem="问题",
        actions="措施",
        deadline=day,
    )


def _assessment(w, body, director, day):
    return DirectorAssessment.objects.create(
        body=body, director=director, inspector=w.inspector, assessed_on=day, result="failed"
    )
