"""The demo: idempotent, a user for every role, each able to sign in and see a dashboard."""

from base64 import b32decode

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp

from directory.constants import Role
from directory.dashboard import cards_for
from directory.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_TWO_STEP_USERNAME
from directory.models import BranchCentre, Person, TestingLab, User

pytestmark = pytest.mark.django_db


def _counts():
    return (
        User.objects.count(),
        Person.objects.count(),
        TestingLab.objects.count(),
        BranchCentre.objects.count(),
    )


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "reviewer.beijing" in out


def test_demo_has_a_user_for_every_role():
    call_command("seed_demo")
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)


def test_demo_labs_have_business_scopes():
    call_command("seed_demo")
    assert all(lab.business_scope.exists() for lab in TestingLab.objects.all())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_demo_user_signs_in_and_sees_a_dashboard(client, language):
    call_command("seed_demo")
    for user in User.objects.all():
        client.cookies.load({"django_language": language})
        response = client.post(
            reverse("login"), {"username": user.username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, user.username
        if user.username == DEMO_TWO_STEP_USERNAME:
            # issue 9: the one demo user with an authenticator passes the second step; every
            # other one signs in with the password alone on the embedded default.
            code = f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}"
            assert client.post(reverse("two_step:verify"), {"code": code}).status_code == 302
        dashboard = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE=language)
        assert dashboard.status_code == 200
        assert dashboard.context["cards"], f"{user.username} sees an empty dashboard"
        html_lang = 'lang="zh-CN"' if language == "zh-hans" else 'lang="en"'
        assert html_lang in dashboard.content.decode()
        client.post(reverse("logout"))


def test_demo_shows_every_application_state_hires_and_coverage():
    # rule L-06, rule L-07
    from liaisons.constants import ApplicationState
    from liaisons.models import LiaisonApplication, LiaisonQualification
    from liaisons.selectors import coverage_gaps

    call_command("seed_demo")
    states = set(LiaisonApplication.objects.values_list("state", flat=True))
    assert states == set(ApplicationState.values)
    hired = LiaisonQualification.objects.filter(is_legacy=False, state="active")
    assert hired.count() >= 3
    assert all(q.person.employment_number for q in hired)
    beijing = TestingLab.objects.get(name="北京电器安全检测实验室")
    shanghai = TestingLab.objects.get(name="上海电子电器检测所")
    assert coverage_gaps(lab=beijing) == []
    assert [f.code for f in coverage_gaps(lab=shanghai)] == ["CB", "CE"]
    assert LiaisonQualification.objects.filter(is_legacy=True, migrated_at=None).exists()
    # The dashboards agree with the lab pages (issue 10): the fully covered lab is not listed,
    # and no lab is listed without the fields it lacks.
    for username in ("training", "reviewer.beijing"):
        with translation.override("en"):
            cards = cards_for(User.objects.get(username=username))
        (card,) = [c for c in cards if c.title == "Labs with coverage gaps"]
        assert card.items and all(not label.endswith(": ") for label, _url in card.items)
        assert not any(label.startswith(beijing.name) for label, _url in card.items)
        assert card.count == len(card.items)


def test_demo_shows_a_body_with_its_director_and_two_leads(capsys):
    # rule Q-01, rule Q-09: a director in office, two leads nominated by the director
    from quality_roles.constants import DirectorAppointmentState, LeadAppointmentState
    from quality_roles.models import DirectorAppointment, Filing, LeadAppointment

    call_command("seed_demo")
    counts = (_counts(), DirectorAppointment.objects.count(), LeadAppointment.objects.count())
    call_command("seed_demo")
    assert (
        _counts(),
        DirectorAppointment.objects.count(),
        LeadAppointment.objects.count(),
    ) == counts
    director = DirectorAppointment.objects.get(state=DirectorAppointmentState.ACTIVE)
    assert director.staff.person.name == "赵敏"
    assert director.staff.person.user == User.objects.get(username="director")
    leads = LeadAppointment.objects.filter(state=LeadAppointmentState.ACTIVE)
    assert {lead.staff.person.name for lead in leads} == {"孙强", "吴刚"}
    assert {lead.nominated_under_id for lead in leads} == {director.pk}
    assert Filing.objects.filter(appointment=director, filed_on__isnull=True).count() == 1
    assert DirectorAppointment.objects.filter(state=DirectorAppointmentState.AUTHORISED).exists()
    out = capsys.readouterr().out
    assert "lead.wu" in out and "body.admin.east" in out


def test_demo_holds_an_open_incident_and_a_rectification_order():
    # rules: the clock runs on the open incident; the order awaits its actions.
    from quality_roles.constants import IncidentState, RectificationState
    from quality_roles.models import IncidentReport, RectificationOrder
    from quality_roles.services.incidents import report_clock

    call_command("seed_demo")
    call_command("seed_demo")
    incident = IncidentReport.objects.get(state=IncidentState.OPEN)
    clock = report_clock(incident)
    assert clock.running and not clock.overdue
    assert RectificationOrder.objects.filter(state=RectificationState.OPEN).count() == 1


def test_demo_shows_advice_a_closed_case_and_published_assessments():
    # rule Q-11, rule Q-12, rule Q-13: an advice answered (the duty done), a closed case with
    # the permissions back, a failed assessment published with its rectification
    from quality_roles.constants import CaseState, RectificationState
    from quality_roles.models import AccountabilityCase, DirectorAdvice, DirectorAssessment

    call_command("seed_demo")
    call_command("seed_demo")
    advice = DirectorAdvice.objects.get()
    assert advice.duty_deemed_done
    case = AccountabilityCase.objects.get()
    assert case.state == CaseState.CLOSED and case.permissions_restored_at is not None
    assert not case.staff.permissions_suspended
    failed = DirectorAssessment.objects.get(result="failed")
    assert failed.is_published
    assert failed.rectification_orders.get().state == RectificationState.CHECKING
    assert DirectorAssessment.objects.filter(result="passed", published_at__isnull=False).exists()
