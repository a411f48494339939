"""The quality director's appointment through its steps (Q-01, Q-02, Q-03, Q-06)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django_fsm_log.models import StateLog

from quality_roles.constants import AuthoriserCapacity, FilingKind
from quality_roles.constants import DirectorAppointmentState as S
from quality_roles.models import DirectorAppointment, Filing
from quality_roles.services import appointments as svc
from quality_roles.services.bodies import body_governance_set, body_staff_update

from .factories import DirectorAppointmentFactory

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def appoint(b, staff, *, capacity=AuthoriserCapacity.LEGAL_REPRESENTATIVE):
    """Nominate, authorise, file and activate ``staff`` as body ``b``'s director."""
    appointment = svc.director_appointment_nominate(body=b.body, staff=staff, actor=b.admin)
    svc.director_appointment_authorise(
        appointment=appointment, actor=b.admin, capacity=capacity, authorised_on=_today()
    )
    svc.director_appointment_file(
        appointment=appointment, actor=b.admin, filed_on=_today(), reference="CNCA-2026-0001"
    )
    return svc.director_appointment_activate(appointment=appointment, actor=b.admin)


def _messages(error: ValidationError) -> list[str]:
    with translation.override("en"):
        return [str(message) for message in error.messages]


def test_a_director_is_nominated_authorised_filed_and_takes_office(body):
    # rule Q-01, rule Q-02, rule Q-06
    b = body
    appointment = appoint(b, b.candidate, capacity=AuthoriserCapacity.ACTUAL_CONTROLLER)
    appointment.refresh_from_db()
    assert appointment.state == S.ACTIVE
    # who authorised, in which capacity, is on record.
    assert appointment.authoriser == b.actual_controller
    assert appointment.authoriser_capacity == AuthoriserCapacity.ACTUAL_CONTROLLER
    assert appointment.authorised_recorded_by == b.admin
    # the filing is recorded with the details as filed.
    (filing,) = Filing.objects.filter(appointment=appointment)
    assert filing.kind == FilingKind.APPOINTMENT
    assert filing.filed_on == _today() and filing.reference == "CNCA-2026-0001"
    assert filing.details["name"] == "赵总监"
    assert filing.details["education"] == "postgraduate"
    steps = list(StateLog.objects.for_(appointment).order_by("pk").values_list("state", "by"))
    assert steps == [(S.AUTHORISED, b.admin.pk), (S.FILED, b.admin.pk), (S.ACTIVE, b.admin.pk)]


def test_the_database_holds_one_active_director_per_body(body):
    # rule Q-01
    DirectorAppointmentFactory(body=body.body, staff=body.candidate, active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        DirectorAppointmentFactory(body=body.body, staff=body.other_candidate, active=True)
    assert DirectorAppointment.objects.filter(body=body.body, state=S.ACTIVE).count() == 1


def test_a_new_director_takes_over_from_the_one_in_office(body):
    # rule Q-01: one director, never none in between
    b = body
    first = appoint(b, b.candidate)
    second = appoint(b, b.other_candidate)
    first.refresh_from_db()
    assert first.state == S.ENDED
    assert first.successor == second and first.ended_on == _today()
    assert "吴副总" in first.end_reason
    assert list(DirectorAppointment.objects.filter(body=b.body, state=S.ACTIVE)) == [second]


def test_a_nominee_outside_top_management_is_refused_with_q02(body):
    # rule Q-02
    b = body
    with pytest.raises(ValidationError) as refused:
        svc.director_appointment_nominate(body=b.body, staff=b.lead_a, actor=b.admin)
    assert _messages(refused.value) == [
        "Q-02: the quality director must be a member of the body's top management."
    ]
    assert not DirectorAppointment.objects.exists()


def test_the_legal_representative_is_refused_with_q02(body):
    # rule Q-02: 不得由法定代表人担任
    b = body
    body_governance_set(
        body=b.body,
        actor=b.admin,
        legal_representative=b.candidate.person,
        actual_controller=b.actual_controller,
    )
    with pytest.raises(ValidationError) as refused:
        svc.director_appointment_nominate(body=b.body, staff=b.candidate, actor=b.admin)
    assert _messages(refused.value) == [
        "Q-02: the legal representative may not be the quality director."
    ]


def test_an_ineligible_nominee_is_refused_with_q03_and_by_how_much(body):
    # rule Q-03: a bachelor needs 8 years of full-time work
    b = body
    started = _today().replace(year=_today().year - 7) - datetime.timedelta(days=10)
    body_staff_update(
        staff=b.other_candidate,
        actor=b.admin,
        full_time_work_since=started,
        professional_work_since=started,
    )
    complete = started.replace(year=started.year + 8)
    with pytest.raises(ValidationError) as refused:
        svc.director_appointment_nominate(body=b.body, staff=b.other_candidate, actor=b.admin)
    assert _messages(refused.value) == [
        f"Q-03: needs 1 more year of full-time work (until {complete.isoformat()})."
    ]


def test_every_refusal_is_listed_at_once(body):
    # rule Q-02, rule Q-03: not top management, the legal representative, not eligible
    b = body
    body_staff_update(
        staff=b.lead_a, actor=b.admin, professional_work_since=None, title_level="none"
    )
    body_governance_set(
        body=b.body,
        actor=b.admin,
        legal_representative=b.lead_a.person,
        actual_controller=None,
    )
    with pytest.raises(ValidationError) as refused:
        svc.director_appointment_nominate(body=b.body, staff=b.lead_a, actor=b.admin)
    assert [code.split(":")[0] for code in _messages(refused.value)] == ["Q-02", "Q-02", "Q-03"]


def test_the_authorisation_needs_the_authoriser_on_record(body):
    # rule Q-02: authorised by the legal representative or the actual controller
    b = body
    appointment = svc.director_appointment_nominate(body=b.body, staff=b.candidate, actor=b.admin)
    body_governance_set(
        body=b.body,
        actor=b.admin,
        legal_representative=b.legal_representative,
        actual_controller=None,
    )
    with pytest.raises(ValidationError) as refused:
        svc.director_appointment_authorise(
            appointment=appointment,
            actor=b.admin,
            capacity=AuthoriserCapacity.ACTUAL_CONTROLLER,
            authorised_on=_today(),
        )
    assert _messages(refused.value) == [
        "Q-02: no actual controller is on record: record it in the governance first."
    ]
    appointment.refresh_from_db()
    assert appointment.state == S.NOMINATED and appointment.authoriser is None


def test_the_rules_are_checked_again_at_each_step(body):
    # rule Q-02: a nominee who left top management before the authorisation is refused
    b = body
    appointment = svc.director_appointment_nominate(body=b.body, staff=b.candidate, actor=b.admin)
    body_staff_update(staff=b.candidate, actor=b.admin, is_top_management=False)
    with pytest.raises(ValidationError) as refused:
        svc.director_appointment_authorise(
            appointment=appointment,
            actor=b.admin,
            capacity=AuthoriserCapacity.LEGAL_REPRESENTATIVE,
            authorised_on=_today(),
        )
    assert "Q-02" in _messages(refused.value)[0]


def test_the_legal_representative_cannot_be_made_so_while_director(body):
    # rule Q-02: the governance cannot make the director in office the legal representative
    b = body
    appoint(b, b.candidate)
    with pytest.raises(ValidationError) as refused:
        body_governance_set(
            body=b.body,
            actor=b.admin,
            legal_representative=b.candidate.person,
            actual_controller=None,
        )
    assert _messages(refused.value)[0].startswith("Q-02: 赵总监 is the quality director")


def test_a_step_taken_twice_says_someone_acted_a_moment_ago(body):
    b = body
    appointment = svc.director_appointment_nominate(body=b.body, staff=b.candidate, actor=b.admin)
    kwargs = {
        "actor": b.admin,
        "capacity": AuthoriserCapacity.LEGAL_REPRESENTATIVE,
        "authorised_on": _today(),
    }
    svc.director_appointment_authorise(appointment=appointment, **kwargs)
    with pytest.raises(ValidationError) as refused:
        svc.director_appointment_authorise(appointment=appointment, **kwargs)
    assert refused.value.code == "stale_state"


def test_only_the_bodys_administrator_carries_the_appointment(body, world):
    # rule Q-02: the body (its administrator) records the steps; nobody else
    b = body
    for outsider in (
        world.body_y_admin,
        world.inspector,
        b.candidate_account,
        world.training_admin,
    ):
        with pytest.raises(PermissionDenied):
            svc.director_appointment_nominate(body=b.body, staff=b.candidate, actor=outsider)
    appointment = svc.director_appointment_nominate(body=b.body, staff=b.candidate, actor=b.admin)
    with pytest.raises(PermissionDenied):
        svc.director_appointment_authorise(
            appointment=appointment,
            actor=world.inspector,
            capacity=AuthoriserCapacity.LEGAL_REPRESENTATIVE,
            authorised_on=_today(),
        )


def test_an_end_or_withdrawal_needs_a_reason_and_keeps_the_record(body):
    # rule Q-01: nothing is deleted
    b = body
    director = appoint(b, b.candidate)
    nominee = svc.director_appointment_nominate(body=b.body, staff=b.other_candidate, actor=b.admin)
    with pytest.raises(ValidationError):
        svc.director_appointment_end(appointment=director, actor=b.admin, reason=" ")
    svc.director_appointment_end(appointment=director, actor=b.admin, reason="退休")
    svc.director_appointment_withdraw(appointment=nominee, actor=b.admin, reason="本人放弃")
    states = dict(DirectorAppointment.objects.values_list("pk", "state"))
    assert states == {director.pk: S.ENDED, nominee.pk: S.WITHDRAWN}


def test_a_director_cannot_take_office_before_the_filing(body):
    # rule Q-06: filed before active
    b = body
    appointment = svc.director_appointment_nominate(body=b.body, staff=b.candidate, actor=b.admin)
    with pytest.raises(ValidationError) as refused:
        svc.director_appointment_activate(appointment=appointment, actor=b.admin)
    assert refused.value.code == "stale_state"
