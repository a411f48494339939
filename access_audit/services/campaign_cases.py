"""The five cases of the check campaign (A-03), in SQL: the entries a campaign opens with, and
their cases kept current as people are hired, rights change and labs confirm.

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

from django.core.exceptions import EmptyResultSet
from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cqcportal.history import history_bulk_create
from directory.models import Person
from liaisons.selectors import counting_qualifications

from ..constants import LEFT, CampaignState, Case, Confirmation, LoginRightState, china_today
from ..models import AuditCampaign, CampaignEntry, LoginRight

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


def campaign_entries_insert(campaign: AuditCampaign, *, at: datetime.datetime) -> None:
    """Every account, then every hired liaison without one, into an entry of the campaign
    being opened, each sorted into its case (A-03): two ``INSERT ... SELECT``."""
    _insert_accounts(campaign, at=at)
    _insert_entries(_people_without_account_rows(campaign, at=at))
