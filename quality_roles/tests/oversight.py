"""Body X with its director in office and a lead in office: what the tests of advice,
accountability and the regulator (Q-11, Q-12, Q-13) start from."""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from quality_roles.models import CertificationProject, DirectorAppointment, LeadAppointment
from quality_roles.services import appointments as svc
from quality_roles.services.bodies import certification_project_create, product_category_create

from .conftest import Body
from .test_director_appointments import appoint


@dataclass
class Directed:
    b: Body
    director: DirectorAppointment
    lead: LeadAppointment
    project: CertificationProject


def today():
    return timezone.localdate()


@pytest.fixture
def directed(body) -> Directed:
    b = body
    director = appoint(b, b.candidate)
    category = product_category_create(body=b.body, actor=b.admin, code="HA", name="家用电器")
    project = certification_project_create(
        body=b.body, actor=b.admin, code="CCC-HA", name="CCC 家用电器", category=category
    )
    lead = svc.lead_appointment_nominate(
        body=b.body, staff=b.lead_a, actor=b.candidate_account, projects=[project]
    )
    svc.lead_appointment_activate(appointment=lead, actor=b.admin)
    return Directed(b=b, director=director, lead=lead, project=project)
