"""E-mails of the incidents (Q-07), each to its recipients in their own language, sent once:
the incident row is locked and stamped when its e-mail has gone, so a retried task or a
second delivery sends nothing twice. The stamp is saved through the model, with a history
record whose reason is a code the timeline shows in the reader's language."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqcportal.mail import addresses_by_language, portal_link, send_in_their_language
from directory.constants import Role
from directory.models import User

from .constants import IncidentHistoryReason
from .models import IncidentReport


def _recipients(
    incident: IncidentReport, *, with_admins: bool
) -> tuple[dict[str, list[str]], bool]:
    """The addresses by language, and whether a director in office is among them."""
    persons, users = [], []
    director = incident.director
    if director is None or director.state != "active":
        from .selectors import active_director

        director = active_director(incident.body)
    if director is not None:
        person = director.staff.person
        if person.user_id:
            users.append(person.user)
        else:
            persons.append(person)
    if with_admins or director is None:
        # Nobody in office to tell: the body's administrators are told instead.
        users.extend(User.objects.filter(role=Role.BODY_ADMIN, body=incident.body, is_active=True))
    return addresses_by_language(users=users, persons=persons), director is not None


def incident_notice_send(incident_id: int, *, escalation: bool) -> int:
    """Send the incident's notice (the lead's report, or the escalation) unless sent already;
    returns how many addresses it went to."""
    stamp = "escalation_notified_at" if escalation else "director_notified_at"
    with transaction.atomic():
        incident = (
            IncidentReport.objects.select_for_update(of=("self",))
            .select_related("body", "director__staff__person__user")
            .filter(pk=incident_id)
            .first()
        )
        if incident is None or getattr(incident, stamp) is not None:
            return 0
        if escalation and incident.escalated_at is None:
            return 0
        context = {
            "incident": incident,
            "escalation": escalation,
            "url": portal_link("quality_roles:incident_detail", incident.pk),
        }

        def subject() -> str:
            if escalation:
                return _("Q-07 overdue: %(title)s not reported to the regulator within 24 h") % {
                    "title": incident.title
                }
            return _("Q-07: a major event reported to you: %(title)s") % {"title": incident.title}

        by_language, director_told = _recipients(incident, with_admins=escalation)
        sent = send_in_their_language(
            by_language=by_language,
            subject=subject,
            template="quality_roles/email/incident_notice.txt",
            context=context,
        )
        # Stamped through the model, so the history holds the moment and the timeline shows
        # "notified" when it happened, not at the incident's next change (issue 13).
        now = timezone.now()
        setattr(incident, stamp, now)
        incident._change_reason = _notice_reason(
            escalation=escalation, sent=sent, director_told=director_told
        ).value
        incident._history_user = None  # the system, whatever request runs the task
        incident._history_date = now
        incident.save(update_fields=[stamp])
    return sent


def _notice_reason(*, escalation: bool, sent: int, director_told: bool) -> IncidentHistoryReason:
    if not sent:
        return IncidentHistoryReason.NOBODY_NOTIFIED
    if escalation:
        return IncidentHistoryReason.ESCALATION_NOTIFIED
    if director_told:
        return IncidentHistoryReason.DIRECTOR_NOTIFIED
    return IncidentHistoryReason.ADMINS_NOTIFIED
