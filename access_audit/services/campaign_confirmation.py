"""The labs' confirmation of their people in a campaign (A-04): one by one or in bulk, by the
lab or, for a lab with no active staff user, by its branch centre; a person confirmed as left
leaves the lab (L-12) and the entry moves to case 4 (A-03).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqcportal.history import history_bulk_create
from cqcportal.limits import REASON_MAX_LENGTH
from directory.constants import Role
from directory.models import User
from directory.selectors import labs_with_active_staff
from liaisons.constants import DepartureOutcome, DepartureReason
from liaisons.selectors import current_qualifications
from liaisons.services.qualifications import departure_allowed, departure_confirm

from ..constants import LEFT, CampaignState, Case, Confirmation, LoginRightState, china_today
from ..feed import right_changes_record
from ..models import AuditCampaign, CampaignEntry, LoginRight
from ..permissions.campaigns import confirmable_labs

#: The most entries one confirmation takes (a page of the lab's list is 100).
CONFIRM_MAX_ENTRIES = 500


# --- the lab's confirmation (A-04) -----------------------------------------------------------


def _share_lock(campaign: AuditCampaign) -> AuditCampaign:
    """The campaign, read under a lock that confirmations share and that closing it (``FOR
    UPDATE``) waits for: nothing is confirmed in a campaign that is being closed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(AuditCampaign._meta.db_table)
            cursor.execute(f"SELECT id FROM {table} WHERE id = %s FOR SHARE", [campaign.pk])  # noqa: S608 - the model's table
    return AuditCampaign.objects.get(pk=campaign.pk)


def _clean_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > REASON_MAX_LENGTH or "\x00" in comment:
        raise ValidationError(
            {"comment": _("Write at most %(limit)d characters.") % {"limit": REASON_MAX_LENGTH}},
            code="max_length",
        )
    return comment


@transaction.atomic
def campaign_entries_confirm(
    *,
    campaign: AuditCampaign,
    actor: User,
    seen: dict[int, str],
    confirmation: str,
    comment: str = "",
    at: datetime.datetime | None = None,
) -> list[CampaignEntry]:
    """The lab confirms each of its people in the campaign (A-04): still works as a liaison,
    left (transferred or retired), or not one of ours; one entry or many with one comment.

    ``seen`` maps each entry's id to the confirmation the actor saw on the page: an entry
    someone confirmed since is refused with a word saying so, so that of two confirmations at
    once only the first wins (the entries are locked). Lab staff confirm their own lab's
    entries; a branch reviewer those of its labs that have no active staff user, and only
    then. "Left" puts the entry into case 4: the person's qualification at the lab is
    suspended (transferred) or cancelled (retired) through the lab's departure (L-12), and
    the account's right is suspended (A-03 case 4). Nothing is confirmed after 24:00 China
    time on the confirmation deadline (A-05).
    """
    at = at or timezone.now()
    if confirmation not in Confirmation.values or confirmation == Confirmation.UNCONFIRMED:
        raise ValidationError({"confirmation": _("Choose what to confirm.")})
    comment = _clean_comment(comment)
    if not seen:
        raise ValidationError(_("Choose at least one person to confirm."), code="empty")
    if len(seen) > CONFIRM_MAX_ENTRIES:
        raise ValidationError(
            _("Confirm at most %(count)d people at once.") % {"count": CONFIRM_MAX_ENTRIES},
            code="too_many",
        )
    campaign = _share_lock(campaign)
    if campaign.state != CampaignState.OPEN:
        raise ValidationError(
            _("The campaign is “%(state)s”: nothing is confirmed in it any more.")
            % {"state": campaign.get_state_display()},
            code="campaign_not_open",
        )
    if at >= campaign.confirmation_ends_at:
        raise ValidationError(
            _(
                "A-04: the confirmation deadline passed at 24:00 China time on %(date)s (A-05); "
                "nothing is confirmed after it."
            )
            % {"date": campaign.confirmation_deadline.isoformat()},
            code="A-04",
        )
    entries = list(
        CampaignEntry.objects.select_for_update(of=("self",))
        .filter(campaign=campaign, pk__in=list(seen))
        .select_related("lab", "person", "right")
        .order_by("pk")
    )
    allowed = set(confirmable_labs(actor).values_list("pk", flat=True))
    if len(entries) != len(seen) or any(e.lab_id not in allowed for e in entries):
        raise PermissionDenied(_refusal(actor, entries, allowed))
    _check_seen(entries, seen)
    by_branch = actor.role == Role.BRANCH_REVIEWER
    left = confirmation in LEFT
    changes = {
        "confirmation": confirmation,
        "confirmed_at": at,
        "confirmed_by": actor,
        "confirmed_by_branch": by_branch,
        "comment": comment,
        "updated_at": at,
    }
    if left:
        changes["case"] = Case.LEFT
    CampaignEntry.objects.filter(pk__in=[e.pk for e in entries]).update(**changes)
    history_bulk_create(
        entries, model=CampaignEntry, user=actor, date=at, update=True, reason=comment
    )
    if left:
        _leave(campaign, entries, actor=actor, confirmation=confirmation, comment=comment, at=at)
    for entry in entries:
        for field, value in changes.items():
            setattr(entry, field, value)
    return entries


def _refusal(actor: User, entries: list[CampaignEntry], allowed: set[int]) -> str:
    """Why ``actor`` may not confirm these entries, without naming anyone else's people."""
    if actor.role == Role.BRANCH_REVIEWER:
        staffed = labs_with_active_staff().filter(
            pk__in={e.lab_id for e in entries if e.lab_id not in allowed},
            branch_id=actor.branch_id,
        )
        lab = staffed.first()
        if lab is not None:
            return _(
                "A-04: %(lab)s has an active staff user and confirms its people itself; its "
                "branch centre confirms only for a lab that has none."
            ) % {"lab": lab.name}
    return _("A-04: only the lab confirms its own people.")


def _check_seen(entries: list[CampaignEntry], seen: dict[int, str]) -> None:
    problems = []
    for entry in entries:
        name = _entry_name(entry)
        if entry.confirmation in LEFT:
            problems.append(
                ValidationError(
                    _(
                        "%(name)s is confirmed as “%(confirmation)s”: the departure stands; "
                        "the training centre decides what follows."
                    )
                    % {"name": name, "confirmation": entry.get_confirmation_display()},
                    code="left_is_final",
                )
            )
        elif entry.confirmation != seen[entry.pk]:
            problems.append(
                ValidationError(
                    _(
                        "%(name)s was confirmed a moment ago as “%(confirmation)s” by someone "
                        "else; look at the page again."
                    )
                    % {"name": name, "confirmation": entry.get_confirmation_display()},
                    code="stale_state",
                )
            )
    if problems:
        raise ValidationError(problems)


def _entry_name(entry: CampaignEntry) -> str:
    if entry.person_id is not None:
        return entry.person.name
    return entry.right.name or entry.right.username


def _leave(
    campaign: AuditCampaign,
    entries: list[CampaignEntry],
    *,
    actor: User,
    confirmation: str,
    comment: str,
    at: datetime.datetime,
) -> None:
    """A-03 case 4: the qualification ends through the lab's departure (L-12) and the
    account's right is suspended, with a row for the business system's feed."""
    transferred = confirmation == Confirmation.LEFT_TRANSFERRED
    reason = DepartureReason.TRANSFER if transferred else DepartureReason.RETIREMENT
    outcome = DepartureOutcome.SUSPEND if transferred else DepartureOutcome.CANCEL
    # The rights first, under this rule: the qualification's end then finds none left to
    # follow it.
    text = _("Left the job, confirmed by the lab in the check campaign “%(campaign)s”.") % {
        "campaign": campaign.name
    }
    suspended = []
    for right in (
        LoginRight.objects.select_for_update()
        .filter(
            pk__in=[e.right_id for e in entries if e.right_id is not None],
            state=LoginRightState.ACTIVE,
        )
        .order_by("pk")
    ):
        right.suspend(at=at, rule="A-03", reason=text, by=actor, description=text)
        right._history_user = actor
        right.save()
        suspended.append(right)
    if suspended:
        right_changes_record(suspended, at=at, rule="A-03", campaign=campaign)
    lab_of = {e.person_id: e.lab_id for e in entries if e.person_id is not None}
    for qualification in (
        current_qualifications(person_ids=lab_of).select_related("lab").order_by("pk")
    ):
        # Only the lab's own liaison: another lab's qualification of the person is that lab's.
        if lab_of[qualification.person_id] == qualification.lab_id and departure_allowed(
            qualification
        ):
            departure_confirm(
                qualification=qualification,
                actor=actor,
                reason=reason,
                left_on=china_today(at),
                outcome=outcome,
                comment=comment,
            )
