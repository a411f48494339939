"""Certificates and the lead who answers for each (Q-05).

The body's quality director in office or its administrator assigns a certificate's
responsible project quality lead: a lead in office at the same body who answers for the
certificate's project or category (``quality_roles.scopes``), or none (the certificate then
shows up as uncovered). Ending a lead's appointment hands the lead's certificates over
to a successor in the same transaction (``certificates_hand_over``, called by
``appointments.lead_appointment_end``), or leaves them uncovered only when the actor says so.
Nothing is deleted: a certificate leaves the lists by its state.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqcportal.history import history_bulk_create
from directory.models import User

from .. import coverage, permissions, scopes
from ..constants import LeadAppointmentState
from ..models import Certificate, LeadAppointment
from ..rules import rule_problem
from .common import limited, lock_body, require


def lock_active_lead(lead_id: int | None, *, body_id: int, field: str) -> LeadAppointment:
    """The lead appointment ``lead_id``, locked, when it is in office at body ``body_id``;
    else a refusal naming Q-05 on ``field``."""
    lead = (
        LeadAppointment.objects.select_for_update(of=("self",))
        .select_related("staff__person")
        .filter(pk=lead_id)
        .first()
        if lead_id is not None
        else None
    )
    if lead is None or lead.body_id != body_id or lead.state != LeadAppointmentState.ACTIVE:
        raise ValidationError(
            {
                field: rule_problem(
                    "Q-05",
                    _(
                        "the responsible lead must be a project quality lead in office at "
                        "this certification body."
                    ),
                )
            }
        )
    return lead


@transaction.atomic
def certificate_assign_lead(
    *,
    certificate: Certificate,
    lead: LeadAppointment | None,
    actor: User,
    comment: str = "",
) -> Certificate:
    """Q-05: the director in office or the body's administrator names the lead in office who
    answers for the certificate's project or category (``scopes``); ``None`` leaves it
    without one, shown as uncovered."""
    lock_body(certificate.body_id)
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("body", "project", "category")
        .get(pk=certificate.pk)
    )
    require(
        permissions.can_manage_certificates(actor, certificate.body),
        _("The quality director or the body's administrator assigns a certificate's lead (Q-05)."),
    )
    comment = limited(comment)
    if lead is not None:
        lead = lock_active_lead(lead.pk, body_id=certificate.body_id, field="lead")
    if certificate.responsible_lead_id == (lead.pk if lead else None):
        return certificate
    if lead is not None:
        scopes.require_answers_for(lead, certificate, field="lead")
    certificate.responsible_lead = lead
    certificate._history_user = actor
    certificate._change_reason = comment
    certificate.save(update_fields=["responsible_lead"])
    return certificate


def certificates_hand_over(
    *,
    appointment: LeadAppointment,
    successor: LeadAppointment | None,
    leave_uncovered: bool,
    actor: User,
) -> int:
    """Q-05, inside the end of ``appointment`` (the caller holds the body's lock): the valid
    certificates the lead answers for go to ``successor``, a lead in office at the same body
    who answers for every one of them (``scopes``; else refused naming those it does not), in
    one statement with their history; without a successor they are left uncovered only
    when ``leave_uncovered`` says so. Returns how many were handed over."""
    # Checked again here, whoever calls: only who may end the lead hands the certificates on.
    require(
        permissions.can_end_lead(actor, appointment),
        _("The quality director or the body's administrator ends a lead's appointment (Q-09)."),
    )
    pks = list(
        coverage.would_uncover(appointment)
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if successor is not None:
        if successor.pk == appointment.pk:
            raise ValidationError(
                {
                    "successor": rule_problem(
                        "Q-05", _("the successor must be another lead than the one leaving.")
                    )
                }
            )
        successor = lock_active_lead(successor.pk, body_id=appointment.body_id, field="successor")
        # Asked before the single UPDATE below: the successor must answer for every one.
        scopes.require_answers_for_all(
            successor, Certificate.objects.filter(pk__in=pks), field="successor"
        )
    elif pks and not leave_uncovered:
        raise ValidationError(
            {
                "successor": rule_problem(
                    "Q-05",
                    _(
                        "%(count)d valid certificates would have no responsible lead: choose "
                        "the successor who takes them over, or confirm that they are left "
                        "uncovered for now."
                    )
                    % {"count": len(pks)},
                )
            }
        )
    if successor is None or not pks:
        return 0
    Certificate.objects.filter(pk__in=pks).update(responsible_lead=successor)
    history_bulk_create(
        [Certificate(pk=pk) for pk in pks],
        model=Certificate,
        user=actor,
        date=timezone.now(),
        update=True,
        reason=_("Handed over by %(name)s, whose appointment ended (Q-05).")
        % {"name": appointment.staff.person.name},
    )
    return len(pks)
