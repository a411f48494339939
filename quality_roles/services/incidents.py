"""Reports of major events (Q-07): a lead who learns of one tells the director at once; the
director reports to the regulator within 24 hours of learning of it; an hourly job escalates
what is overdue, once each.

The clock runs from ``learned_at``: ``due_at`` is ``learned_at`` plus 24 hours. A report at
any moment before ``due_at`` is in time; from ``due_at`` on, the time is up (23:59:59 after
learning is in time, 24:00:00 is overdue).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqcportal.history import history_bulk_create
from directory.models import CertificationBody, User

from .. import permissions
from ..constants import (
    INCIDENT_REPORT_WITHIN,
    NAME_MAX_LENGTH,
    REFERENCE_MAX_LENGTH,
    IncidentHistoryReason,
)
from ..constants import IncidentState as S
from ..models import Certificate, CertificationProject, IncidentReport
from ..selectors import active_director
from .common import limited, lock_body, require, require_state, required_reason

#: How many incidents one run of the job escalates per statement.
ESCALATION_BATCH = 500


@dataclass(frozen=True)
class ReportClock:
    """Q-07: where an incident stands against its 24 hours, computed on the server."""

    due_at: datetime.datetime  # local time (Asia/Shanghai)
    running: bool  # not yet reported to the regulator
    overdue: bool
    left: datetime.timedelta  # zero once overdue
    late_by: datetime.timedelta  # zero while in time
    reported: bool = False  # reported to the regulator (the clock stopped at the report)

    @property
    def left_text(self) -> str:
        return _format_span(self.left)

    @property
    def late_text(self) -> str:
        return _format_span(self.late_by)


def _format_span(span: datetime.timedelta) -> str:
    minutes = int(span.total_seconds()) // 60
    hours, minutes = divmod(minutes, 60)
    return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}


def report_clock(incident: IncidentReport, *, now: datetime.datetime | None = None) -> ReportClock:
    """Q-07: the time left to report to the regulator, or by how much it is late. A reported
    incident's clock stops at the report."""
    now = now or timezone.now()
    stop = incident.reported_to_regulator_at or now
    running = incident.reported_to_regulator_at is None and incident.state == S.OPEN
    overdue = stop >= incident.due_at
    zero = datetime.timedelta(0)
    return ReportClock(
        due_at=timezone.localtime(incident.due_at),
        running=running,
        overdue=overdue,
        left=zero if overdue else incident.due_at - stop,
        late_by=stop - incident.due_at if overdue else zero,
        reported=incident.reported_to_regulator_at is not None,
    )


def _q07(message: str) -> str:
    return _("%(rule)s: %(message)s") % {"rule": "Q-07", "message": message}


def _check_links(body, project, certificate) -> None:
    if project is not None and project.body_id != body.pk:
        raise ValidationError({"project": _("Choose a project of this certification body.")})
    if certificate is not None and certificate.body_id != body.pk:
        raise ValidationError(
            {"certificate": _("Choose a certificate of this certification body.")}
        )


@transaction.atomic
def incident_report_record(
    *,
    body: CertificationBody,
    actor: User,
    kind: str,
    title: str,
    description: str = "",
    learned_at: datetime.datetime,
    project: CertificationProject | None = None,
    certificate: Certificate | None = None,
) -> IncidentReport:
    """Q-07: a lead or the director records a major event as learned of. A lead's report
    reaches the director at once (the director's page and an e-mail on commit); the 24 hours
    to report to the regulator run from ``learned_at``."""
    lead = permissions.active_lead_of(actor, body)
    director_self = permissions.active_director_of(actor, body)
    require(
        lead is not None or director_self is not None,
        _q07(_("a major event is reported by a project quality lead or the quality director.")),
    )
    body = lock_body(body.pk)
    now = timezone.now()
    if learned_at > now:
        raise ValidationError({"learned_at": _("This moment is in the future.")})
    _check_links(body, project, certificate)
    director = director_self or active_director(body)
    incident = IncidentReport(
        body=body,
        kind=kind,
        title=limited(title, field="title", limit=NAME_MAX_LENGTH),
        description=limited(description, field="description", limit=4000),
        project=project,
        certificate=certificate,
        learned_at=learned_at,
        due_at=learned_at + INCIDENT_REPORT_WITHIN,
        reported_by=actor,
        reporting_lead=lead if director_self is None else None,
        director=director,
        # Recorded in the portal, it is before the director at once.
        reached_director_at=now,
    )
    if not incident.title:
        raise ValidationError({"title": _("This field is required.")})
    incident.full_clean(exclude=["state"])
    incident._history_user = actor
    incident.save()
    if director_self is None:
        from ..tasks import send_incident_notice

        pk = incident.pk
        transaction.on_commit(lambda: send_incident_notice.delay(pk))
    return incident


def _lock(incident: IncidentReport) -> IncidentReport:
    lock_body(incident.body_id)
    return IncidentReport.objects.select_for_update(of=("self",)).get(pk=incident.pk)


@transaction.atomic
def incident_report_to_regulator(
    *,
    incident: IncidentReport,
    actor: User,
    reported_at: datetime.datetime,
    reference: str = "",
    comment: str = "",
) -> IncidentReport:
    """Q-07: the director records the report to the regulator (late or in time, the clock
    says which)."""
    require(
        permissions.can_report_incident(actor, incident),
        _q07(_("the quality director in office reports to the regulator.")),
    )
    incident = _lock(incident)
    require_state(incident, incident.report_to_regulator, _("reported"))
    if reported_at > timezone.now():
        raise ValidationError({"reported_at": _("This moment is in the future.")})
    if reported_at < incident.learned_at:
        raise ValidationError(
            {"reported_at": _("The report cannot come before the event was learned of.")}
        )
    director = permissions.active_director_of(actor, incident.body)
    incident.director = director
    incident.report_to_regulator(
        at=reported_at,
        reference=limited(reference, field="reference", limit=REFERENCE_MAX_LENGTH),
        by=actor,
        description=limited(comment),
    )
    incident._history_user = actor
    incident.save()
    return incident


@transaction.atomic
def incident_report_close(*, incident: IncidentReport, actor: User, note: str) -> IncidentReport:
    """The director closes an incident, with a note (what was done)."""
    require(
        permissions.can_report_incident(actor, incident),
        _q07(_("the quality director in office closes an incident.")),
    )
    incident = _lock(incident)
    require_state(incident, incident.close, _("closed"))
    note = required_reason(note, field="note")
    incident.close(at=timezone.now(), note=note, by=actor, description=note)
    incident._history_user = actor
    incident.save()
    return incident


def incidents_escalate_overdue(*, now: datetime.datetime | None = None) -> int:
    """Q-07: mark every incident not reported to the regulator within 24 hours as escalated,
    once; record it in its history and e-mail the director and the body's administrators
    (on commit). Returns how many it escalated; run again, it escalates nothing more."""
    now = now or timezone.now()
    escalated = 0
    while True:
        with transaction.atomic():
            pks = list(
                IncidentReport.objects.select_for_update(skip_locked=True)
                .filter(state=S.OPEN, escalated_at__isnull=True, due_at__lte=now)
                .order_by("pk")
                .values_list("pk", flat=True)[:ESCALATION_BATCH]
            )
            if not pks:
                return escalated
            IncidentReport.objects.filter(pk__in=pks, escalated_at__isnull=True).update(
                escalated_at=now
            )
            history_bulk_create(
                list(IncidentReport.objects.filter(pk__in=pks)),
                model=IncidentReport,
                user=None,
                date=now,
                update=True,
                # The code, read in each reader's language: a sentence would be stored in the
                # job's language (Chinese) and shown as such on the English page (issue 13).
                reason=IncidentHistoryReason.ESCALATED.value,
            )
            from ..tasks import send_incident_escalation_notice

            for pk in pks:
                transaction.on_commit(lambda pk=pk: send_incident_escalation_notice.delay(pk))
            escalated += len(pks)
