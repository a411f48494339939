"""E-mails of the liaison flow: to whoever must act next (L-07) and on coverage gaps (L-06).

They name the person and the lab, never the ID number (P-04).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from directory.constants import Role
from directory.models import CertificationField, TestingLab, User

from .models import LiaisonApplication


def _emails(users, *extra: str) -> list[str]:
    addresses = {u.email for u in users if u.email} | {e for e in extra if e}
    return sorted(addresses)


def _lab_staff(lab_id: int):
    return User.objects.filter(role=Role.LAB_STAFF, lab_id=lab_id, is_active=True)


def _branch_reviewers(branch_id: int):
    return User.objects.filter(role=Role.BRANCH_REVIEWER, branch_id=branch_id, is_active=True)


def _training_centre():
    return User.objects.filter(role=Role.TRAINING_ADMIN, is_active=True)


def application_recipients(application: LiaisonApplication, event: str) -> list[str]:
    lab = application.lab
    if event in ("submitted", "withdrawn"):
        return _emails(_branch_reviewers(lab.branch_id), lab.branch.email)
    if event == "passed":
        return _emails(_training_centre())
    if event == "returned":
        return _emails(_lab_staff(lab.pk), lab.email)
    if event in ("hired", "rejected"):
        return _emails(_lab_staff(lab.pk), lab.email, application.person.email)
    raise ValueError(event)


SUBJECTS = {
    "submitted": gettext_noop("A liaison application awaits your check"),
    "withdrawn": gettext_noop("A liaison application was withdrawn"),
    "passed": gettext_noop("A liaison application awaits your decision"),
    "returned": gettext_noop("A liaison application was returned for correction"),
    "hired": gettext_noop("A liaison officer was hired"),
    "rejected": gettext_noop("A liaison application was rejected"),
}


def send_application_notice(application: LiaisonApplication, event: str) -> int:
    recipients = application_recipients(application, event)
    if not recipients:
        return 0
    # The person's copy goes alone: on one "To:" line with the lab's, the lab would read the
    # address on the record of someone it may have applied for as a stranger (P-04, issue 9).
    own = application.person.email
    groups = [[r for r in recipients if r != own], [own] if own in recipients else []]
    link = settings.PORTAL_BASE_URL + reverse("liaisons:application_detail", args=[application.pk])
    with translation.override(settings.LANGUAGE_CODE):
        context = {"application": application, "event": event, "link": link}
        for group in filter(None, groups):
            send_mail(
                subject=_(SUBJECTS[event]),
                message=render_to_string("liaisons/email/application_notice.txt", context),
                from_email=None,
                recipient_list=group,
            )
    return len(recipients)


def send_coverage_gap_notice(lab: TestingLab, field_codes: list[str]) -> int:
    """One e-mail to the lab and its branch centre naming the fields newly uncovered (L-06)."""
    fields = CertificationField.objects.filter(code__in=field_codes).order_by("position")
    recipients = _emails(
        User.objects.filter(
            Q(role=Role.LAB_STAFF, lab_id=lab.pk)
            | Q(role=Role.BRANCH_REVIEWER, branch_id=lab.branch_id),
            is_active=True,
        ),
        lab.email,
        lab.branch.email,
    )
    if not recipients:
        return 0
    link = settings.PORTAL_BASE_URL + reverse("directory:lab_detail", args=[lab.pk])
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Coverage gap: %(lab)s") % {"lab": lab.name},
            message=render_to_string(
                "liaisons/email/coverage_gap.txt", {"lab": lab, "fields": fields, "link": link}
            ),
            from_email=None,
            recipient_list=recipients,
        )
    return len(recipients)
