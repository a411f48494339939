"""Entry training (L-09): the training centre's sessions, who is enrolled, who passed.

A pass recorded here is what ``liaisons.selectors.persons_passed_entry_training`` finds, and
``liaison_application_hire`` refuses to hire without one.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Person, User

from .. import permissions
from ..constants import OPEN_STATE_VALUES, TrainingResult
from ..models import LiaisonApplication, TrainingEnrolment, TrainingSession

#: The results the training centre records; ``enrolled`` is only the starting point.
RECORDABLE_RESULTS = frozenset({TrainingResult.PASSED, TrainingResult.FAILED})


def _require_training_centre(actor: User) -> None:
    if not permissions.is_training_centre(actor):
        raise PermissionDenied(_("Only the training centre organises entry training (L-09)."))


def person_may_be_enrolled(person: Person) -> bool:
    """L-09: entry training is for people of a testing lab, or with an application in progress."""
    if person.lab_id is not None:
        return True
    return LiaisonApplication.objects.filter(person=person, state__in=OPEN_STATE_VALUES).exists()


@transaction.atomic
def training_session_create(
    *,
    actor: User,
    title: str,
    mode: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    location: str = "",
    capacity: int | None = None,
) -> TrainingSession:
    """The training centre opens a face-to-face, remote or self-study session (L-09)."""
    _require_training_centre(actor)
    if capacity is not None and capacity < 1:
        raise ValidationError(
            {"capacity": _("The capacity must be at least one, or left empty for no limit.")},
            code="capacity_too_small",
        )
    session = TrainingSession(
        title=(title or "").strip(),
        mode=mode,
        starts_on=starts_on,
        ends_on=ends_on,
        location=(location or "").strip(),
        capacity=capacity,
        created_by=actor,
    )
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(
            {"ends_on": _("The session cannot end before it starts.")}, code="ends_before_start"
        )
    session.full_clean()
    session._history_user = actor
    session.save()
    return session


@transaction.atomic
def training_enrol(*, session: TrainingSession, person: Person, actor: User) -> TrainingEnrolment:
    """Enrol a person in a session, within its capacity and at most once (L-09)."""
    _require_training_centre(actor)
    # The session's row is locked so that two enrolments cannot both take the last place.
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if not person_may_be_enrolled(person):
        raise ValidationError(
            _(
                "L-09: %(name)s works for no testing lab and has no application in progress; "
                "only they can be enrolled in entry training."
            )
            % {"name": person.name},
            code="not_eligible",
        )
    if TrainingEnrolment.objects.filter(session=session, person=person).exists():
        raise ValidationError(
            _("%(name)s is already enrolled in this session.") % {"name": person.name},
            code="already_enrolled",
        )
    if TrainingEnrolment.objects.filter(person=person, result=TrainingResult.PASSED).exists():
        raise ValidationError(
            _("L-09: %(name)s has already passed entry training.") % {"name": person.name},
            code="already_passed",
        )
    if session.capacity is not None and session.enrolments.count() >= session.capacity:
        raise ValidationError(
            _("This session is full: all %(capacity)d places are taken.")
            % {"capacity": session.capacity},
            code="session_full",
        )
    enrolment = TrainingEnrolment(session=session, person=person, enrolled_by=actor)
    enrolment._history_user = actor
    enrolment.save()
    return enrolment


@transaction.atomic
def training_result_record(
    *, enrolment: TrainingEnrolment, result: str, actor: User
) -> TrainingEnrolment:
    """Record whether the person passed or failed the session, with who and when (L-09).

    A result may be corrected later; the enrolment's history keeps every earlier one.
    """
    _require_training_centre(actor)
    if result not in RECORDABLE_RESULTS:
        raise ValidationError(
            {"result": _("The result is either passed or failed.")}, code="unknown_result"
        )
    enrolment = (
        TrainingEnrolment.objects.select_for_update()
        .select_related("session", "person")
        .get(pk=enrolment.pk)
    )
    if enrolment.session.starts_on > timezone.localdate():
        raise ValidationError(
            _("The session has not started yet; its results cannot be recorded."),
            code="session_not_started",
        )
    enrolment.result = result
    enrolment.result_recorded_by = actor
    enrolment.result_recorded_at = timezone.now()
    enrolment._history_user = actor
    enrolment.save()
    return enrolment
