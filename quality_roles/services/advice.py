"""The director's written advice to management and management's answer (Q-11).

The director in office gives advice; the body's administrator records management's answer,
its date and, for a rejection, the reason. A rejection without a reason marks the director
as having done the duty (``DirectorAdvice.duty_deemed_done``): the director's page and the
regulator's assessments show it, and no measure may be taken against the director for it
(Q-12, ``services.accountability``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import CertificationBody, User

from .. import permissions
from ..constants import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, AdviceAnswer
from ..models import DirectorAdvice
from .common import limited, lock_body, not_in_future, require, require_state, today


@transaction.atomic
def advice_give(
    *,
    body: CertificationBody,
    actor: User,
    subject: str,
    text: str,
    given_on: datetime.date | None = None,
) -> DirectorAdvice:
    """Q-11: the director in office records written advice given to management."""
    director = permissions.active_director_of(actor, body)
    require(director is not None, _("Only the quality director in office gives advice (Q-11)."))
    lock_body(body.pk)
    subject = limited(subject, field="subject", limit=NAME_MAX_LENGTH)
    text = limited(text, field="text", limit=TEXT_MAX_LENGTH)
    if not subject or not text:
        raise ValidationError(
            {"text": _("Write the subject and the advice.")}, code="advice_required"
        )
    given_on = given_on or today()
    not_in_future(given_on, field="given_on")
    advice = DirectorAdvice(
        body=body,
        director=director,
        subject=subject,
        text=text,
        given_on=given_on,
        created_by=actor,
    )
    advice._history_user = actor
    advice.save()
    return advice


@transaction.atomic
def advice_answer_record(
    *,
    advice: DirectorAdvice,
    actor: User,
    answer: str,
    answered_on: datetime.date,
    answer_text: str = "",
    rejection_reason: str = "",
) -> DirectorAdvice:
    """Q-11: management's answer and its date, recorded by the body's administrator. A
    rejection may carry a reason; without one the director is deemed to have done the duty."""
    lock_body(advice.body_id)
    advice = DirectorAdvice.objects.select_for_update(of=("self",)).get(pk=advice.pk)
    require(permissions.can_record_advice_answer(actor, advice))
    require_state(advice, advice.record_answer, _("answered"))
    answer = AdviceAnswer(answer)
    not_in_future(answered_on, field="answered_on")
    if answered_on < advice.given_on:
        raise ValidationError(
            {"answered_on": _("The answer cannot come before the advice.")},
            code="answered_before_given",
        )
    reason = limited(rejection_reason, field="rejection_reason", limit=TEXT_MAX_LENGTH)
    if answer == AdviceAnswer.ACCEPTED:
        reason = ""
    advice.record_answer(
        at=timezone.now(),
        by=actor,
        answer=answer,
        answer_text=limited(answer_text, field="answer_text", limit=TEXT_MAX_LENGTH),
        answered_on=answered_on,
        rejection_reason=reason,
        description=(
            _("Rejected without a reason: the director has done the duty (Q-11).")
            if answer == AdviceAnswer.REJECTED and not reason
            else ""
        ),
    )
    advice._history_user = actor
    advice.save()
    return advice
