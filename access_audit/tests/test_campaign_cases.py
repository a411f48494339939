"""Opening a campaign sorts every account and every hired liaison into the five cases of A-03,
and the case stays current as people are hired, rights change and people leave."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from access_audit.constants import CampaignState, Case, Confirmation, LoginRightState, china_today
from access_audit.models import AuditCampaign, CampaignEntry, LoginRight
from access_audit.services import campaign_cases, campaign_confirmation
from access_audit.services import campaigns as services
from access_audit.signals import announce_rights_changed
from access_audit.tests.campaign_helpers import (
    account,
    entry_of,
    hired,
    new_campaign,
    people_of_every_case,
)
from directory.tests.factories import PersonFactory
from liaisons.services import qualifications as liaison_services

pytestmark = pytest.mark.django_db


def _opened(world):
    campaign = new_campaign(world)
    services.campaign_open(campaign=campaign, actor=world.training_admin)
    campaign.refresh_from_db()
    return campaign


def test_opening_sorts_each_account_and_hired_liaison_into_its_case(world):
    # rule A-03: every account (any state) and every hired liaison without one, in SQL
    cases = people_of_every_case(world)
    campaign = new_campaign(world)

    counts = services.campaign_open(campaign=campaign, actor=world.training_admin)

    assert entry_of(campaign, right=cases.keeps_working).case == Case.KEEPS_WORKING
    assert entry_of(campaign, person=cases.may_apply_no_account).case == Case.MAY_APPLY
    assert entry_of(campaign, right=cases.may_apply_suspended).case == Case.MAY_APPLY
    assert entry_of(campaign, right=cases.must_be_hired).case == Case.MUST_BE_HIRED
    assert entry_of(campaign, right=cases.unmatched).case == Case.MUST_BE_HIRED
    assert entry_of(campaign, right=cases.neither).case == Case.NEITHER
    assert counts == {1: 1, 2: 2, 3: 2, 4: 0, 5: 1}
    assert CampaignEntry.objects.filter(campaign=campaign).count() == 6
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.OPEN and campaign.opened_at is not None


def test_case_1_qualified_with_an_active_right(world):
    # rule A-03 case 1: keeps working
    right = account(hired(world.lab_a).person, lab=world.lab_a)
    campaign = _opened(world)
    entry = entry_of(campaign, right=right)
    assert entry.case == Case.KEEPS_WORKING
    assert entry.lab == world.lab_a and entry.person == right.person


def test_case_2_qualified_without_an_account_or_with_a_suspended_right(world):
    # rule A-03 case 2: may apply for a right
    no_account = hired(world.lab_b).person
    suspended = account(hired(world.lab_a).person, lab=world.lab_a, state=LoginRightState.SUSPENDED)
    campaign = _opened(world)
    entry = entry_of(campaign, person=no_account)
    assert entry.case == Case.MAY_APPLY and entry.right is None
    # The lab of a liaison without an account is their qualification's.
    assert entry.lab == world.lab_b
    assert entry_of(campaign, right=suspended).case == Case.MAY_APPLY


def test_case_3_an_active_right_without_a_qualification(world):
    # rule A-03 case 3: must be hired before the deadline; a suspended qualification, a
    # legacy one that no longer counts (L-13) and no person at all are all "not qualified"
    suspended = hired(world.lab_a, suspended=True).person
    legacy = hired(world.lab_a, legacy=True).person
    rights = [
        account(suspended, lab=world.lab_a),
        account(legacy, lab=world.lab_a),
        account(None, lab=world.lab_a),
        account(PersonFactory(lab=world.lab_a), lab=None),
    ]
    campaign = _opened(world)
    assert [entry_of(campaign, right=r).case for r in rights] == [Case.MUST_BE_HIRED] * 4
    # An account naming no lab takes the person's.
    assert entry_of(campaign, right=rights[3]).lab == world.lab_a


def test_case_5_neither_a_qualification_nor_an_active_right(world):
    # rule A-03 case 5: apply for the qualification first, then for the right
    revoked = account(
        PersonFactory(lab=world.lab_a), lab=world.lab_a, state=LoginRightState.REVOKED
    )
    suspended = account(None, lab=world.lab_b, state=LoginRightState.SUSPENDED)
    campaign = _opened(world)
    assert entry_of(campaign, right=revoked).case == Case.NEITHER
    assert entry_of(campaign, right=suspended).case == Case.NEITHER


def test_case_4_the_lab_confirms_the_person_left(world):
    # rule A-03 case 4, rule L-12: the qualification is suspended (transfer) and the right
    # suspended, with a row for the business system's feed
    qualification = hired(world.lab_a, person=world.person_a)
    right = account(world.person_a, lab=world.lab_a)
    campaign = _opened(world)
    entry = entry_of(campaign, right=right)

    campaign_confirmation.campaign_entries_confirm(
        campaign=campaign,
        actor=world.lab_a_staff,
        seen={entry.pk: ""},
        confirmation=Confirmation.LEFT_TRANSFERRED,
        comment="调往其他单位",
    )

    entry.refresh_from_db()
    assert entry.case == Case.LEFT and entry.confirmation == Confirmation.LEFT_TRANSFERRED
    qualification.refresh_from_db()
    assert qualification.state == "suspended"
    assert qualification.departures.get().reason == "transfer"
    right.refresh_from_db()
    assert right.state == LoginRightState.SUSPENDED and right.rule == "A-03"
    assert list(right.changes.values_list("state", "rule", "campaign")) == [
        ("suspended", "A-03", campaign.pk)
    ]


def test_case_4_retired_cancels_the_qualification(world):
    # rule A-03 case 4, rule L-12: retirement cancels the qualification
    qualification = hired(world.lab_a, person=world.person_a)
    campaign = _opened(world)
    entry = entry_of(campaign, person=world.person_a)
    campaign_confirmation.campaign_entries_confirm(
        campaign=campaign,
        actor=world.lab_a_staff,
        seen={entry.pk: ""},
        confirmation=Confirmation.LEFT_RETIRED,
    )
    qualification.refresh_from_db()
    assert qualification.state == "cancelled"
    entry.refresh_from_db()
    assert entry.case == Case.LEFT


# --- the case stays current ----------------------------------------------------------------


def test_a_hire_puts_the_new_liaison_into_the_campaign(world):
    # rule A-03: a person hired while the campaign is open gets an entry (case 2), and an
    # account of theirs that was case 3 becomes case 1
    campaign = _opened(world)
    right = account(world.person_a, lab=world.lab_a)
    announce_rights_changed([right.pk])
    assert entry_of(campaign, right=right).case == Case.MUST_BE_HIRED

    qualification = hired(world.lab_b, person=world.person_b)
    liaison_services.qualification_change_state(
        qualification=qualification, action="suspend", actor=world.training_admin, reason="评价"
    )
    liaison_services.qualification_change_state(
        qualification=qualification, action="reinstate", actor=world.training_admin, reason="复核"
    )
    hired(world.lab_a, person=world.person_a)
    campaign_cases.campaign_entries_refresh(person_ids=[world.person_a.pk])

    assert entry_of(campaign, person=world.person_b).case == Case.MAY_APPLY
    assert entry_of(campaign, right=right).case == Case.KEEPS_WORKING


def test_a_qualification_suspended_moves_the_entry_at_once(world):
    # rule A-03, rule A-01: the announcement of the suspension recomputes the case; the right
    # follows the qualification, so the account is neither qualified nor active: case 5
    qualification = hired(world.lab_a, person=world.person_a)
    right = account(world.person_a, lab=world.lab_a)
    campaign = _opened(world)
    assert entry_of(campaign, right=right).case == Case.KEEPS_WORKING

    liaison_services.qualification_change_state(
        qualification=qualification, action="suspend", actor=world.training_admin, reason="评价差"
    )

    entry = entry_of(campaign, right=right)
    right.refresh_from_db()
    assert right.state != LoginRightState.ACTIVE
    assert entry.case == Case.NEITHER
    # The change of case is on the entry's record.
    assert entry.history.filter(history_type="~").exists()


def test_a_right_granted_or_suspended_moves_the_entry(world):
    # rule A-03: the rights' own announcement (a grant, a suspension) recomputes the case, and
    # a new account of a liaison without one joins their entry (the confirmation stays)
    hired(world.lab_a, person=world.person_a)
    campaign = _opened(world)
    entry = entry_of(campaign, person=world.person_a)
    assert entry.case == Case.MAY_APPLY

    right = account(world.person_a, lab=world.lab_a)
    announce_rights_changed([right.pk])
    entry.refresh_from_db()
    assert entry.right == right and entry.case == Case.KEEPS_WORKING
    assert CampaignEntry.objects.filter(campaign=campaign, person=world.person_a).count() == 1

    LoginRight.objects.filter(pk=right.pk).update(state=LoginRightState.SUSPENDED)
    announce_rights_changed([right.pk])
    entry.refresh_from_db()
    assert entry.case == Case.MAY_APPLY


def test_a_new_account_of_someone_unknown_gets_an_entry(world):
    # rule A-03: an account created after the opening (an import) is checked too
    campaign = _opened(world)
    right = account(None, lab=world.lab_b)
    campaign_cases.campaign_entries_refresh(right_ids=[right.pk])
    assert entry_of(campaign, right=right).case == Case.MUST_BE_HIRED


def test_a_closed_campaign_is_not_recomputed(world):
    # rule A-03: the entries of a closed campaign are what the deadline job reads
    right = account(hired(world.lab_a).person, lab=world.lab_a)
    campaign = _opened(world)
    services.campaign_close(campaign=campaign, actor=world.training_admin)
    LoginRight.objects.filter(pk=right.pk).update(state=LoginRightState.REVOKED)
    assert campaign_cases.campaign_entries_refresh(right_ids=[right.pk]) == 0
    assert entry_of(campaign, right=right).case == Case.KEEPS_WORKING


def test_a_whole_refresh_sorts_every_entry_again(world):
    # rule A-03: with no argument, every entry of the open campaigns
    right = account(hired(world.lab_a).person, lab=world.lab_a)
    campaign = _opened(world)
    LoginRight.objects.filter(pk=right.pk).update(state=LoginRightState.REVOKED)
    assert campaign_cases.campaign_entries_refresh() == 1
    assert entry_of(campaign, right=right).case == Case.MAY_APPLY


# --- suggestion of unused accounts ----------------------------------------------------------


def test_an_account_unused_for_longer_than_the_campaign_says_is_suggested_as_left(world):
    # rule A-04: a suggestion only; the lab still decides
    today = china_today()
    old = account(
        hired(world.lab_a).person,
        lab=world.lab_a,
        last_login_on=today - datetime.timedelta(days=91),
    )
    edge = account(None, lab=world.lab_a, last_login_on=today - datetime.timedelta(days=90))
    unknown = account(None, lab=world.lab_a, last_login_on=None)
    campaign = _opened(world)
    assert entry_of(campaign, right=old).suggest_left is True
    assert entry_of(campaign, right=edge).suggest_left is False
    assert entry_of(campaign, right=unknown).suggest_left is False
    assert entry_of(campaign, right=old).confirmation == Confirmation.UNCONFIRMED

    # A day later the account at the edge has been unused for longer than 90 days.
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert campaign_cases.campaign_suggestions_refresh(at=tomorrow) == 1
    assert entry_of(campaign, right=edge).suggest_left is True


def test_the_unused_time_is_the_campaigns_own(world):
    # rule A-04: configurable per campaign
    today = china_today()
    right = account(None, lab=world.lab_a, last_login_on=today - datetime.timedelta(days=31))
    campaign = new_campaign(world, unused_after_days=30)
    services.campaign_open(campaign=campaign, actor=world.training_admin)
    assert entry_of(campaign, right=right).suggest_left is True


# --- the campaign itself --------------------------------------------------------------------


def test_only_the_training_centre_runs_the_campaign(world):
    # rule A-03
    new_campaign(world)
    with pytest.raises(PermissionDenied):
        services.campaign_create(
            actor=world.branch_n_reviewer,
            name="x",
            migration_deadline=datetime.date(2030, 1, 1),
            confirmation_deadline=datetime.date(2030, 2, 1),
        )
    campaign = AuditCampaign.objects.get()
    for actor in (world.lab_a_staff, world.branch_n_reviewer, world.body_x_admin):
        with pytest.raises(PermissionDenied):
            services.campaign_open(campaign=campaign, actor=actor)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.DRAFT


def test_deadlines_and_reminder_days_are_checked(world):
    # rule A-04, rule L-13: the migration deadline comes first; reminders are days before
    with pytest.raises(ValidationError):
        services.campaign_create(
            actor=world.training_admin,
            name="反了",
            migration_deadline=datetime.date(2030, 3, 1),
            confirmation_deadline=datetime.date(2030, 2, 1),
        )
    for days in ([], [0], [400], list(range(1, 20))):
        with pytest.raises(ValidationError):
            new_campaign(world, name=f"提醒{len(days)}", reminder_days=days)
    assert new_campaign(world, reminder_days=[1, 7, 7, 30]).reminder_days == [30, 7, 1]


def test_one_campaign_is_open_at_a_time_and_a_campaign_opens_once(world):
    # rule A-03
    first = _opened(world)
    second = new_campaign(world, name="第二次")
    with pytest.raises(ValidationError):
        services.campaign_open(campaign=second, actor=world.training_admin)
    with pytest.raises(ValidationError):
        services.campaign_open(campaign=first, actor=world.training_admin)
    services.campaign_close(campaign=first, actor=world.training_admin)
    services.campaign_open(campaign=second, actor=world.training_admin)
    second.refresh_from_db()
    assert second.state == CampaignState.OPEN
