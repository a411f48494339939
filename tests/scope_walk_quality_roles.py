"""The records of the quality roles that ``test_scope_walk`` walks, one of each model for body
X and one for body Y."""

import datetime

from django.utils import timezone

from quality_roles.models import (
    AccountabilityCase,
    BodyStaff,
    Certificate,
    CertificationProject,
    CooperationProposal,
    DirectorAdvice,
    DirectorAppointment,
    DirectorAssessment,
    DirectorMeasure,
    ExternalLab,
    Filing,
    IncidentReport,
    LabCooperation,
    LeadAppointment,
    RectificationOrder,
    SpotCheck,
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
    if model is CertificationProject:
        from quality_roles.tests.factories import CertificationProjectFactory

        return CertificationProjectFactory(body=body)
    if model is Certificate:
        from quality_roles.tests.factories import CertificateFactory

        return CertificateFactory(body=body, responsible_lead=lead)
    duties = _duties(body, lead, director)
    if model in duties:
        return duties[model]()
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


def _duties(body, lead, director):
    """Q-07, Q-08, Q-10: a record of each kind for the body, made when asked for."""
    from quality_roles.tests.factories import CertificationProjectFactory

    project = CertificationProjectFactory(body=body)
    now = timezone.now()

    def incident():
        return IncidentReport.objects.create(
            body=body,
            kind="quality_problem",
            title="事件",
            learned_at=now,
            due_at=now + datetime.timedelta(hours=24),
            reporting_lead=lead,
            director=director,
        )

    def spot_check():
        return SpotCheck.objects.create(
            body=body, director=director, project=project, checked_on=now.date(), findings="x"
        )

    def order():
        return RectificationOrder.objects.create(
            body=body,
            source="spot_check",
            spot_check=spot_check(),
            problem="p",
            actions="a",
            owner=lead.staff,
            deadline=now.date(),
            issued_by_director=director,
        )

    def measure():
        return DirectorMeasure.objects.create(
            body=body,
            director=director,
            kind="suspend_activities",
            scope="s",
            reason="r",
            taken_at=now,
        )

    def lab():
        return ExternalLab.objects.create(body=body, name="外部实验室")

    def cooperation():
        return LabCooperation.objects.create(body=body, lab=lab(), project=project)

    def proposal():
        return CooperationProposal.objects.create(
            cooperation=cooperation(), lead=lead, action="pause", reason="r"
        )

    return {
        IncidentReport: incident,
        SpotCheck: spot_check,
        RectificationOrder: order,
        DirectorMeasure: measure,
        ExternalLab: lab,
        LabCooperation: cooperation,
        CooperationProposal: proposal,
    }
