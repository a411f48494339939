"""The rights an enforcement run took away, as rows: the one definition the revocation list,
the evidence pack's report and spreadsheets and the labs' notices all read (A-04, A-06).

A run's withdrawals are its feed rows (``RightChange`` with ``run``) in a withdrawn state:
revoked at the confirmation deadline (A-04), suspended at the migration deadline (L-13, A-01).
The case of each account is the one it stood in when the run took the right (A-03): whether
its person held a qualification that counts at the deadline's end, and whether the right was
active before (the account's previous feed row; none means active since it was imported).
The case the campaign shows now is no guide: once the right is gone it is case 2 or 5.
"""

import datetime
from collections.abc import Iterator

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.idnumbers import mask_id_number
from liaisons.constants import deadline_end
from liaisons.models import LiaisonQualification

from ..constants import LEFT, Case, Confirmation, LoginRightState, RunKind
from ..models import CampaignEntry, EnforcementRun, RightChange

#: The states a run leaves a right in.
WITHDRAWN = (LoginRightState.REVOKED, LoginRightState.SUSPENDED)

#: The columns of a row, read with one ``values_list`` query a chunk at a time.
COLUMNS = (
    "right__username",
    "right__id_number",
    "right__person__name",
    "right__name",
    "right__lab__name",
    "right__lab__branch__name",
    "case",
    "confirmation",
    "rule",
    "right__revoke_reason",
    "state",
    "right__revoked_at",
    "right__suspended_at",
    "right__state",
)


def run_deadline(run: EnforcementRun) -> datetime.date:
    """The date of the run's deadline (L-13 or A-04)."""
    campaign = run.campaign
    if run.kind == RunKind.MIGRATION:
        return campaign.migration_deadline
    return campaign.confirmation_deadline


def run_deadline_end(run: EnforcementRun) -> datetime.datetime:
    """The instant the run's deadline passed: 24:00 China time on its date (A-05)."""
    return deadline_end(run_deadline(run))


def _case_at_run(run: EnforcementRun) -> tuple[models.Case, Subquery]:
    """The case each account stood in when the run took its right, and the state its
    previous feed row recorded (``earlier_state``, which the case reads)."""
    earlier = RightChange.objects.filter(right_id=OuterRef("right_id"), id__lt=OuterRef("id"))
    was_active = Q(earlier_state=LoginRightState.ACTIVE) | Q(earlier_state__isnull=True)
    counting = LiaisonQualification.objects.counting(at=run_deadline_end(run)).order_by()
    qualified = Exists(counting.filter(person_id=OuterRef("right__person_id")))
    return models.Case(
        When(confirmation__in=sorted(LEFT), then=Value(Case.LEFT)),
        When(qualified & was_active, then=Value(Case.KEEPS_WORKING)),
        When(qualified, then=Value(Case.MAY_APPLY)),
        When(was_active, then=Value(Case.MUST_BE_HIRED)),
        default=Value(Case.NEITHER),
        output_field=models.PositiveSmallIntegerField(),
    ), Subquery(earlier.order_by("-id").values("state")[:1])


def run_withdrawals(run: EnforcementRun) -> QuerySet[RightChange]:
    """Every right the run took away (one feed row each), with ``case`` and the lab's
    ``confirmation`` of the account in the run's campaign annotated."""
    case, earlier_state = _case_at_run(run)
    entry = CampaignEntry.objects.filter(campaign_id=run.campaign_id, right_id=OuterRef("right_id"))
    return (
        RightChange.objects.filter(run=run, state__in=WITHDRAWN)
        .annotate(
            earlier_state=earlier_state,
            confirmation=Subquery(entry.values("confirmation")[:1]),
        )
        .annotate(case=case)
    )


def headers() -> list[str]:
    """The columns of the revocation list, in the active language."""
    return [
        _("Business-system username"),
        _("ID number"),
        _("Full name"),
        _("Testing lab"),
        _("Branch centre"),
        _("Case"),
        _("Confirmation"),
        _("Rule"),
        _("Reason"),
        _("Withdrawn as"),
        _("Revoked at"),
        _("State now"),
    ]


def rows(changes: QuerySet[RightChange], *, chunk: int = 2000) -> Iterator[list]:
    """The revocation list's rows of ``changes`` (from :func:`run_withdrawals`, maybe cut to a
    user's scope), ordered by change, read ``chunk`` at a time by key (a hundred thousand
    never sit in memory): labels instead of codes, the ID number masked (P-04)."""
    cases = dict(Case.choices)
    confirmations = dict(Confirmation.choices)
    states = dict(LoginRightState.choices)
    last = 0
    while True:
        batch = list(changes.filter(pk__gt=last).order_by("pk").values_list("pk", *COLUMNS)[:chunk])
        if not batch:
            return
        last = batch[-1][0]
        for row in batch:
            (_pk, username, id_number, person_name, account_name, lab, branch, case,
             confirmation, rule, reason, state, revoked_at, suspended_at,
             state_now) = row  # fmt: skip
            at = revoked_at if state == LoginRightState.REVOKED else suspended_at
            yield [
                username,
                mask_id_number(id_number) if id_number else "",
                person_name or account_name or "",
                lab or "",
                branch or "",
                str(cases.get(case, "")),
                str(confirmations.get(confirmation or "", "")) if confirmation is not None else "",
                rule,
                # A right granted again since no longer holds the run's reason.
                reason if state_now == state else "",
                str(states[state]),
                timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else "",
                str(states.get(state_now, "")),
            ]


def grouped(changes: QuerySet[RightChange], *fields: str, limit: int | None = None) -> list:
    """``(values of fields..., count)`` of ``changes`` grouped by ``fields``, largest first."""
    result = (
        changes.order_by()
        .values(*fields)
        .annotate(n=Count("id"))
        .order_by("-n", *fields)
        .values_list(*fields, "n")
    )
    return list(result[:limit] if limit else result)


def run_counts(changes: QuerySet[RightChange], *, lab_limit: int | None = None) -> dict:
    """What the report counts: in all, per case, per branch centre, per lab, per rule and
    reason; ``lab_limit`` cuts the labs to the largest ones (``labs_total`` says how many)."""
    cases = dict(Case.choices)
    per_case = dict(grouped(changes, "case"))
    return {
        "total": changes.count(),
        "per_case": [(value, str(cases[value]), per_case.get(value, 0)) for value in Case.values],
        "per_branch": grouped(changes, "right__lab__branch__name"),
        "per_lab": grouped(
            changes, "right__lab__name", "right__lab__branch__name", limit=lab_limit
        ),
        "labs_total": changes.order_by().values("right__lab_id").distinct().count(),
        "per_reason": grouped(changes, "rule", "right__revoke_reason", limit=50),
    }
