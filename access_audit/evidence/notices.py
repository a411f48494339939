"""The notice to each lab whose accounts an enforcement run took away (A-04, A-06).

One mail per lab and run, to the lab's active staff users and its address, each in their
language; a lab without an active staff user is written to through its branch centre too
(as the campaign's reminders do). It names usernames and names, never an ID number (P-04),
and lists at most ``NOTICE_MAX_ACCOUNTS`` accounts, with a link to the lab's full list.

Sent once: the ``EnforcementNoticeSent`` row is claimed (unique) before the mail goes out and
dropped if sending fails, so a retried or doubled task never sends twice and a failed one is
sent by the retry (``access_audit.reminders``).
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cqcportal.mail import addresses_by_language, portal_link, send_in_their_language
from directory.constants import Role
from directory.models import TestingLab, User

from ..constants import LoginRightState
from ..models import EnforcementNoticeSent
from . import rows as run_rows
from .pack import evidence_runs

#: Accounts listed in one notice at most; the rest are on the portal's page.
NOTICE_MAX_ACCOUNTS = 200


def notices_due(*, run_id: int) -> list[int]:
    """The labs with accounts the run took away that have not had its notice yet."""
    run = evidence_runs().filter(pk=run_id).first()
    if run is None:
        return []
    sent = EnforcementNoticeSent.objects.filter(run=run).values("lab_id")
    return list(
        run_rows.run_withdrawals(run)
        .filter(right__lab__isnull=False)
        .exclude(right__lab_id__in=sent)
        .order_by("right__lab_id")
        .values_list("right__lab_id", flat=True)
        .distinct()
    )


def notice_recipients(lab: TestingLab) -> dict[str, list[str]]:
    """The lab's active staff users and its address; its branch centre's reviewers and
    address too when the lab has no active staff user."""
    staff = User.objects.filter(role=Role.LAB_STAFF, lab=lab, is_active=True)
    with_branch = not staff.exists()
    users = User.objects.filter(
        Q(role=Role.LAB_STAFF, lab=lab)
        | (Q(role=Role.BRANCH_REVIEWER, branch_id=lab.branch_id) if with_branch else Q(pk__in=[])),
        is_active=True,
    )
    return addresses_by_language(users, [lab.email, lab.branch.email if with_branch else ""])


def enforcement_notice_send(*, run_id: int, lab_id: int) -> int:
    """E-mail one lab the accounts the run took away, unless it was sent already; returns how
    many addresses were written to."""
    run = evidence_runs().select_related("campaign").filter(pk=run_id).first()
    lab = TestingLab.objects.select_related("branch").filter(pk=lab_id).first()
    if run is None or lab is None:
        return 0
    changes = run_rows.run_withdrawals(run).filter(right__lab=lab)
    total = changes.count()
    if total == 0:
        return 0
    by_language = notice_recipients(lab)
    if not any(by_language.values()):
        return 0
    try:
        with transaction.atomic():
            claim = EnforcementNoticeSent.objects.create(run=run, lab=lab, accounts=total)
    except IntegrityError:
        return 0  # sent already, or being sent by another task
    accounts = [
        {
            "username": username,
            "name": person_name or account_name or "",
            "rule": rule,
            # A lazy label: rendered in each recipient's language.
            "state": LoginRightState(state).label,
        }
        for username, person_name, account_name, rule, state in changes.order_by(
            "right__username"
        ).values_list("right__username", "right__person__name", "right__name", "rule", "state")[
            :NOTICE_MAX_ACCOUNTS
        ]
    ]
    context = {
        "run": run,
        "campaign": run.campaign,
        "lab": lab,
        "deadline": run_rows.run_deadline(run),
        "accounts": accounts,
        "total": total,
        "more": total - len(accounts),
        "link": portal_link("access_audit:run_evidence", run.pk),
    }
    try:
        sent = send_in_their_language(
            by_language=by_language,
            subject=lambda: (
                _("Business-system login rights withdrawn: %(count)d accounts of %(lab)s")
                % {"count": total, "lab": lab.name}
            ),
            template="access_audit/evidence/email_notice.txt",
            context=context,
        )
    except BaseException:
        claim.delete()
        raise
    EnforcementNoticeSent.objects.filter(pk=claim.pk).update(recipients=sent)
    return sent
