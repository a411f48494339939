"""The campaign's reminders (A-04): each lab that still has people to confirm in an open
campaign is written to on exactly the campaign's reminder days before the confirmation
deadline (30, 7 and 1 by default, China dates), and no other lab; the last reminder also goes
to the lab's branch centre. A lab with no active staff user is confirmed for by its branch
centre, so its branch centre gets each of its reminders.

A reminder is sent once: its ``CampaignReminderSent`` row is claimed (unique) before the
mail goes out and dropped if sending fails, so a retried or doubled task never sends it
twice, and a failed one is sent by the retry (as ``liaisons.notifications`` does).
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cqcportal.mail import addresses_by_language, portal_link, send_in_their_language
from directory.constants import Role
from directory.models import TestingLab, User

from .constants import CampaignState, Confirmation
from .models import AuditCampaign, CampaignEntry, CampaignReminderSent


def reminders_due(*, today: datetime.date) -> list[tuple[int, int, int]]:
    """``(campaign id, lab id, days before)`` of every reminder due on ``today`` (a China
    date): the labs with unconfirmed entries in an open campaign whose confirmation deadline
    is one of its reminder days away, not reminded of it yet."""
    due = []
    for campaign in AuditCampaign.objects.filter(state=CampaignState.OPEN):
        days_before = (campaign.confirmation_deadline - today).days
        if days_before not in campaign.reminder_days:
            continue
        sent = CampaignReminderSent.objects.filter(
            campaign=campaign, days_before=days_before
        ).values("lab_id")
        labs = (
            CampaignEntry.objects.filter(
                campaign=campaign, confirmation=Confirmation.UNCONFIRMED, lab__isnull=False
            )
            .exclude(lab_id__in=sent)
            .order_by("lab_id")
            .values_list("lab_id", flat=True)
            .distinct()
        )
        due += [(campaign.pk, lab_id, days_before) for lab_id in labs]
    return due


def reminder_send(*, campaign_id: int, lab_id: int, days_before: int) -> int:
    """Send one lab its reminder of ``days_before`` days, unless it was sent already or the
    lab has confirmed everyone since; returns how many addresses were written to."""
    campaign = AuditCampaign.objects.filter(pk=campaign_id, state=CampaignState.OPEN).first()
    lab = TestingLab.objects.select_related("branch").filter(pk=lab_id).first()
    if campaign is None or lab is None or days_before not in campaign.reminder_days:
        return 0
    open_count = CampaignEntry.objects.filter(
        campaign=campaign, lab=lab, confirmation=Confirmation.UNCONFIRMED
    ).count()
    if open_count == 0:
        return 0
    by_language = reminder_recipients(campaign=campaign, lab=lab, days_before=days_before)
    if not any(by_language.values()):
        return 0
    try:
        with transaction.atomic():
            claim = CampaignReminderSent.objects.create(
                campaign=campaign, lab=lab, days_before=days_before
            )
    except IntegrityError:
        return 0  # sent already, or being sent by another run
    context = {
        "campaign": campaign,
        "lab": lab,
        "open_count": open_count,
        "days_before": days_before,
        "deadline": campaign.confirmation_deadline,
        "link": portal_link("access_audit:campaign_confirm", campaign.pk),
    }
    try:
        return send_in_their_language(
            by_language=by_language,
            subject=lambda: (
                _("Check campaign: %(count)d people of %(lab)s to confirm, %(days)d days left")
                % {"count": open_count, "lab": lab.name, "days": days_before}
            ),
            template="access_audit/email/campaign_reminder.txt",
            context=context,
        )
    except BaseException:
        claim.delete()
        raise


def reminder_recipients(
    *, campaign: AuditCampaign, lab: TestingLab, days_before: int
) -> dict[str, list[str]]:
    """The lab (its active staff users and its address), each in their language; the last
    reminder, or any reminder of a lab without an active staff user, also its branch centre
    (its active reviewers and its address)."""
    staff = User.objects.filter(role=Role.LAB_STAFF, lab=lab, is_active=True)
    with_branch = days_before == min(campaign.reminder_days) or not staff.exists()
    users = User.objects.filter(
        Q(role=Role.LAB_STAFF, lab=lab)
        | (Q(role=Role.BRANCH_REVIEWER, branch_id=lab.branch_id) if with_branch else Q(pk__in=[])),
        is_active=True,
    )
    addresses = [lab.email, lab.branch.email if with_branch else ""]
    return addresses_by_language(users, addresses)
