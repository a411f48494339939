"""What the director may do without further management approval (Q-08): spot-check a
project and read its files, order rectification, pause a project, suspend a certificate's use
or the body's certification activities. Each takes effect at once, with a reason; none waits
for anyone's approval. Only the body's active director may use them.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import CertificationBody, User

from .. import permissions
from ..constants import TEXT_MAX_LENGTH, MeasureKind, RectificationSource
from ..models import (
    BodyStaff,
    Certificate,
    CertificationProject,
    DirectorMeasure,
    RectificationOrder,
    SpotCheck,
)
from .common import (
    limited,
    lock_body,
    not_in_future,
    require,
    require_state,
    required_reason,
    today,
)


def _q08(message: str) -> str:
    return _("%(rule)s: %(message)s") % {"rule": "Q-08", "message": message}


def _director(actor: User, body: CertificationBody):
    """The actor's active director appointment in the body, or refused naming Q-08."""
    director = permissions.active_director_of(actor, body)
    require(
        director is not None,
        _q08(_("only the certification body's quality director in office may do this.")),
    )
    return director


def _text(text: str, field: str, *, required: bool = False) -> str:
    text = limited(text, field=field, limit=TEXT_MAX_LENGTH)
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    return text


def _of_body(obj, body, field: str):
    if obj is not None and obj.body_id != body.pk:
        raise ValidationError({field: _("Choose one of this certification body's records.")})
    return obj


# --- spot checks and rectification orders -------------------------------------------------


@transaction.atomic
def spot_check_record(
    *,
    body: CertificationBody,
    actor: User,
    project: CertificationProject,
    checked_on: datetime.date,
    files_read: str = "",
    findings: str,
    issues_found: bool = False,
) -> SpotCheck:
    """Q-08: the director's spot check of a project and its files, with the findings."""
    director = _director(actor, body)
    body = lock_body(body.pk)
    _of_body(project, body, "project")
    not_in_future(checked_on, field="checked_on")
    check = SpotCheck(
        body=body,
        director=director,
        project=project,
        checked_on=checked_on,
        files_read=_text(files_read, "files_read"),
        findings=_text(findings, "findings", required=True),
        issues_found=issues_found,
        created_by=actor,
    )
    check._history_user = actor
    check.save()
    return check


@transaction.atomic
def rectification_order_issue(
    *,
    spot_check: SpotCheck,
    actor: User,
    problem: str,
    actions: str,
    owner: BodyStaff,
    deadline: datetime.date,
) -> RectificationOrder:
    """Q-08: the director orders rectification after a spot check: the problem, the actions,
    who owns them and by when. It takes effect at once."""
    director = _director(actor, spot_check.body)
    body = lock_body(spot_check.body_id)
    _of_body(owner, body, "owner")
    if owner.left_on is not None:
        raise ValidationError({"owner": _("This person has left the body.")})
    if deadline < today():
        raise ValidationError({"deadline": _("The deadline is in the past.")})
    order = RectificationOrder(
        body=body,
        source=RectificationSource.SPOT_CHECK,
        spot_check=spot_check,
        issued_by_director=director,
        project=spot_check.project,
        problem=_text(problem, "problem", required=True),
        actions=_text(actions, "actions", required=True),
        owner=owner,
        deadline=deadline,
        created_by=actor,
    )
    order._history_user = actor
    order.save()
    return order


def _lock_order(order: RectificationOrder) -> RectificationOrder:
    lock_body(order.body_id)
    return (
        RectificationOrder.objects.select_for_update(of=("self",))
        .select_related("owner__person", "body")
        .get(pk=order.pk)
    )


@transaction.atomic
def rectification_order_report_done(
    *, order: RectificationOrder, actor: User, report: str
) -> RectificationOrder:
    """Q-08: the owner (or the director) reports the actions taken; the effectiveness is
    checked next."""
    order = _lock_order(order)
    require(
        permissions.can_report_rectification_done(actor, order),
        _q08(_("the order's owner or the quality director reports its actions done.")),
    )
    require_state(order, order.report_done, _("reported done"))
    report = _text(report, "report", required=True)
    order.report_done(at=timezone.now(), report=report, by=actor, description=report[:500])
    order._history_user = actor
    order.save()
    return order


@transaction.atomic
def rectification_order_check(
    *, order: RectificationOrder, actor: User, effective: bool, check: str
) -> RectificationOrder:
    """Q-08: the director checks whether the actions worked: effective closes the order,
    not effective sends it back open to its owner."""
    _director(actor, order.body)
    order = _lock_order(order)
    if order.source != RectificationSource.SPOT_CHECK:
        raise ValidationError(
            _q08(_("the regulator checks the rectification of a failed assessment (Q-13)."))
        )
    transition = order.close_effective if effective else order.reopen_ineffective
    require_state(order, transition, _("checked"))
    check = _text(check, "check", required=True)
    transition(at=timezone.now(), by=actor, check=check, description=check[:500])
    order._history_user = actor
    order.save()
    return order


# --- measures: pause a project, suspend a certificate or the body's activities -------------


@transaction.atomic
def director_measure_take(
    *,
    body: CertificationBody,
    actor: User,
    kind: str,
    reason: str,
    project: CertificationProject | None = None,
    certificate: Certificate | None = None,
    scope: str = "",
) -> DirectorMeasure:
    """Q-08: the director pauses a project, suspends a certificate's use or suspends the
    body's certification activities, with a reason; in force at once, no approval asked."""
    director = _director(actor, body)
    body = lock_body(body.pk)
    reason = required_reason(reason)
    now = timezone.now()
    measure = DirectorMeasure(
        body=body, director=director, kind=kind, reason=reason, taken_at=now, taken_by=actor
    )
    if kind == MeasureKind.PAUSE_PROJECT:
        if project is None:
            raise ValidationError({"project": _("Choose the project to pause.")})
        project = CertificationProject.objects.select_for_update().get(pk=project.pk)
        _of_body(project, body, "project")
        require_state(project, project.pause, _("paused"))
        project.pause(at=now, by=actor, description=reason)
        project._history_user = actor
        project.save()
        measure.project = project
    elif kind == MeasureKind.SUSPEND_CERTIFICATE:
        if certificate is None:
            raise ValidationError({"certificate": _("Choose the certificate to suspend.")})
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        _of_body(certificate, body, "certificate")
        require_state(certificate, certificate.suspend, _("suspended"))
        certificate.suspend(at=now, reason=reason, by=actor, description=reason)
        certificate._history_user = actor
        certificate.save()
        measure.certificate = certificate
    elif kind == MeasureKind.SUSPEND_ACTIVITIES:
        measure.scope = _text(scope, "scope", required=True)
    else:
        raise ValidationError({"kind": _("Choose what to do.")})
    measure._history_user = actor
    measure.save()
    return measure


@transaction.atomic
def director_measure_lift(*, measure: DirectorMeasure, actor: User, reason: str) -> DirectorMeasure:
    """Q-08: the director lifts a measure: the project resumes, the certificate is valid
    again, the activities go on."""
    _director(actor, measure.body)
    lock_body(measure.body_id)
    measure = DirectorMeasure.objects.select_for_update(of=("self",)).get(pk=measure.pk)
    require_state(measure, measure.lift, _("lifted"))
    reason = required_reason(reason)
    now = timezone.now()
    if measure.project_id:
        project = CertificationProject.objects.select_for_update().get(pk=measure.project_id)
        if project.state == "paused":
            project.resume(by=actor, description=reason)
            project._history_user = actor
            project.save()
    if measure.certificate_id:
        certificate = Certificate.objects.select_for_update().get(pk=measure.certificate_id)
        if certificate.state == "suspended":
            certificate.reinstate(at=now, reason=reason, by=actor, description=reason)
            certificate._history_user = actor
            certificate.save()
    measure.lift(at=now, by=actor, reason=reason, description=reason)
    measure._history_user = actor
    measure.save()
    return measure
