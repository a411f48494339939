"""E-mails of the liaison flow: to whoever must act next (L-07, P-03) and on coverage gaps (L-06).

They name the person and the lab, never the ID number (P-04). Each recipient reads them in
their own language, Chinese unless they chose otherwise (issue 10).
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cqcportal.mail import addresses_by_language, portal_link, send_in_their_language
from directory.constants import Role
from directory.models import CertificationField, TestingLab, User

from .models import ChangeRequest, LiaisonApplication, LiaisonQualification, NoticeSent


def _lab_staff(lab_id: int):
    return User.objects.filter(role=Role.LAB_STAFF, lab_id=lab_id, is_active=True)


def _branch_reviewers(branch_id: int):
    return User.objects.filter(role=Role.BRANCH_REVIEWER, branch_id=branch_id, is_active=True)


def _training_centre():
    return User.objects.filter(role=Role.TRAINING_ADMIN, is_active=True)


def application_recipients_by_language(
    application: LiaisonApplication, event: str
) -> dict[str, list[str]]:
    """Whoever acts next, grouped by the language each is written to in (issue 10)."""
    lab = application.lab
    if event in ("submitted", "withdrawn"):
        return addresses_by_language(_branch_reviewers(lab.branch_id), [lab.branch.email])
    if event == "passed":
        return addresses_by_language(_training_centre())
    if event == "returned":
        return addresses_by_language(_lab_staff(lab.pk), [lab.email])
    if event in ("hired", "rejected"):
        # The person is written to apart (send_application_notice).
        return addresses_by_language(_lab_staff(lab.pk), [lab.email])
    raise ValueError(event)


SUBJECTS = {
    "submitted": gettext_noop("A liaison application awaits your check"),
    "withdrawn": gettext_noop("A liaison application was withdrawn"),
    "passed": gettext_noop("A liaison application awaits your decision"),
    "returned": gettext_noop("A liaison application was returned for correction"),
    "hired": gettext_noop("A liaison officer was hired"),
    "rejected": gettext_noop("A liaison application was rejected"),
}


def application_notice_parts(
    application: LiaisonApplication, event: str
) -> list[tuple[str, dict[str, list[str]]]]:
    """The messages of one notice, each named: the person's own copy of a decision, which
    goes alone, then one message per language of the others."""
    by_language = application_recipients_by_language(application, event)
    parts = []
    if event in ("hired", "rejected"):
        # The person's copy goes alone: on one "To:" line with the lab's, the lab would read
        # the address on the record of someone it may have applied for as a stranger (P-04,
        # issue 9).
        own = application.person.email
        by_language = {
            language: [address for address in addresses if address != own]
            for language, addresses in by_language.items()
        }
        parts.append(("person", addresses_by_language(persons=[application.person])))
    parts += [
        (f"lang:{language}", {language: addresses})
        for language, addresses in sorted(by_language.items())
        if addresses
    ]
    return parts


def send_application_notice(
    application: LiaisonApplication, event: str, *, occurrence: int = 0
) -> int:
    """Send the notice's messages not sent yet for this occurrence of the event; returns
    how many addresses were written to now.

    Each message is claimed (a ``NoticeSent`` row, unique) before it goes out and the claim
    dropped if sending fails, so a retried or doubled task never sends it twice, and a
    failed one is sent by the retry (issue 11).
    """
    link = portal_link("liaisons:application_detail", application.pk)
    context = {"application": application, "event": event, "link": link}
    key = {"application": application, "event": event, "occurrence": occurrence}
    sent = 0
    for part, by_language in application_notice_parts(application, event):
        if not any(by_language.values()):
            continue
        try:
            with transaction.atomic():
                claim = NoticeSent.objects.create(part=part, **key)
        except IntegrityError:
            continue  # sent already, or being sent by another run
        try:
            sent += send_in_their_language(
                by_language=by_language,
                subject=lambda: _(SUBJECTS[event]),
                template="liaisons/email/application_notice.txt",
                context=context,
            )
        except BaseException:
            claim.delete()
            raise
    return sent


def send_coverage_gap_notice(lab: TestingLab, field_codes: list[str]) -> int:
    """One e-mail to the lab and its branch centre naming the fields newly uncovered (L-06)."""
    fields = CertificationField.objects.filter(code__in=field_codes).order_by("position")
    by_language = addresses_by_language(
        User.objects.filter(
            Q(role=Role.LAB_STAFF, lab_id=lab.pk)
            | Q(role=Role.BRANCH_REVIEWER, branch_id=lab.branch_id),
            is_active=True,
        ),
        [lab.email, lab.branch.email],
    )
    return send_in_their_language(
        by_language=by_language,
        subject=lambda: _("Coverage gap: %(lab)s") % {"lab": lab.name},
        template="liaisons/email/coverage_gap.txt",
        context={"lab": lab, "fields": fields, "link": portal_link("directory:lab_detail", lab.pk)},
    )


def send_transfer_notice(ended: LiaisonQualification, hired: LiaisonQualification) -> int:
    """Tell the lab (its staff and its address) that its liaison was hired by another lab and
    their qualification at this lab ended (L-12): the lab did not confirm the departure, so it
    must hear of it, and of the coverage it may have lost (L-06)."""
    lab = ended.lab
    context = {
        "person": ended.person.name,
        "lab": lab.name,
        "new_lab": hired.lab.name,
        "hired_on": hired.hired_on,
        "reason": ended.state_reason,
        "qualification_link": portal_link("liaisons:qualification_detail", ended.pk),
        "lab_link": portal_link("directory:lab_detail", lab.pk),
    }
    return send_in_their_language(
        by_language=addresses_by_language(_lab_staff(lab.pk), [lab.email]),
        subject=lambda: (
            _("Your liaison officer %(person)s was hired by %(lab)s")
            % {"person": context["person"], "lab": context["new_lab"]}
        ),
        template="liaisons/email/transfer_notice.txt",
        context=context,
    )


CHANGE_REQUEST_SUBJECTS = {
    "submitted": gettext_noop("A personal-data change request awaits your check"),
    "forwarded": gettext_noop("A personal-data change request awaits your approval"),
    "approved": gettext_noop("A personal-data change request was approved"),
    "rejected": gettext_noop("A personal-data change request was rejected"),
}


def change_request_recipients_by_language(
    change_request: ChangeRequest, event: str
) -> dict[str, list[str]]:
    """Whoever acts next on a personal-data change request (P-03): the branch centre, then the
    training centre; the requester and the person learn the decision. Grouped by the language
    each is written to in (issue 10)."""
    if event == "submitted":
        return addresses_by_language(
            _branch_reviewers(change_request.branch_id), [change_request.branch.email]
        )
    if event == "forwarded":
        return addresses_by_language(_training_centre())
    if event in ("approved", "rejected"):
        users = User.objects.filter(pk=change_request.requested_by_id, is_active=True)
        return addresses_by_language(users, persons=[change_request.person])
    raise ValueError(event)


def send_change_request_notice(change_request: ChangeRequest, event: str) -> int:
    """One e-mail naming the person, the kind of data and the new state; never the ID number
    (P-04)."""
    return send_in_their_language(
        by_language=change_request_recipients_by_language(change_request, event),
        subject=lambda: _(CHANGE_REQUEST_SUBJECTS[event]),
        template="liaisons/changes/email_notice.txt",
        context={
            "change_request": change_request,
            "event": event,
            "link": portal_link("liaisons:change_request_detail", change_request.pk),
        },
    )
