"""Two confirmations of one entry at the same moment, on real PostgreSQL (A-04): the entries
are locked, so only the first wins and the second is told someone confirmed a moment ago."""

import pytest
from django.core.exceptions import ValidationError

from access_audit.constants import Confirmation
from access_audit.models import AuditCampaign, CampaignEntry
from access_audit.services import campaign_confirmation
from access_audit.services import campaigns as services
from access_audit.tests.campaign_helpers import account, hired, new_campaign
from directory.constants import CertificationFieldCode, Role
from directory.models import CertificationField
from directory.tests.factories import UserFactory
from directory.tests.threads import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def certification_fields(db):
    """Transactional tests flush the tables, the ten fields of the data migration too."""
    for position, code in enumerate(CertificationFieldCode.values, start=1):
        CertificationField.objects.update_or_create(code=code, defaults={"position": position})


def test_two_confirmations_of_one_entry_at_once_only_one_wins(certification_fields, world):
    # rule A-04
    second_staff = UserFactory(username="lab_a_2", role=Role.LAB_STAFF, lab=world.lab_a)
    rights = [account(hired(world.lab_a).person, lab=world.lab_a) for _ in range(3)]
    campaign = new_campaign(world)
    services.campaign_open(campaign=campaign, actor=world.training_admin)
    entries = list(CampaignEntry.objects.filter(campaign=campaign).order_by("pk"))
    assert len(entries) == len(rights)

    def confirm(actor, confirmation, chosen):
        return campaign_confirmation.campaign_entries_confirm(
            campaign=AuditCampaign.objects.get(pk=campaign.pk),
            actor=actor,
            seen={e.pk: "" for e in chosen},
            confirmation=confirmation,
        )

    # Overlapping bulk confirmations: both hold the middle entry.
    results = run_together(
        [
            lambda: confirm(world.lab_a_staff, Confirmation.WORKS, entries[:2]),
            lambda: confirm(second_staff, Confirmation.LEFT_RETIRED, entries[1:]),
        ],
        returned=(ValidationError,),
    )

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1
    # The loser is told in words: the entry changed since its page showed it, or (when the
    # winner confirmed it as left) that a departure is final.
    codes = [e.code for e in refused[0].error_list]
    assert codes in (["stale_state"], ["left_is_final"])
    if codes == ["left_is_final"]:
        assert isinstance(results[0], ValidationError)
    stored = {
        e.pk: (e.confirmation, e.confirmed_by_id)
        for e in CampaignEntry.objects.filter(campaign=campaign)
    }
    winner = world.lab_a_staff if isinstance(results[1], ValidationError) else second_staff
    middle = stored[entries[1].pk]
    assert middle[1] == winner.pk
    # All of the loser's batch stayed as it was (all or none).
    untouched = entries[2] if winner == world.lab_a_staff else entries[0]
    assert stored[untouched.pk] == ("", None)
