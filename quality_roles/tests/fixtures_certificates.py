"""A body with a director, two leads in office and certificates, for the tests of the
certificates and their coverage (Q-05)."""

from dataclasses import dataclass

import pytest

from quality_roles.constants import CertificateState
from quality_roles.models import Certificate, LeadAppointment
from quality_roles.services import appointments as svc
from quality_roles.services.bodies import certification_project_create

from .factories import CertificateFactory
from .test_director_appointments import appoint


@dataclass
class Certified:
    b: object
    director: object
    lead_a: LeadAppointment
    lead_b: LeadAppointment
    project: object
    of_a: list
    of_b: list
    loose: Certificate


def _lead(b, staff, project):
    lead = svc.lead_appointment_nominate(
        body=b.body, staff=staff, actor=b.candidate_account, projects=[project]
    )
    return svc.lead_appointment_activate(appointment=lead, actor=b.admin)


@pytest.fixture
def certified(body) -> Certified:
    """Body X: 赵总监 in office, leads 孙负责 (A) and 周负责 (B) in office; two certificates
    of A, one of B, one without a lead (uncovered) and an expired one without a lead."""
    b = body
    director = appoint(b, b.candidate)
    project = certification_project_create(body=b.body, actor=b.admin, code="CCC-HA", name="家电")
    lead_a, lead_b = _lead(b, b.lead_a, project), _lead(b, b.lead_b, project)

    def cert(number, lead, state=CertificateState.VALID):
        return CertificateFactory(
            body=b.body, number=number, project=project, responsible_lead=lead, state=state
        )

    of_a = [cert("X-A1", lead_a), cert("X-A2", lead_a)]
    of_b = [cert("X-B1", lead_b)]
    loose = cert("X-00", None)
    cert("X-EX", None, CertificateState.EXPIRED)
    return Certified(b, director, lead_a, lead_b, project, of_a, of_b, loose)
