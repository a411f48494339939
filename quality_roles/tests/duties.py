"""Body X with a director in office and a lead responsible for a project, each acting through
a portal account; body Y with its own director (for the tests of Q-07, Q-08, Q-10)."""

from dataclasses import dataclass

import pytest

from directory.constants import Role
from directory.models import CertificationBody, User
from quality_roles.models import (
    CertificationProject,
    DirectorAppointment,
    LeadAppointment,
)

from .factories import (
    CertificateFactory,
    CertificationProjectFactory,
    DirectorAppointmentFactory,
    LeadAppointmentFactory,
    account_for,
)


@dataclass
class Duties:
    body: CertificationBody
    admin: User
    director: DirectorAppointment
    director_user: User
    lead: LeadAppointment
    lead_user: User
    project: CertificationProject
    other_project: CertificationProject
    certificate: object
    other_director_user: User  # body Y's director
    other_admin: User
    inspector: User


@pytest.fixture
def duties(world) -> Duties:
    x = world.body_x
    director = DirectorAppointmentFactory(body=x, active=True)
    project = CertificationProjectFactory(body=x)
    lead = LeadAppointmentFactory(body=x, active=True, nominated_under=director, projects=[project])
    other_director = DirectorAppointmentFactory(body=world.body_y, active=True)
    return Duties(
        body=x,
        admin=world.body_x_admin,
        director=director,
        director_user=account_for(director.staff, Role.QUALITY_DIRECTOR),
        lead=lead,
        lead_user=account_for(lead.staff, Role.PROJECT_QUALITY_LEAD),
        project=project,
        other_project=CertificationProjectFactory(body=x),
        certificate=CertificateFactory(body=x, project=project, responsible_lead=lead),
        other_director_user=account_for(other_director.staff, Role.QUALITY_DIRECTOR),
        other_admin=world.body_y_admin,
        inspector=world.inspector,
    )
