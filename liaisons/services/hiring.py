"""The training centre hires (L-07): one applicant, or several in one decision.

A hire draws the employment number (P-02), writes the qualification with the fields applied
for, migrates a legacy qualification (L-13), ends the qualification the person held at
another lab (L-12), closes the lab's coverage gaps (L-06) and announces it all on commit.
Only after entry training is passed (L-09).
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from cqcportal.history import history_bulk_create
from directory import services as directory_services
from directory.models import Person, User

from .. import permissions, rules
from ..constants import ApplicationState
from ..models import LiaisonApplication, LiaisonQualification
from ..signals import announce_qualifications_changed
from ._common import notify_all, qualification_transition, require
from .coverage import coverage_gaps_close, labs_coverage_refresh
from .documents import schedule_documents
from .transitions import stale_state


def liaison_application_hire(
    *, application: LiaisonApplication, actor: User, comment: str = ""
) -> LiaisonQualification:
    """The training centre hires: employment number (P-02), the qualification with its fields,
    the roster and the lab's coverage (L-06). Only after entry training is passed (L-09).
    A decision of one: ``liaison_applications_hire`` is atomic."""
    (qualification,) = liaison_applications_hire(
        applications=[application], actor=actor, comment=comment
    )
    return qualification


@transaction.atomic
def liaison_applications_hire(
    *, applications: Iterable[LiaisonApplication], actor: User, comment: str = ""
) -> list[LiaisonQualification]:
    """The training centre hires several applicants in one decision, all or none (L-07).

    Each hire does what a single one does (the state with its log entry and history, the
    employment number (P-02), the qualification with the fields applied for, the legacy
    qualification migrated (L-13), the lab's coverage (L-06), a notice on commit); here the
    rows are written a set at a time. If any applicant cannot be hired, every problem of every
    applicant is reported, naming the applicant, and nothing is written.
    """
    from ..selectors import persons_passed_entry_training

    ids = sorted({application.pk for application in applications})
    if not ids:
        raise ValidationError(_("Choose at least one application."), code="nothing_chosen")
    locked = _lock_applications(ids, actor=actor)
    trained = persons_passed_entry_training(person_ids=[a.person_id for a in locked])
    legacy = _lock_legacy_qualifications(locked)
    _refuse_unless_hireable(locked, trained=trained, legacy=legacy)

    now = timezone.now()
    _mark_hired(locked, actor=actor, comment=comment, now=now)
    _number_and_move_people(locked, actor=actor, now=now)
    _mark_migrated(legacy, actor=actor, now=now)
    ended = _end_current_qualifications(locked, actor=actor, hired_on=timezone.localdate(now))
    qualifications, held = _create_qualifications(locked, actor=actor, now=now)
    _close_coverage_gaps(locked, held=held, now=now)
    _announce(locked, ended=ended, hired=qualifications, actor=actor)
    return qualifications


# --- the steps of a hire, in their order -----------------------------------------------------


def _lock_applications(ids: list[int], *, actor: User) -> list[LiaisonApplication]:
    """The applications and their people, locked in one order (no deadlock between batches),
    each one the actor's to decide. A person's row is where their employment number is
    decided (P-02)."""
    locked = list(
        LiaisonApplication.objects.select_for_update(of=("self", "person"))
        .select_related("lab", "person")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    for application in locked:
        require(permissions.can_decide(actor, application))
    return locked


def _lock_legacy_qualifications(
    locked: list[LiaisonApplication],
) -> list[LiaisonQualification]:
    """The legacy qualifications these hires migrate (L-13), locked; none, no query."""
    return list(
        LiaisonQualification.objects.select_for_update()
        .filter(pk__in=[a.legacy_qualification_id for a in locked if a.legacy_qualification_id])
        .order_by("pk")
    )


def _refuse_unless_hireable(
    locked: list[LiaisonApplication],
    *,
    trained: set[int],
    legacy: list[LiaisonQualification],
) -> None:
    """Raise every problem of every applicant at once, or nothing: the state, L-01, L-09,
    one person twice, a legacy qualification no longer migrated (L-13)."""
    today = timezone.localdate()
    problems = _same_person_twice(locked)
    # L-13: a legacy qualification revoked or cancelled since its migration was started is
    # not migrated (liaison_application_start refuses to start one).
    over = {q.pk: q for q in legacy if not q.can_be_migrated}
    for application in locked:
        own = _hire_problems(application, trained=trained, today=today)
        if application.legacy_qualification_id in over and not own:
            own.append(
                rules._problem(
                    "L-13",
                    _("the legacy qualification is “%(state)s”; it is no longer migrated.")
                    % {"state": over[application.legacy_qualification_id].get_state_display()},
                )
            )
        if len(locked) > 1:
            own = [_about(application, problem) for problem in own]
        problems += own
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationError(problems)


def _same_person_twice(locked: list[LiaisonApplication]) -> list[ValidationError]:
    """Two labs may apply for one person (issue 9); one decision hires them for one lab only."""
    problems = []
    seen: dict[int, LiaisonApplication] = {}
    for application in locked:
        first = seen.setdefault(application.person_id, application)
        if first is not application:
            problems.append(
                _about(
                    application,
                    ValidationError(
                        _(
                            "%(name)s is also applied for by %(lab)s in this decision; a "
                            "person represents one lab at a time."
                        )
                        % {"name": application.applicant_name, "lab": first.lab.name},
                        code="same_person_twice",
                    ),
                )
            )
    return problems


def _hire_problems(
    application: LiaisonApplication, *, trained: set[int], today: datetime.date
) -> list[ValidationError]:
    """What stands in the way of hiring this applicant: state, L-01 and L-09."""
    if not can_proceed(application.hire):
        return [stale_state(application, _("hired"))]
    problems = rules.education_problems(application.applicant) + rules.experience_problems(
        application.work_started_on, today=today
    )
    if application.person_id not in trained:
        problems.append(rules._problem("L-09", _("entry training has not been passed.")))
    return problems


def _mark_hired(
    locked: list[LiaisonApplication], *, actor: User, comment: str, now: datetime.datetime
) -> None:
    """Each application's ``hire`` transition (one state-log row each), saved by one UPDATE of
    them all, with one history record each."""
    for application in locked:
        application.hire(at=now, by=actor, description=comment)
        application.updated_at = now
    # What the transition set is the same for every application: one plain UPDATE.
    LiaisonApplication.objects.filter(pk__in=[application.pk for application in locked]).update(
        state=ApplicationState.HIRED, decided_at=now, updated_at=now
    )
    history_bulk_create(locked, model=LiaisonApplication, user=actor, date=now, update=True)


def _number_and_move_people(
    locked: list[LiaisonApplication], *, actor: User, now: datetime.datetime
) -> None:
    """The people: an employment number for those who have none, by the one numbering path
    (P-02), and the lab they now represent. The decision holds each person once (checked
    before). One history record each for both changes."""
    people = [application.person for application in locked]
    numbered = directory_services.employment_numbers_assign(people=people)
    moved = []
    for application, person in zip(locked, people, strict=True):
        if person.lab_id != application.lab_id:
            person.lab = application.lab
            moved.append(person)
    if moved:
        Person.objects.bulk_update(moved, ["lab"])
    changed = list({person.pk: person for person in [*numbered, *moved]}.values())
    history_bulk_create(changed, model=Person, user=actor, date=now, update=True)


def _mark_migrated(
    legacy: list[LiaisonQualification], *, actor: User, now: datetime.datetime
) -> None:
    """L-13: the legacy qualifications these hires succeed stop counting."""
    for qualification in legacy:
        qualification.migrated_at = now
    LiaisonQualification.objects.filter(pk__in=[q.pk for q in legacy]).update(migrated_at=now)
    history_bulk_create(legacy, model=LiaisonQualification, user=actor, date=now, update=True)


def _end_current_qualifications(
    locked: list[LiaisonApplication], *, actor: User, hired_on: datetime.date
) -> list[LiaisonQualification]:
    """A person represents one lab at a time: the hire ends their current qualification (L-12;
    docs/decisions.md, "A hire that moves a liaison to another lab"). It must end before the
    new one is written (the one-current constraint); the login right is looked at only once
    the new one exists (the announcement at the end): a transfer keeps the right (A-01)."""
    from ..selectors import current_qualifications

    lab_of = {application.person_id: application.lab for application in locked}
    ended = []
    for current in current_qualifications(person_ids=lab_of).order_by("pk"):
        new_lab = lab_of[current.person_id]
        if current.lab_id == new_lab.pk:
            reason = _("Hired again for %(lab)s.") % {"lab": new_lab.name}
        else:
            reason = _(
                "Transferred: hired as liaison officer of %(lab)s on %(date)s; a person "
                "represents one lab at a time (L-12)."
            ) % {"lab": new_lab.name, "date": hired_on.isoformat()}
        ended.append(qualification_transition(current, "cancel", actor=actor, reason=reason))
    return ended


def _create_qualifications(
    locked: list[LiaisonApplication], *, actor: User, now: datetime.datetime
) -> tuple[list[LiaisonQualification], list[tuple[int, str]]]:
    """The new qualifications, each with the fields its application applied for, and those
    (application id, field code) pairs."""
    qualifications = LiaisonQualification.objects.bulk_create(
        [
            LiaisonQualification(
                person=application.person,
                lab=application.lab,
                application=application,
                hired_on=timezone.localdate(now),
            )
            for application in locked
        ]
    )
    qualification_of = {q.application_id: q.pk for q in qualifications}
    held = list(
        LiaisonApplication.fields.through.objects.filter(
            liaisonapplication_id__in=[application.pk for application in locked]
        ).values_list("liaisonapplication_id", "certificationfield_id")
    )
    Through = LiaisonQualification.fields.through
    Through.objects.bulk_create(
        [
            Through(
                liaisonqualification_id=qualification_of[application_id], certificationfield_id=code
            )
            for application_id, code in held
        ]
    )
    # Written after the fields: the record of a new qualification holds them.
    history_bulk_create(
        qualifications, model=LiaisonQualification, user=actor, date=now, update=False
    )
    return qualifications, held


def _close_coverage_gaps(
    locked: list[LiaisonApplication], *, held: list[tuple[int, str]], now: datetime.datetime
) -> None:
    """Coverage (L-06): a new qualification covers its fields, so a hire only closes gaps. A
    migrated legacy qualification stops counting, though, and may leave a field its successor
    does not hold: those labs are looked at whole."""
    lab_of_application = {application.pk: application.lab_id for application in locked}
    coverage_gaps_close(
        covered={(lab_of_application[application_id], code) for application_id, code in held},
        at=now,
    )
    labs_coverage_refresh(
        lab_ids={
            application.lab_id for application in locked if application.legacy_qualification_id
        }
    )


def _announce(
    locked: list[LiaisonApplication],
    *,
    ended: list[LiaisonQualification],
    hired: list[LiaisonQualification],
    actor: User,
) -> None:
    """Once every write is done (issue 11): the labs left are told (L-12), the hire notices
    printed and sent on commit, and the rights follow (A-01) with the new qualifications in
    hand."""
    if ended:
        _after_transfers(ended, hired=hired)
    schedule_documents(*locked)  # the hire notices
    notify_all(locked, "hired")
    announce_qualifications_changed([*ended, *hired], actor=actor)


def _after_transfers(
    ended: list[LiaisonQualification],
    *,
    hired: list[LiaisonQualification],
) -> None:
    """What follows the qualifications a hire ended, once the new ones exist: each lab a
    liaison left for another is told who hired them (L-12)."""
    from ..tasks import send_transfer_notice

    new_of_person = {qualification.person_id: qualification for qualification in hired}
    for qualification in ended:
        new = new_of_person[qualification.person_id]
        if new.lab_id == qualification.lab_id:
            continue  # hired again by the same lab: nobody to tell
        transaction.on_commit(
            lambda ended_id=qualification.pk, hired_id=new.pk: send_transfer_notice.delay(
                ended_id, hired_id
            )
        )


def _about(application: LiaisonApplication, problem: ValidationError) -> ValidationError:
    """A problem of one applicant among several, naming the applicant and the application."""
    return ValidationError(
        _("%(applicant)s (application %(number)s): %(problem)s")
        % {
            "applicant": application.applicant_name,
            "number": application.pk,
            "problem": problem.message,
        },
        code=problem.code,
    )
