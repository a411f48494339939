"""The lab confirms each of its people in the campaign, one by one or in bulk (A-04); a lab
with no active staff user is confirmed for by its branch centre, and only then."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from access_audit.constants import Case, Confirmation, LoginRightState
from access_audit.models import CampaignEntry
from access_audit.services import campaign_cases, campaign_confirmation
from access_audit.services import campaigns as services
from access_audit.tests.campaign_helpers import account, entry_of, hired, new_campaign
from cqcportal.limits import REASON_MAX_LENGTH
from directory.constants import Role
from directory.tests.factories import PersonFactory, TestingLabFactory, UserFactory
from liaisons.constants import CHINA, deadline_end

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world):
    """Lab A: three liaisons with accounts; lab B: one. Open."""
    for lab, count in ((world.lab_a, 3), (world.lab_b, 1)):
        for _ in range(count):
            account(hired(lab).person, lab=lab)
    campaign = new_campaign(world)
    services.campaign_open(campaign=campaign, actor=world.training_admin)
    campaign.refresh_from_db()
    return campaign


def _entries(campaign, lab):
    return list(CampaignEntry.objects.filter(campaign=campaign, lab=lab).order_by("pk"))


def _confirm(campaign, actor, entries, confirmation=Confirmation.WORKS, **kwargs):
    return campaign_confirmation.campaign_entries_confirm(
        campaign=campaign,
        actor=actor,
        seen={e.pk: e.confirmation for e in entries},
        confirmation=confirmation,
        **kwargs,
    )


def test_the_lab_confirms_one_person(world, campaign):
    # rule A-04
    entry = _entries(campaign, world.lab_a)[0]
    _confirm(campaign, world.lab_a_staff, [entry], comment="仍在岗")
    entry.refresh_from_db()
    assert entry.confirmation == Confirmation.WORKS
    assert entry.confirmed_by == world.lab_a_staff and entry.confirmed_at is not None
    assert entry.confirmed_by_branch is False and entry.comment == "仍在岗"
    assert entry.case == Case.KEEPS_WORKING
    record = entry.history.latest()
    assert record.history_user == world.lab_a_staff and record.confirmation == "works"


def test_the_lab_confirms_many_at_once_with_one_comment(world, campaign):
    # rule A-04: bulk, checked rows + one confirmation + one comment
    entries = _entries(campaign, world.lab_a)
    confirmed = _confirm(campaign, world.lab_a_staff, entries, comment="2026年复核")
    assert len(confirmed) == 3
    stored = CampaignEntry.objects.filter(pk__in=[e.pk for e in entries])
    assert set(stored.values_list("confirmation", "comment")) == {("works", "2026年复核")}
    assert all(e.history.count() == 1 for e in stored)


def test_bulk_left_ends_each_qualification_and_suspends_each_right(world, campaign):
    # rule A-03 case 4, rule L-12
    entries = _entries(campaign, world.lab_a)[:2]
    _confirm(campaign, world.lab_a_staff, entries, Confirmation.LEFT_RETIRED)
    for entry in CampaignEntry.objects.filter(pk__in=[e.pk for e in entries]):
        assert entry.case == Case.LEFT
        assert entry.right.state == LoginRightState.SUSPENDED
        assert entry.person.liaison_qualifications.get().state == "cancelled"


def test_a_lab_cannot_confirm_another_labs_people(world, campaign):
    # rule A-04: lab A's staff and lab B's entry; nothing changes
    foreign = _entries(campaign, world.lab_b)[0]
    own = _entries(campaign, world.lab_a)[0]
    for entries in ([foreign], [own, foreign]):
        with pytest.raises(PermissionDenied):
            _confirm(campaign, world.lab_a_staff, entries)
    assert not CampaignEntry.objects.exclude(confirmation="").exists()


def test_other_roles_confirm_nothing(world, campaign):
    # rule A-04: the training centre watches, the labs confirm
    entry = _entries(campaign, world.lab_a)[0]
    for actor in (world.training_admin, world.body_x_admin, world.evaluator, world.inspector):
        with pytest.raises(PermissionDenied):
            _confirm(campaign, actor, [entry])


def test_a_branch_confirms_for_a_lab_without_an_active_staff_user(world, campaign):
    # rule A-04: the branch fallback; confirmed_by_branch records it
    world.lab_a_staff.is_active = False
    world.lab_a_staff.save()
    entries = _entries(campaign, world.lab_a)
    _confirm(campaign, world.branch_n_reviewer, entries[:1])
    _confirm(campaign, world.branch_n_reviewer, entries[1:2], Confirmation.LEFT_TRANSFERRED)
    first, second = (CampaignEntry.objects.get(pk=e.pk) for e in entries[:2])
    assert first.confirmed_by_branch and first.confirmed_by == world.branch_n_reviewer
    # L-12 for a lab without staff: its branch centre confirms the departure.
    assert second.case == Case.LEFT
    assert second.person.liaison_qualifications.get().state == "suspended"
    # Only its own branch's labs.
    with pytest.raises(PermissionDenied):
        _confirm(campaign, world.branch_s_reviewer, entries[2:])


def test_a_branch_is_refused_while_the_lab_has_an_active_staff_user(world, campaign):
    # rule A-04: the fallback applies only to a lab with no active staff user
    entry = _entries(campaign, world.lab_a)[0]
    with pytest.raises(PermissionDenied) as refused:
        _confirm(campaign, world.branch_n_reviewer, [entry])
    assert "实验室A" in str(refused.value) and "A-04" in str(refused.value)
    entry.refresh_from_db()
    assert entry.confirmation == Confirmation.UNCONFIRMED


def test_a_second_confirmation_of_what_was_already_confirmed_is_refused(world, campaign):
    # rule A-04: two confirmations of one entry cannot both win; the second is told
    second_staff = UserFactory(username="lab_a_2", role=Role.LAB_STAFF, lab=world.lab_a)
    entry = _entries(campaign, world.lab_a)[0]
    seen = entry.confirmation
    _confirm(campaign, world.lab_a_staff, [entry])
    with pytest.raises(ValidationError) as refused:
        campaign_confirmation.campaign_entries_confirm(
            campaign=campaign,
            actor=second_staff,
            seen={entry.pk: seen},
            confirmation=Confirmation.NOT_OURS,
        )
    assert [e.code for e in refused.value.error_list] == ["stale_state"]
    entry.refresh_from_db()
    assert entry.confirmation == Confirmation.WORKS and entry.confirmed_by == world.lab_a_staff
    # Changing it knowingly (having seen "works") is allowed until the deadline.
    _confirm(campaign, second_staff, [entry], Confirmation.NOT_OURS)
    entry.refresh_from_db()
    assert entry.confirmation == Confirmation.NOT_OURS


def test_left_is_final(world, campaign):
    # rule A-03 case 4: the departure stands; the training centre decides what follows
    entry = _entries(campaign, world.lab_a)[0]
    _confirm(campaign, world.lab_a_staff, [entry], Confirmation.LEFT_RETIRED)
    entry.refresh_from_db()
    with pytest.raises(ValidationError):
        _confirm(campaign, world.lab_a_staff, [entry], Confirmation.WORKS)


def test_left_for_an_account_without_a_qualification_suspends_the_right_only(world, campaign):
    # rule A-03 case 4: a case-3 account the lab says left
    right = account(PersonFactory(lab=world.lab_a), lab=world.lab_a)
    campaign_cases.campaign_entries_refresh(right_ids=[right.pk])
    entry = entry_of(campaign, right=right)
    assert entry.case == Case.MUST_BE_HIRED
    _confirm(campaign, world.lab_a_staff, [entry], Confirmation.LEFT_TRANSFERRED)
    right.refresh_from_db()
    entry.refresh_from_db()
    assert right.state == LoginRightState.SUSPENDED and entry.case == Case.LEFT


def test_another_labs_qualification_of_the_person_is_left_alone(world, campaign):
    # rule L-12: an account of lab A whose person is lab B's liaison: lab A's "left" ends the
    # account's right, not lab B's qualification
    qualification = hired(world.lab_b, person=PersonFactory(lab=world.lab_b))
    right = account(qualification.person, lab=world.lab_a)
    campaign_cases.campaign_entries_refresh(right_ids=[right.pk])
    _confirm(
        campaign, world.lab_a_staff, [entry_of(campaign, right=right)], Confirmation.LEFT_RETIRED
    )
    qualification.refresh_from_db()
    assert qualification.state == "active"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"confirmation": ""}, ValidationError),
        ({"confirmation": "bogus"}, ValidationError),
        ({"comment": "长" * (REASON_MAX_LENGTH + 1)}, ValidationError),
        ({"comment": "a\x00b"}, ValidationError),
    ],
)
def test_hostile_confirmations_are_refused(world, campaign, kwargs, error):
    # rule A-04: every text within its limit, every choice one of the list
    entry = _entries(campaign, world.lab_a)[0]
    arguments = {"confirmation": Confirmation.WORKS, **kwargs}
    with pytest.raises(error):
        campaign_confirmation.campaign_entries_confirm(
            campaign=campaign, actor=world.lab_a_staff, seen={entry.pk: ""}, **arguments
        )
    entry.refresh_from_db()
    assert entry.confirmation == Confirmation.UNCONFIRMED


def test_too_many_or_no_entries_are_refused(world, campaign):
    # rule A-04
    with pytest.raises(ValidationError):
        campaign_confirmation.campaign_entries_confirm(
            campaign=campaign, actor=world.lab_a_staff, seen={}, confirmation="works"
        )
    with pytest.raises(ValidationError):
        campaign_confirmation.campaign_entries_confirm(
            campaign=campaign,
            actor=world.lab_a_staff,
            seen={n: "" for n in range(campaign_confirmation.CONFIRM_MAX_ENTRIES + 1)},
            confirmation="works",
        )
    with pytest.raises(PermissionDenied):
        campaign_confirmation.campaign_entries_confirm(
            campaign=campaign, actor=world.lab_a_staff, seen={999999: ""}, confirmation="works"
        )


def test_nothing_is_confirmed_after_24_00_china_time_on_the_deadline(world, campaign):
    # rule A-04, rule A-05: 23:59:59 on the deadline is in time, 00:00:00 the next day is not
    entries = _entries(campaign, world.lab_a)
    end = deadline_end(campaign.confirmation_deadline)
    last_second = datetime.datetime.combine(
        campaign.confirmation_deadline, datetime.time(23, 59, 59), CHINA
    )
    assert end - last_second == datetime.timedelta(seconds=1)
    _confirm(campaign, world.lab_a_staff, entries[:1], at=last_second)
    with pytest.raises(ValidationError) as late:
        _confirm(campaign, world.lab_a_staff, entries[1:2], at=end)
    assert "A-04" in str(late.value)
    assert CampaignEntry.objects.exclude(confirmation="").count() == 1


def test_nothing_is_confirmed_in_a_closed_campaign(world, campaign):
    # rule A-04: the closed campaign's entries are the deadline job's
    services.campaign_close(campaign=campaign, actor=world.training_admin)
    with pytest.raises(ValidationError):
        _confirm(campaign, world.lab_a_staff, _entries(campaign, world.lab_a)[:1])


def test_an_entry_without_a_lab_is_confirmed_by_no_one(world, campaign):
    # rule A-04: an account matching no person and naming no lab
    right = account(None, lab=None)
    campaign_cases.campaign_entries_refresh(right_ids=[right.pk])
    entry = entry_of(campaign, right=right)
    assert entry.lab is None
    lab_c = TestingLabFactory(branch=world.branch_n)
    for actor in (world.lab_a_staff, world.branch_n_reviewer):
        with pytest.raises(PermissionDenied):
            _confirm(campaign, actor, [entry])
    assert lab_c.pk  # a lab of branch N without staff gives the branch no right to it
