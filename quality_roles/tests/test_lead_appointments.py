"""Project quality leads: nominated by the director in office, eligible, reporting to the
director (Q-04, Q-09)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cqcportal.timeline import timeline_for
from quality_roles.constants import LeadAppointmentState as S
from quality_roles.constants import TitleLevel
from quality_roles.models import BodyStaff, LeadAppointment
from quality_roles.services import appointments as svc
from quality_roles.services.bodies import (
    body_staff_update,
    certification_project_create,
    product_category_create,
)

from .test_director_appointments import appoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def directed(body):
    """Body X with 赵总监 in office, a product category and a project under it."""
    b = body
    director = appoint(b, b.candidate)
    category = product_category_create(body=b.body, actor=b.admin, code="HA", name="家用电器")
    project = certification_project_create(
        body=b.body, actor=b.admin, code="CCC-HA", name="CCC 家用电器", category=category
    )
    return b, director, category, project


def test_the_director_nominates_and_the_body_appoints_a_lead(directed):
    # rule Q-09: nominated by the director, responsible for named projects or categories
    b, director, category, project = directed
    lead = svc.lead_appointment_nominate(
        body=b.body,
        staff=b.lead_a,
        actor=b.candidate_account,
        projects=[project],
        product_categories=[category],
    )
    assert lead.state == S.NOMINATED and lead.nominated_under == director
    assert lead.nominated_by == b.candidate_account
    svc.lead_appointment_activate(appointment=lead, actor=b.admin)
    lead.refresh_from_db()
    assert lead.state == S.ACTIVE and lead.starts_on == timezone.localdate()
    assert list(lead.projects.all()) == [project]
    assert list(lead.product_categories.all()) == [category]
    # The director who reviews the leads ends one, with a reason.
    svc.lead_appointment_end(appointment=lead, actor=b.candidate_account, reason="调任")
    lead.refresh_from_db()
    assert lead.state == S.ENDED and lead.ended_by == b.candidate_account
    assert any("In office" in entry.what for entry in timeline_for(lead))


@pytest.mark.parametrize("who", ["admin", "lead", "other_director_account", "inspector"])
def test_only_the_director_in_office_nominates_leads(directed, world, who):
    # rule Q-09: a lead, the administrator, a director not in office, an inspector cannot
    b, _director, _category, project = directed
    actor = {
        "admin": b.admin,
        "lead": b.lead_b_account,
        "other_director_account": b.other_candidate_account,
        "inspector": world.inspector,
    }[who]
    with pytest.raises(PermissionDenied) as refused:
        svc.lead_appointment_nominate(body=b.body, staff=b.lead_a, actor=actor, projects=[project])
    assert "Q-09" in str(refused.value)
    assert not LeadAppointment.objects.exists()


def test_a_lead_cannot_appoint_or_end_another_lead(directed):
    # rule Q-09: what the director (or the body) must do, a lead cannot
    b, _director, _category, project = directed
    lead = svc.lead_appointment_nominate(
        body=b.body, staff=b.lead_a, actor=b.candidate_account, projects=[project]
    )
    with pytest.raises(PermissionDenied):
        svc.lead_appointment_activate(appointment=lead, actor=b.lead_b_account)
    svc.lead_appointment_activate(appointment=lead, actor=b.admin)
    with pytest.raises(PermissionDenied):
        svc.lead_appointment_end(appointment=lead, actor=b.lead_b_account, reason="越权")
    assert LeadAppointment.objects.get(pk=lead.pk).state == S.ACTIVE


def test_an_ineligible_lead_is_refused_with_q04_and_by_how_much(directed):
    # rule Q-04: a postgraduate needs 2 years of professional work or an intermediate title
    b, _director, _category, project = directed
    started = timezone.localdate() - datetime.timedelta(days=400)
    body_staff_update(
        staff=b.lead_b,
        actor=b.admin,
        professional_work_since=started,
        title_level=TitleLevel.JUNIOR,
    )
    with pytest.raises(ValidationError) as refused:
        svc.lead_appointment_nominate(
            body=b.body, staff=b.lead_b, actor=b.candidate_account, projects=[project]
        )
    complete = started.replace(year=started.year + 2)
    assert refused.value.messages == [
        f"Q-04: needs 1 more year of professional work (until {complete.isoformat()}) "
        "or an intermediate or higher title."
    ]


def test_the_director_is_not_their_own_lead(directed):
    # rule Q-09: the leads report to the director
    b, _director, _category, project = directed
    with pytest.raises(ValidationError) as refused:
        svc.lead_appointment_nominate(
            body=b.body, staff=b.candidate, actor=b.candidate_account, projects=[project]
        )
    assert refused.value.messages[0].startswith("Q-09: a lead reports to the quality director")


def test_a_lead_answers_for_named_projects_or_categories(directed):
    # rule Q-09
    b, _director, _category, _project = directed
    with pytest.raises(ValidationError) as refused:
        svc.lead_appointment_nominate(body=b.body, staff=b.lead_a, actor=b.candidate_account)
    assert "projects" in refused.value.message_dict


def test_a_suspended_director_nominates_nobody(directed):
    # rule Q-09, rule Q-12: an accountability case suspends the person's permissions first
    b, _director, _category, project = directed
    BodyStaff.objects.filter(pk=b.candidate.pk).update(permissions_suspended_at=timezone.now())
    with pytest.raises(PermissionDenied):
        svc.lead_appointment_nominate(
            body=b.body, staff=b.lead_a, actor=b.candidate_account, projects=[project]
        )


def test_a_director_ended_nominates_no_more_leads(directed):
    # rule Q-09: only the director in office
    b, director, _category, project = directed
    svc.director_appointment_end(appointment=director, actor=b.admin, reason="辞职")
    with pytest.raises(PermissionDenied):
        svc.lead_appointment_nominate(
            body=b.body, staff=b.lead_a, actor=b.candidate_account, projects=[project]
        )
