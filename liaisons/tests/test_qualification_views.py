"""Hired liaisons as their users see them: the list, the detail page, departures (L-12) and
the lab's coverage (L-06)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from access_audit.constants import LoginRightState
from access_audit.models import LoginRight
from directory.dashboard import cards_for
from directory.tests.factories import PersonFactory, UserFactory
from liaisons.constants import DepartureOutcome, QualificationState
from liaisons.models import CoverageGap, Departure
from liaisons.services.coverage import coverage_refresh
from liaisons.tests.factories import LiaisonQualificationFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def hired(world):
    """Person A covers both fields of lab A; person B is lab B's liaison for CCC."""
    world.person_a.employment_number = "10000001"
    world.person_a.save()
    world.person_b.employment_number = "10000002"
    world.person_b.save()
    a = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, fields=["CCC", "ROHS"])
    b = LiaisonQualificationFactory(lab=world.lab_b, person=world.person_b, fields=["CCC"])
    coverage_refresh(lab=world.lab_a)
    coverage_refresh(lab=world.lab_b)
    return a, b


def _departure(**overrides):
    data = {
        "reason": "transfer",
        "left_on": timezone.localdate().isoformat(),
        "outcome": DepartureOutcome.CANCEL,
        "comment": "调往总部",
    }
    return {**data, **overrides}


# --- the list ------------------------------------------------------------------------------


def test_list_shows_only_the_qualifications_of_the_users_scope(client, world, hired):
    client.force_login(world.lab_a_staff)
    html = client.get(reverse("liaisons:qualification_list")).content.decode()
    assert world.person_a.name in html and world.person_b.name not in html
    client.force_login(world.training_admin)
    html = client.get(reverse("liaisons:qualification_list")).content.decode()
    assert world.person_a.name in html and world.person_b.name in html


def test_list_needs_a_signed_in_user(client, world, hired):
    response = client.get(reverse("liaisons:qualification_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_list_filters_by_lab_field_state_name_and_employment_number(client, world, hired):
    a, b = hired
    suspended = LiaisonQualificationFactory(lab=world.lab_b, suspended=True, fields=["CB"])
    client.force_login(world.training_admin)
    url = reverse("liaisons:qualification_list")

    def pks(**params):
        return {q.pk for q in client.get(url, params).context["qualifications"]}

    assert pks(lab=world.lab_a.pk) == {a.pk}
    assert pks(field="ROHS") == {a.pk}
    assert pks(field="CCC") == {a.pk, b.pk}
    assert pks(state=QualificationState.SUSPENDED) == {suspended.pk}
    assert pks(q=world.person_b.name) == {b.pk}
    assert pks(q="10000001") == {a.pk}


def test_list_offers_no_lab_outside_the_scope(client, world, hired):
    client.force_login(world.lab_a_staff)
    response = client.get(reverse("liaisons:qualification_list"), {"lab": world.lab_b.pk})
    assert response.context["filter"].errors
    assert world.person_b.name not in response.content.decode()


def test_list_queries_do_not_grow_with_the_rows(client, world):
    url = reverse("liaisons:qualification_list")
    client.force_login(world.training_admin)
    LiaisonQualificationFactory.create_batch(3, lab=world.lab_a, fields=["CCC", "ROHS"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    LiaisonQualificationFactory.create_batch(27, lab=world.lab_b, fields=["CCC", "CB"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["qualifications"]) == 30
    assert len(many) == len(few)


# --- the detail page -----------------------------------------------------------------------


def test_detail_masks_the_id_number_for_lab_staff_and_shows_it_to_the_training_centre(
    client, world, hired
):
    # rule P-04
    a, _ = hired
    url = reverse("liaisons:qualification_detail", args=[a.pk])
    client.force_login(world.lab_a_staff)
    html = client.get(url).content.decode()
    assert world.person_a.id_number not in html
    assert world.person_a.masked_id_number in html
    assert "10000001" in html
    client.force_login(world.training_admin)
    assert world.person_a.id_number in client.get(url).content.decode()


def test_detail_shows_state_reason_legacy_flag_and_timeline(client, world):
    # rule L-13
    legacy = LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, legacy=True)
    client.force_login(world.branch_n_reviewer)
    response = client.get(reverse("liaisons:qualification_detail", args=[legacy.pk]), **EN)
    html = response.content.decode()
    assert "Not yet hired again through the system (L-13)." in html
    assert "2008-03-01" in html
    assert response.context["timeline"]


def test_detail_outside_the_scope_is_404(client, world, hired):
    _, b = hired
    client.force_login(world.lab_a_staff)
    assert client.get(reverse("liaisons:qualification_detail", args=[b.pk])).status_code == 404


def test_only_the_labs_own_staff_get_the_departure_form(client, world, hired):
    # rule L-12
    a, _ = hired
    url = reverse("liaisons:qualification_detail", args=[a.pk])
    client.force_login(world.lab_a_staff)
    assert "departure_form" in client.get(url).context
    for user in (world.branch_n_reviewer, world.training_admin):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and "departure_form" not in response.context


# --- departures (L-12) ---------------------------------------------------------------------


def test_lab_confirms_a_departure_the_qualification_ends_the_login_right_and_coverage_follow(
    client, world, hired
):
    # rule L-12, rule A-01, rule L-06
    a, _ = hired
    right = LoginRight.objects.create(
        person=world.person_a, username="cbs-a", granted_at=timezone.now()
    )
    assert not CoverageGap.objects.filter(lab=world.lab_a, closed_at=None).exists()
    client.force_login(world.lab_a_staff)
    response = client.post(
        reverse("liaisons:departure_confirm", args=[a.pk]),
        _departure(outcome=DepartureOutcome.SUSPEND, reason="retirement"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("liaisons:qualification_detail", args=[a.pk])
    a.refresh_from_db()
    assert a.state == QualificationState.SUSPENDED
    departure = Departure.objects.get(qualification=a)
    assert departure.reason == "retirement" and departure.confirmed_by == world.lab_a_staff
    right.refresh_from_db()
    assert right.state == LoginRightState.SUSPENDED
    assert set(
        CoverageGap.objects.filter(lab=world.lab_a, closed_at=None).values_list(
            "field_id", flat=True
        )
    ) == {"CCC", "ROHS"}
    # The page now shows the departure and the gap on the lab's page.
    html = client.get(response["Location"], **EN).content.decode()
    assert "Retirement" in html and "Confirm the departure" not in html
    lab_html = client.get(reverse("directory:lab_detail", args=[world.lab_a.pk]), **EN)
    assert "Gap: no active liaison officer" in lab_html.content.decode()


def test_a_departure_in_the_future_is_refused_and_nothing_is_stored(client, world, hired):
    # rule L-12
    a, _ = hired
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.force_login(world.lab_a_staff)
    with translation.override("en"):
        response = client.post(
            reverse("liaisons:departure_confirm", args=[a.pk]),
            _departure(left_on=tomorrow.isoformat()),
            **EN,
        )
    assert response.status_code == 400
    assert response.context["departure_form"].errors["left_on"]
    assert "cannot be in the future" in response.content.decode()
    a.refresh_from_db()
    assert a.state == QualificationState.ACTIVE
    assert not Departure.objects.exists()


def test_an_incomplete_departure_form_stores_nothing(client, world, hired):
    a, _ = hired
    client.force_login(world.lab_a_staff)
    response = client.post(
        reverse("liaisons:departure_confirm", args=[a.pk]), _departure(reason="", outcome="")
    )
    assert response.status_code == 400
    assert set(response.context["departure_form"].errors) == {"reason", "outcome"}
    a.refresh_from_db()
    assert a.state == QualificationState.ACTIVE and not Departure.objects.exists()


def test_a_second_departure_of_an_ended_qualification_is_refused(client, world, hired):
    # rule L-12: a cancelled qualification cannot be left again
    a, _ = hired
    client.force_login(world.lab_a_staff)
    url = reverse("liaisons:departure_confirm", args=[a.pk])
    assert client.post(url, _departure()).status_code == 302
    response = client.post(url, _departure(outcome=DepartureOutcome.SUSPEND))
    assert response.status_code == 400
    assert response.context["departure_form"].non_field_errors()
    assert Departure.objects.count() == 1


def test_only_the_lab_confirms_a_departure(client, world, hired):
    # rule L-12: the branch centre sees the qualification but may not confirm; another lab
    # does not even see it.
    a, _ = hired
    url = reverse("liaisons:departure_confirm", args=[a.pk])
    client.force_login(world.branch_n_reviewer)
    assert client.post(url, _departure()).status_code == 403
    client.force_login(world.lab_b_staff)
    assert client.post(url, _departure()).status_code == 404
    client.force_login(world.lab_a_staff)
    assert client.get(url).status_code == 405
    a.refresh_from_db()
    assert a.state == QualificationState.ACTIVE and not Departure.objects.exists()


# --- coverage (L-06) -----------------------------------------------------------------------


def test_lab_page_shows_each_field_covered_by_whom_or_a_gap(client, world):
    # rule L-06
    qualification = LiaisonQualificationFactory(
        lab=world.lab_a, person=world.person_a, fields=["CCC"]
    )
    coverage_refresh(lab=world.lab_a)
    client.force_login(world.branch_n_reviewer)
    response = client.get(reverse("directory:lab_detail", args=[world.lab_a.pk]), **EN)
    html = response.content.decode()
    assert "One field of the business scope has no active liaison officer (L-06)." in html
    detail = reverse("liaisons:qualification_detail", args=[qualification.pk])
    assert f'<a href="{detail}">{world.person_a.name}</a>' in html
    assert html.count("Gap: no active liaison officer") == 1


def test_lab_page_says_every_field_is_covered(client, world, hired):
    # rule L-06
    client.force_login(world.lab_a_staff)
    html = client.get(reverse("directory:lab_detail", args=[world.lab_a.pk]), **EN)
    assert "Every field of the business scope is covered." in html.content.decode()


def test_a_suspended_liaison_does_not_cover(client, world):
    # rule L-06: only active liaisons count
    LiaisonQualificationFactory(
        lab=world.lab_a, person=world.person_a, fields=["CCC", "ROHS"], suspended=True
    )
    client.force_login(world.lab_a_staff)
    html = client.get(reverse("directory:lab_detail", args=[world.lab_a.pk]), **EN)
    assert html.content.decode().count("Gap: no active liaison officer") == 2


def test_lab_staff_card_shows_the_gaps_or_that_every_field_is_covered(world):
    # rule L-06
    with translation.override("en"):
        card = _card(world.lab_a_staff, "Coverage of your lab")
        assert [label for label, _ in card.items] == [
            "Gap: CCC has no active liaison officer",
            "Gap: RoHS has no active liaison officer",
        ]
        LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, fields=["CCC", "ROHS"])
        card = _card(world.lab_a_staff, "Coverage of your lab")
        assert card.items == [] and card.empty_text.startswith("Every field")


def test_branch_and_training_centre_cards_list_the_labs_with_open_gaps(world):
    # rule L-06: the branch centre sees its labs' gaps; the training centre every lab's
    coverage_refresh(lab=world.lab_a)
    coverage_refresh(lab=world.lab_b)
    with translation.override("en"):
        branch = _card(world.branch_n_reviewer, "Labs with coverage gaps")
        assert [label for label, _ in branch.items] == ["实验室A: CCC, RoHS"]
        training = _card(world.training_admin, "Labs with coverage gaps")
        assert training.count == 2
        LiaisonQualificationFactory(lab=world.lab_a, person=world.person_a, fields=["CCC", "ROHS"])
        coverage_refresh(lab=world.lab_a)
        assert _card(world.branch_n_reviewer, "Labs with coverage gaps").items == []
        assert _card(world.training_admin, "Labs with coverage gaps").count == 1


def _card(user, title):
    return next(card for card in cards_for(user) if card.title == title)


# --- navigation ----------------------------------------------------------------------------


def test_navigation_leads_staff_to_the_liaisons_and_everyone_to_the_roster(client, world):
    roster, liaisons = reverse("liaisons:roster"), reverse("liaisons:qualification_list")
    html = client.get(roster).content.decode()
    assert f'href="{roster}"' in html and f'href="{liaisons}"' not in html
    client.force_login(world.branch_n_reviewer)
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="{roster}"' in html and f'href="{liaisons}"' in html
    person = PersonFactory(lab=world.lab_a)
    user = UserFactory(username=person.id_number, role="person")
    client.force_login(user)
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="{roster}"' in html and f'href="{liaisons}"' not in html


def test_detail_links_the_application_only_for_who_may_open_it(client, world):
    # Who may see the qualification but not its application (the general business dept)
    # gets no link that would answer 404; the training centre follows it to the application.
    from directory.constants import Role
    from liaisons.constants import ApplicationState
    from liaisons.tests.factories import LiaisonApplicationFactory

    application = LiaisonApplicationFactory(
        lab=world.lab_a, person=world.person_a, state=ApplicationState.HIRED
    )
    qualification = LiaisonQualificationFactory(
        lab=world.lab_a, person=world.person_a, application=application
    )
    url = reverse("liaisons:qualification_detail", args=[qualification.pk])
    application_url = reverse("liaisons:application_detail", args=[application.pk])
    client.force_login(world.training_admin)
    assert application_url in client.get(url).content.decode()
    assert client.get(application_url).status_code == 200
    officer = UserFactory(username="generalbiz.t", role=Role.GENERAL_BUSINESS_OFFICER)
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert application_url not in response.content.decode()
    assert client.get(application_url).status_code == 404
