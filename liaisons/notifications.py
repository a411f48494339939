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

from .models import LiaisonApplication, LiaisonQualification


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
    link = settings.PORTAL_BASE_URL + reverse("liaisons:application_detail", args=[application.pk])
    with translation.override(settings.LANGUAGE_CODE):
        context = {"application": application, "event": event, "link": link}
        send_mail(
            subject=_(SUBJECTS[event]),
            message=render_to_string("liaisons/email/application_notice.txt", context),
            from_email=None,
            recipient_list=recipients,
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


def send_transfer_notice(ended: LiaisonQualification, hired: LiaisonQualification) -> int:
    """Tell the lab (its staff and its address) that its liaison was hired by another lab and
    their qualification at this lab ended (L-12): the lab did not confirm the departure, so it
    must hear of it, and of the coverage it may have lost (L-06)."""
    lab = ended.lab
    recipients = _emails(_lab_staff(lab.pk), lab.email)
    if not recipients:
        return 0
    context = {
        "person": ended.person.name,
        "lab": lab.name,
        "new_lab": hired.lab.name,
        "hired_on": hired.hired_on,
        "reason": ended.state_reason,
        "qualification_link": settings.PORTAL_BASE_URL
        + reverse("liaisons:qualification_detail", args=[ended.pk]),
        "lab_link": settings.PORTAL_BASE_URL + reverse("directory:lab_detail", args=[lab.pk]),
    }
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Your liaison officer %(person)s was hired by %(lab)s")
            % {"person": context["person"], "lab": context["new_lab"]},
            message=render_to_string("liaisons/email/transfer_notice.txt", context),
            from_email=None,
            recipient_list=recipients,
        )
    return len(recipients)
