"""The check campaign (核查、确认、清理): created, opened over every business-system account and
every hired liaison, kept current, confirmed by the labs, closed (A-03, A-04).

The five cases of A-03, as every statement of this module computes them for an entry:

====  =====================================================================================
case  when
====  =====================================================================================
4     the lab confirmed that the person left (transferred or retired); otherwise:
1     qualified and the account's right is active;
2     qualified, with no active right (no account, or one suspended or revoked);
3     an active right, not qualified;
5     neither: no counting qualification and no active right.
====  =====================================================================================

"Qualified" is a liaison qualification that counts as hired
(``liaisons.selectors.counting_qualifications``: active, and a legacy one only while it still
counts, L-13). An entry's lab is its account's lab, else the lab of the person's counting
qualification, else the person's lab; an account matching no person and naming no lab has no
lab, and so no one to confirm it (A-04 then takes its right at the deadline).

Opening and keeping the case current work on sets inside the database (``INSERT ... SELECT``
and ``UPDATE`` with ``CASE``), never a Python loop over accounts: a campaign opens over a
million of them (bench/README.md).
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from cqcportal.history import history_bulk_create
from cqcportal.limits import REASON_MAX_LENGTH
from directory.constants import Role
from directory.models import Person, User
from directory.selectors import labs_with_active_staff
from liaisons.constants import CHINA, DepartureOutcome, DepartureReason
from liaisons.selectors import counting_qualifications, current_qualifications
from liaisons.services.qualifications import departure_allowed, departure_confirm

from ..constants import LEFT, CampaignState, Case, Confirmation, LoginRightState
from ..feed import right_changes_record
from ..models import AuditCampaign, CampaignEntry, LoginRight
from ..models.campaigns import CAMPAIGN_NAME_MAX_LENGTH
from ..permissions.campaigns import can_run_campaigns, confirmable_labs

#: The most entries one confirmation takes (a page of the lab's list is 100).
CONFIRM_MAX_ENTRIES = 500
#: Reminder days: at most this many, each between 1 and a year before the deadline.
REMINDER_DAYS_MAX = 10

#: Primary and foreign keys, as expressions compute them.
_ID = models.BigIntegerField()

#: The columns an opening writes, in the order of the ``SELECT`` that feeds them.
_ENTRY_COLUMNS = (
    "campaign_id",
    "right_id",
    "person_id",
    "lab_id",
    "case",
    "suggest_left",
    "confirmation",
    "confirmed_by_branch",
    "comment",
    "updated_at",
)


def china_today(at: datetime.datetime | None = None) -> datetime.date:
    """The date in China at ``at`` (now by default): deadlines and reminders count China's
    days (A-05)."""
    return (at or timezone.now()).astimezone(CHINA).date()


def _require_training_centre(actor: User) -> None:
    if not can_run_campaigns(actor):
        raise PermissionDenied(_("Only the training centre runs the check campaign (A-03)."))


# --- the campaign --------------------------------------------------------------------------


def _clean_reminder_days(days: Iterable[int]) -> list[int]:
    cleaned = sorted({int(day) for day in days}, reverse=True)
    if not cleaned or len(cleaned) > REMINDER_DAYS_MAX or not all(1 <= d <= 365 for d in cleaned):
        raise ValidationError(
            {
                "reminder_days": _(
                    "Give one to %(count)d reminder days, each from 1 to 365 days before the "
                    "deadline."
                )
                % {"count": REMINDER_DAYS_MAX}
            }
        )
    return cleaned


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    name: str,
    migration_deadline: datetime.date,
    confirmation_deadline: datetime.date,
    unused_after_days: int = 90,
    reminder_days: Iterable[int] = (30, 7, 1),
) -> AuditCampaign:
    """A new campaign in draft, its deadlines as data (A-03, A-04, L-13)."""
    _require_training_centre(actor)
    name = (name or "").strip()
    if not name or len(name) > CAMPAIGN_NAME_MAX_LENGTH:
        raise ValidationError(
            {
                "name": _("Give the campaign a name of at most %(limit)d characters.")
                % {"limit": CAMPAIGN_NAME_MAX_LENGTH}
            }
        )
    if migration_deadline > confirmation_deadline:
        raise ValidationError(
            {
                "migration_deadline": _(
                    "The migration deadline (L-13) cannot fall after the confirmation deadline "
                    "(A-04)."
                )
            }
        )
    campaign = AuditCampaign(
        name=name,
        migration_deadline=migration_deadline,
        confirmation_deadline=confirmation_deadline,
        unused_after_days=unused_after_days,
        reminder_days=_clean_reminder_days(reminder_days),
        created_by=actor,
    )
    campaign.full_clean(exclude=["state"])
    campaign._history_user = actor
    campaign.save()
    return campaign


def _locked(campaign: AuditCampaign) -> AuditCampaign:
    return AuditCampaign.objects.select_for_update().get(pk=campaign.pk)


def _stale(campaign: AuditCampaign) -> ValidationError:
    return ValidationError(
        _("The campaign is “%(state)s” now: someone changed it a moment ago.")
        % {"state": campaign.get_state_display()},
        code="stale_state",
    )


@transaction.atomic
def campaign_open(
    *, campaign: AuditCampaign, actor: User, at: datetime.datetime | None = None
) -> dict[int, int]:
    """Open the campaign: every business-system account (in any state) and every hired
    liaison without an account becomes an entry, sorted into its case of A-03 in SQL over
    the whole set. Returns the number of entries per case.

    One campaign is open at a time: the entries of two would ask the labs twice.
    """
    _require_training_centre(actor)
    at = at or timezone.now()
    campaign = _locked(campaign)
    if not can_proceed(campaign.open):
        raise _stale(campaign)
    if AuditCampaign.objects.filter(state=CampaignState.OPEN).exists():
        raise ValidationError(
            _("Another campaign is open: close it before opening this one."), code="one_open"
        )
    campaign.open(at=at, by=actor, description=_("Opened over every account (A-03)."))
    campaign._history_user = actor
    campaign.save()
    _insert_accounts(campaign, at=at)
    _insert_entries(_people_without_account_rows(campaign, at=at))
    return entry_counts(CampaignEntry.objects.filter(campaign=campaign))


@transaction.atomic
def campaign_close(
    *, campaign: AuditCampaign, actor: User, at: datetime.datetime | None = None
) -> AuditCampaign:
    """Close the campaign: its entries stay as they are, for the deadline job (A-04)."""
    _require_training_centre(actor)
    campaign = _locked(campaign)
    if not can_proceed(campaign.close):
        raise _stale(campaign)
    campaign.close(at=at or timezone.now(), by=actor, description=_("Closed."))
    campaign._history_user = actor
    campaign.save()
    return campaign


def entry_counts(entries: QuerySet[CampaignEntry]) -> dict[int, int]:
    """The number of ``entries`` in each case of A-03 (every case present, zero or not)."""
    counts = dict.fromkeys(Case.values, 0)
    for case, count in (
        entries.order_by().values("case").annotate(n=models.Count("id")).values_list("case", "n")
    ):
        counts[case] = count
    return counts


# --- the five cases, in SQL ----------------------------------------------------------------


def _case(*, qualified, active=None, left=None) -> models.Case:
    """The case of A-03 (see the module's docstring) from three conditions: ``qualified``,
    ``active`` (the account's right; ``None``: a person without an account) and ``left``
    (the lab's confirmation; ``None``: none yet)."""
    whens = [When(left, then=Value(Case.LEFT))] if left is not None else []
    if active is None:
        whens.append(When(qualified, then=Value(Case.MAY_APPLY)))
    else:
        whens += [
            When(qualified & active, then=Value(Case.KEEPS_WORKING)),
            When(qualified, then=Value(Case.MAY_APPLY)),
            When(active, then=Value(Case.MUST_BE_HIRED)),
        ]
    return models.Case(
        *whens, default=Value(Case.NEITHER), output_field=models.PositiveSmallIntegerField()
    )


def _counting(at: datetime.datetime) -> QuerySet:
    return counting_qualifications(now=at).order_by()


def _qualification_lab(person_ref: str, *, at: datetime.datetime) -> Subquery:
    """The lab of the person's counting qualification (a person holds at most one)."""
    return Subquery(
        _counting(at).filter(person_id=OuterRef(person_ref)).values("lab_id")[:1],
        output_field=_ID,
    )


def _unused_before(campaign: AuditCampaign, at: datetime.datetime) -> datetime.date:
    """An account last used before this day is suggested as left (the lab decides)."""
    return china_today(at) - datetime.timedelta(days=campaign.unused_after_days)


def _rows(queryset: QuerySet, **columns) -> QuerySet:
    """``queryset`` selecting exactly ``columns`` (the entry's columns, as expressions) in the
    order of ``_ENTRY_COLUMNS``."""
    if tuple(columns) != _ENTRY_COLUMNS:
        raise ValueError(f"columns {tuple(columns)} are not {_ENTRY_COLUMNS}")
    names = {column: f"entry_{column}" for column in columns}
    return (
        queryset.order_by()
        .annotate(**{names[column]: expression for column, expression in columns.items()})
        .values(*names.values())
    )


def _constants(at: datetime.datetime) -> dict:
    return {
        "confirmation": Value(Confirmation.UNCONFIRMED, output_field=models.CharField()),
        "confirmed_by_branch": Value(False, output_field=models.BooleanField()),
        "comment": Value("", output_field=models.CharField()),
        "updated_at": Value(at, output_field=models.DateTimeField()),
    }


def _insert_accounts(
    campaign: AuditCampaign, *, at: datetime.datetime, rights: QuerySet | None = None
) -> int:
    """An entry for each account of ``rights`` (all by default), its case computed: one
    statement for the accounts of qualified people and one for the others.

    "Qualified" is a condition of each statement's ``WHERE`` (``EXISTS`` and ``NOT EXISTS``),
    which PostgreSQL runs as a semi-join and an anti-join over the whole set: in the ``SELECT``
    list a correlated ``EXISTS`` is looked up once per account, and ``IN (subquery)`` is
    hashed only while the set fits in ``work_mem``, and otherwise scanned once per account
    (bench/README.md).
    """
    rights = LoginRight.objects.all() if rights is None else rights
    qualified = Exists(_counting(at).filter(person_id=OuterRef("person_id")))
    return _insert_entries(
        _account_rows(campaign, at=at, rights=rights.filter(qualified), qualified=True)
    ) + _insert_entries(
        _account_rows(campaign, at=at, rights=rights.filter(~qualified), qualified=False)
    )


def _account_rows(
    campaign: AuditCampaign, *, at: datetime.datetime, rights: QuerySet, qualified: bool
) -> QuerySet:
    """The entries of ``rights``, all of qualified people or all of others: case 1 or 2,
    3 or 5 by the right's state (the module's docstring)."""
    active = Q(state=LoginRightState.ACTIVE)
    return _rows(
        rights,
        campaign_id=Value(campaign.pk, output_field=_ID),
        right_id=F("pk"),
        person_id=F("person_id"),
        # COALESCE stops at its first value: the subquery runs only for accounts with no lab.
        lab_id=Coalesce(
            F("lab_id"),
            _qualification_lab("person_id", at=at),
            F("person__lab_id"),
            output_field=_ID,
        ),
        case=models.Case(
            When(active, then=Value(Case.KEEPS_WORKING if qualified else Case.MUST_BE_HIRED)),
            default=Value(Case.MAY_APPLY if qualified else Case.NEITHER),
            output_field=models.PositiveSmallIntegerField(),
        ),
        suggest_left=models.Case(
            When(last_login_on__lt=_unused_before(campaign, at), then=Value(True)),
            default=Value(False),
            output_field=models.BooleanField(),
        ),
        **_constants(at),
    )


def _people_without_account_rows(
    campaign: AuditCampaign, *, at: datetime.datetime, people: QuerySet | None = None
) -> QuerySet:
    """An entry for each hired liaison of ``people`` (all by default) holding no account at
    all: case 2, they may apply for a right (A-02)."""
    people = Person.objects.all() if people is None else people
    # A semi-join and an anti-join (``NOT IN`` would scan the accounts once per person once
    # they outgrow ``work_mem``).
    people = people.filter(Exists(_counting(at).filter(person_id=OuterRef("pk")))).exclude(
        Exists(LoginRight.objects.filter(person_id=OuterRef("pk")))
    )
    return _rows(
        people,
        campaign_id=Value(campaign.pk, output_field=_ID),
        right_id=Value(None, output_field=_ID),
        person_id=F("pk"),
        lab_id=Coalesce(_qualification_lab("pk", at=at), F("lab_id"), output_field=_ID),
        case=Value(Case.MAY_APPLY, output_field=models.PositiveSmallIntegerField()),
        suggest_left=Value(False, output_field=models.BooleanField()),
        **_constants(at),
    )


def _insert_entries(rows: QuerySet) -> int:
    """``INSERT INTO campaign entries (...) SELECT ...``: the rows never leave the database."""
    try:
        select, params = rows.query.sql_with_params()
    except EmptyResultSet:  # an empty set of people or accounts: nothing to insert
        return 0
    qn = connection.ops.quote_name
    columns = ", ".join(qn(column) for column in _ENTRY_COLUMNS)
    table = qn(CampaignEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)  # noqa: S608 - names from the model, values as parameters
        return cursor.rowcount


# --- keeping the case current ----------------------------------------------------------------


def campaign_entries_refresh(
    *,
    person_ids: Iterable[int] | None = None,
    right_ids: Iterable[int] | None = None,
    at: datetime.datetime | None = None,
) -> int:
    """Keep the entries of the open campaigns current as people are hired, rights granted,
    suspended or revoked and people leave (A-03): the entries of these people and accounts
    are sorted again into their case, in SQL; a new account or a newly hired liaison without
    one gets an entry (a person's entry without an account takes their first new account).
    With neither argument, every entry of the open campaigns. Returns the entries whose case
    changed; each of those gets a history record.

    Called by the receivers of ``liaisons.signals.qualifications_changed`` and
    ``access_audit.signals.rights_changed`` inside the announcing service's transaction; a
    service may call it itself.
    """
    campaigns = list(AuditCampaign.objects.filter(state=CampaignState.OPEN))
    if not campaigns:
        return 0
    at = at or timezone.now()
    everything = person_ids is None and right_ids is None
    person_ids = set(person_ids or ())
    right_ids = set(right_ids or ())
    if right_ids:
        person_ids |= set(
            LoginRight.objects.filter(pk__in=right_ids, person_id__isnull=False).values_list(
                "person_id", flat=True
            )
        )
    changed = 0
    with transaction.atomic():
        for campaign in campaigns:
            _entries_add(
                campaign, at=at, person_ids=person_ids, right_ids=right_ids, every=everything
            )
            changed += _entries_recompute(
                campaign, at=at, person_ids=person_ids, right_ids=right_ids, every=everything
            )
    return changed


def _entries_add(
    campaign: AuditCampaign, *, at, person_ids: set[int], right_ids: set[int], every: bool
) -> None:
    """Entries for the accounts and hired liaisons of the set that have none yet."""
    has_entry = CampaignEntry.objects.filter(campaign=campaign, right_id=OuterRef("pk"))
    rights = LoginRight.objects.filter(~Exists(has_entry))
    if not every:
        rights = rights.filter(Q(pk__in=right_ids) | Q(person_id__in=person_ids))
    new = list(rights.order_by("pk").values_list("pk", "person_id"))
    # A hired liaison's entry without an account takes their first new account: the lab's
    # confirmation of the person stays with it.
    waiting = {
        entry.person_id: entry
        for entry in CampaignEntry.objects.select_for_update().filter(
            campaign=campaign,
            right__isnull=True,
            person_id__in={person_id for _pk, person_id in new if person_id is not None},
        )
    }
    attached = set()
    for right_id, person_id in new:
        entry = waiting.pop(person_id, None)
        if entry is not None:
            CampaignEntry.objects.filter(pk=entry.pk).update(right_id=right_id, updated_at=at)
            attached.add(right_id)
    rest = [right_id for right_id, _person in new if right_id not in attached]
    if rest:
        _insert_accounts(campaign, at=at, rights=LoginRight.objects.filter(pk__in=rest))
    people = Person.objects.filter(
        ~Exists(CampaignEntry.objects.filter(campaign=campaign, person_id=OuterRef("pk")))
    )
    if not every:
        people = people.filter(pk__in=person_ids)
    _insert_entries(_people_without_account_rows(campaign, at=at, people=people))


def _entries_recompute(
    campaign: AuditCampaign, *, at, person_ids: set[int], right_ids: set[int], every: bool
) -> int:
    entries = CampaignEntry.objects.filter(campaign=campaign)
    if not every:
        entries = entries.filter(Q(person_id__in=person_ids) | Q(right_id__in=right_ids))
        # Locked in one order, as a confirmation locks them: the two never deadlock.
        entries = CampaignEntry.objects.filter(
            pk__in=list(entries.select_for_update().order_by("pk").values_list("pk", flat=True))
        )
    right = LoginRight.objects.filter(pk=OuterRef("right_id"))
    person_of_right = Subquery(right.values("person_id")[:1], output_field=_ID)
    qualified = Exists(_counting(at).filter(person_id=OuterRef("person_id")))
    case = _case(
        qualified=qualified,
        active=Exists(right.filter(state=LoginRightState.ACTIVE)),
        left=Q(confirmation__in=LEFT),
    )
    changed = list(
        entries.alias(new_case=case).exclude(case=F("new_case")).values_list("pk", flat=True)
    )
    lab = Coalesce(
        Subquery(right.values("lab_id")[:1], output_field=_ID),
        _qualification_lab("person_id", at=at),
        Subquery(
            Person.objects.filter(pk=OuterRef("person_id")).values("lab_id")[:1],
            output_field=_ID,
        ),
        output_field=_ID,
    )
    entries.update(
        # An account matched to a person later (an import) brings the person along.
        person_id=Coalesce(person_of_right, F("person_id"), output_field=_ID),
        case=case,
        # A confirmed entry stays with the lab that confirmed it.
        lab_id=models.Case(
            When(confirmation=Confirmation.UNCONFIRMED, then=lab),
            default=F("lab_id"),
            output_field=_ID,
        ),
        suggest_left=Exists(right.filter(last_login_on__lt=_unused_before(campaign, at))),
        updated_at=at,
    )
    if changed:
        history_bulk_create(
            [CampaignEntry(pk=pk) for pk in changed],
            model=CampaignEntry,
            user=None,
            date=at,
            update=True,
            reason=_("Case of A-03 recomputed"),
        )
    return len(changed)


def campaign_suggestions_refresh(*, at: datetime.datetime | None = None) -> int:
    """Mark, in the open campaigns, the accounts unused in the business system for longer
    than the campaign's ``unused_after_days`` as suggested left (the lab still decides); an
    account used again loses the mark. Returns the entries changed."""
    at = at or timezone.now()
    changed = 0
    for campaign in AuditCampaign.objects.filter(state=CampaignState.OPEN):
        unused = LoginRight.objects.filter(
            pk=OuterRef("right_id"), last_login_on__lt=_unused_before(campaign, at)
        )
        changed += (
            CampaignEntry.objects.filter(campaign=campaign, right__isnull=False)
            .alias(unused=Exists(unused))
            .exclude(suggest_left=F("unused"))
            .update(suggest_left=Exists(unused))
        )
    return changed


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
