"""Every write of the liaison capability: applications, hires, qualifications, coverage.

Each transition service locks the row, checks who may act, calls the django-fsm transition,
saves, and schedules its e-mail on commit (L-07). Two people acting on one application at the
same moment: the second waits for the lock, then finds the state changed and is told so.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from cqcportal.history import history_bulk_create
from cqcportal.limits import TRAINING_CONTENT_MAX_LENGTH, clean_reason
from directory import services as directory_services
from directory.models import CertificationField, Person, TestingLab, User
from directory.services import (
    IMPORTANT_FIELDS,
    person_account_ensure,
    person_create,
)

from .. import permissions, rules
from ..constants import (
    OPEN_STATE_VALUES,
    PRESCRIBED_ITEMS,
    ApplicationState,
    AssessmentItemKind,
    DepartureOutcome,
    MaterialKind,
    QualificationState,
)
from ..models import (
    APPLICANT_FIELDS,
    ApplicationMaterial,
    AssessmentEntry,
    CoverageGap,
    Departure,
    LiaisonApplication,
    LiaisonQualification,
)
from ..signals import announce_qualifications_changed
from ..uploads import check_upload, material_display_name

#: What the recommendation form holds beyond the person's own data (L-01, L-03).
RECOMMENDATION_FIELDS = ("work_started_on", "work_history", "recommendation", "lab_signatory")


def _today() -> datetime.date:
    return timezone.localdate()


def _occurrences(pks: list[int]) -> list[int]:
    """The state-log row of each application's latest transition, the one its notice tells
    of: the task records what it sent under it, so a retry sends nothing twice (issue 11)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Max
    from django_fsm_log.models import StateLog

    latest = dict(
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(LiaisonApplication), object_id__in=pks
        )
        .values("object_id")
        .annotate(last=Max("pk"))
        .values_list("object_id", "last")
    )
    return [latest.get(pk, 0) for pk in pks]


def _notify(application: LiaisonApplication, event: str) -> None:
    from ..tasks import send_application_notice

    pk = application.pk
    (occurrence,) = _occurrences([pk])
    transaction.on_commit(lambda: send_application_notice.delay(pk, event, occurrence))


def _notify_all(applications: Iterable[LiaisonApplication], event: str) -> None:
    """``_notify`` of several applications, queued as one task."""
    from ..tasks import send_application_notices

    pks = [application.pk for application in applications]
    occurrences = _occurrences(pks)
    transaction.on_commit(lambda: send_application_notices.delay(pks, event, occurrences))


def _schedule_documents(*applications: LiaisonApplication) -> None:
    """Print the applications' forms after commit (liaisons.services.documents)."""
    from .documents import schedule_documents

    schedule_documents(*applications)


def _lock(application: LiaisonApplication) -> LiaisonApplication:
    """The application's row, locked for the rest of the transaction, as it is now."""
    return (
        LiaisonApplication.objects.select_for_update()
        .select_related("lab", "person")
        .get(pk=application.pk)
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this to this application."))


def _stale_state(application: LiaisonApplication, verb: str) -> ValidationError:
    return ValidationError(
        _(
            "This application cannot be %(verb)s: it is now “%(state)s”. Someone may have "
            "acted on it a moment ago; reload the page to see its current state."
        )
        % {"verb": verb, "state": application.get_state_display()},
        code="stale_state",
    )


def _require_state(application: LiaisonApplication, transition, verb: str) -> None:
    if not can_proceed(transition):
        raise _stale_state(application, verb)


def _require_reason(reason: str) -> str:
    # The transitions save without full_clean: the limit is checked here too (issue 9).
    return clean_reason(reason, required_message=rules.REASON_REQUIRED, field="reason")


def _set_fields(application: LiaisonApplication, codes: Iterable[str]) -> None:
    codes = set(codes)
    known = set(CertificationField.objects.filter(code__in=codes).values_list("code", flat=True))
    if codes - known:
        raise ValidationError(
            {
                "fields": _("Unknown certification field: %(codes)s")
                % {"codes": ", ".join(sorted(codes - known))}
            },
            code="unknown_field",
        )
    application.fields.set(known)
    _sync_assessment_entries(application, known)


def _sync_assessment_entries(application: LiaisonApplication, codes: set[str]) -> None:
    """Three prescribed items, then one entry per field applied for, in field order (L-04).

    Entries already filled in keep their evaluation and signature.
    """
    existing = {e.field_id: e for e in application.assessment_entries.all()}
    prescribed = [e for e in existing.values() if e.kind == AssessmentItemKind.PRESCRIBED]
    if not prescribed:
        for position, content in enumerate(PRESCRIBED_ITEMS, start=1):
            AssessmentEntry.objects.create(
                application=application,
                position=position,
                kind=AssessmentItemKind.PRESCRIBED,
                content=str(content),
            )
    fields = list(CertificationField.objects.filter(code__in=codes).order_by("position"))
    application.assessment_entries.filter(kind=AssessmentItemKind.FIELD).exclude(
        field__in=codes
    ).delete()
    # Renumber: move field entries out of the way first, the position is unique.
    entries = {
        e.field_id: e for e in application.assessment_entries.filter(kind=AssessmentItemKind.FIELD)
    }
    for offset, entry in enumerate(entries.values()):
        entry.position = 1000 + offset
        entry.save(update_fields=["position"])
    for position, field in enumerate(fields, start=len(PRESCRIBED_ITEMS) + 1):
        entry = entries.get(field.pk)
        if entry is None:
            AssessmentEntry.objects.create(
                application=application,
                position=position,
                kind=AssessmentItemKind.FIELD,
                field=field,
                content=_("Business training: %(field)s") % {"field": field.get_code_display()},
            )
        else:
            entry.position = position
            entry.save(update_fields=["position"])


def lab_keeps_record(person: Person, lab: TestingLab) -> bool:
    """Whether the lab's typing may still write the person's record (P-03).

    Only for an applicant of the lab's own whom nobody has vouched for yet: the lab's person,
    with no portal account (tier a is then the person's own), not staff of a certification
    body, important data not yet locked by a first submission. Anyone else's record is never
    changed by an application: the application states the data, the branch centre checks it
    against the materials, and a change of the record goes through a change request (issue 9).
    """
    return (
        person.lab_id == lab.pk
        and person.user_id is None
        and person.body_id is None
        and person.important_data_locked_at is None
    )


def _applicant_data(name: str | None, person_data: dict | None) -> dict:
    data = dict(person_data or {})
    if name is not None:
        data["name"] = name
    unknown = set(data) - set(APPLICANT_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields {sorted(unknown)}")
    return {field: (value or "").strip() for field, value in data.items()}


def _state_applicant(application: LiaisonApplication, data: dict) -> list[str]:
    """Write the applicant's data onto the application; the important data (P-03 tier b)
    stays as first submitted. Returns the names of the fields that changed."""
    changed = []
    for field, value in data.items():
        if getattr(application, f"applicant_{field}") == value:
            continue
        if field in IMPORTANT_FIELDS and application.submitted_at is not None:
            raise ValidationError(
                {
                    field: ValidationError(
                        _(
                            "This is important personal data, locked since it was first "
                            "submitted; ask the branch centre for a change (P-03)."
                        ),
                        code="important_data_locked",
                    )
                }
            )
        setattr(application, f"applicant_{field}", value)
        changed.append(field)
    return changed


def _record_from_application(application: LiaisonApplication, *, actor: User) -> None:
    """The lab's own new applicant: their record follows what the lab types (P-03)."""
    person = application.person
    if not lab_keeps_record(person, application.lab):
        return
    changed = [
        field
        for field in APPLICANT_FIELDS
        if getattr(person, field) != getattr(application, f"applicant_{field}")
    ]
    if not changed:
        return
    for field in changed:
        setattr(person, field, getattr(application, f"applicant_{field}"))
    person.full_clean(exclude=["id_number"])
    person._history_user = actor
    person.save(update_fields=changed)


def _person_for_number(number: str, *, name: str, lab: TestingLab, actor: User) -> Person:
    """The person of an ID number, recorded for the lab if the portal does not know them yet.

    Two starts for one new person at the same moment: the second waits on the unique ID
    number, then finds the first one's record (P-01).
    """
    person = Person.objects.filter(id_number=number).first()
    if person is not None:
        return person
    try:
        with transaction.atomic():
            return person_create(id_number=number, name=name, actor=actor, lab=lab)
    except IntegrityError:
        return Person.objects.get(id_number=number)
    except ValidationError as error:
        if getattr(error, "code", None) == "person_exists" or "id_number" in getattr(
            error, "error_dict", {}
        ):
            person = Person.objects.filter(id_number=number).first()
            if person is not None:
                return person
        raise


def _full_clean(application: LiaisonApplication) -> None:
    """The model's checks, with the applicant's fields named as the caller named them."""
    try:
        application.full_clean(exclude=["fields", "state", "person"])
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {name.removeprefix("applicant_"): errors for name, errors in error.error_dict.items()}
        ) from None


def _require_migratable(
    legacy_qualification: LiaisonQualification, *, person: Person, lab: TestingLab
) -> None:
    """L-13: only a legacy qualification of this person at this lab, not migrated and still
    held, is migrated; a revoked or cancelled one is not brought back by a migration."""
    legacy_qualification = LiaisonQualification.objects.get(pk=legacy_qualification.pk)
    if (
        legacy_qualification.person_id != person.pk
        or legacy_qualification.lab_id != lab.pk
        or not legacy_qualification.needs_migration
    ):
        raise ValidationError(_("This qualification does not need migration (L-13)."), code="L-13")
    if not legacy_qualification.can_be_migrated:
        raise ValidationError(
            _(
                "L-13: the legacy qualification is “%(state)s”; only a qualification still held "
                "is migrated. Apply for this person as a new liaison instead."
            )
            % {"state": legacy_qualification.get_state_display()},
            code="L-13",
        )


def _already_open() -> ValidationError:
    return ValidationError(
        _("Your lab already has an application in progress for this ID number; continue that one."),
        code="application_open",
    )


@transaction.atomic
def liaison_application_start(
    *,
    lab: TestingLab,
    actor: User,
    id_number: str,
    name: str,
    fields: Iterable[str] = (),
    person_data: dict | None = None,
    legacy_qualification: LiaisonQualification | None = None,
    **recommendation,
) -> LiaisonApplication:
    """Lab staff start an application for a person, known or new (L-07, P-01).

    The answer is the same whether the portal knows the ID number or not: the application
    holds the data as the lab typed it, and a person the lab does not keep is not changed
    (``lab_keeps_record``; issue 9). Blank entries for one of the lab's own people are taken
    from their record.
    """
    _require(permissions.can_prepare_for_lab(actor, lab))
    unknown = set(recommendation) - set(RECOMMENDATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown application fields {sorted(unknown)}")
    from directory.idnumbers import validate_id_number

    number = validate_id_number(id_number)
    data = _applicant_data(name, person_data)
    if not data["name"]:
        raise ValidationError({"name": _("This field is required.")}, code="required")
    person = _person_for_number(number, name=data["name"], lab=lab, actor=actor)
    if legacy_qualification is not None:
        _require_migratable(legacy_qualification, person=person, lab=lab)
    if LiaisonApplication.objects.filter(
        person=person, lab=lab, state__in=OPEN_STATE_VALUES
    ).exists():
        raise _already_open()
    application = LiaisonApplication(
        lab=lab,
        person=person,
        created_by=actor,
        is_migration=legacy_qualification is not None,
        legacy_qualification=legacy_qualification,
        **recommendation,
    )
    if person.lab_id == lab.pk:
        # One of the lab's own people: what it leaves blank is what their record says.
        for field in APPLICANT_FIELDS:
            setattr(application, f"applicant_{field}", getattr(person, field))
    _state_applicant(application, {k: v for k, v in data.items() if v or k == "name"})
    _full_clean(application)
    application._history_user = actor
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # Another start for this person at this lab committed a moment ago.
        raise _already_open() from None
    _record_from_application(application, actor=actor)
    _set_fields(application, fields)
    return application


@transaction.atomic
def liaison_application_update(
    *,
    application: LiaisonApplication,
    actor: User,
    fields: Iterable[str] | None = None,
    person_data: dict | None = None,
    declaration_accepted: bool | None = None,
    **recommendation,
) -> LiaisonApplication:
    """The lab edits a draft or returned application (L-07)."""
    application = _lock(application)
    _require(permissions.can_prepare_for_lab(actor, application.lab))
    if not application.is_editable:
        raise ValidationError(
            _("Only a draft or a returned application can be changed."), code="not_editable"
        )
    unknown = set(recommendation) - set(RECOMMENDATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown application fields {sorted(unknown)}")
    if person_data:
        _state_applicant(application, _applicant_data(None, person_data))
    for field, value in recommendation.items():
        setattr(application, field, value.strip() if isinstance(value, str) else value)
    if declaration_accepted is not None:
        application.declaration_accepted = declaration_accepted
    _full_clean(application)
    application._history_user = actor
    application.save()
    _record_from_application(application, actor=actor)
    if fields is not None:
        _set_fields(application, fields)
    _schedule_documents(application)
    return application


@transaction.atomic
def assessment_entry_update(
    *,
    entry: AssessmentEntry,
    actor: User,
    evaluation: str,
    signatory: str,
    trained_on: datetime.date | None = None,
    content: str | None = None,
) -> AssessmentEntry:
    """The lab's responsible person evaluates and signs one training entry (L-04)."""
    application = _lock(entry.application)
    _require(permissions.can_edit_application(actor, application))
    entry = AssessmentEntry.objects.get(pk=entry.pk)
    entry.evaluation = evaluation.strip()
    entry.signatory = signatory.strip()
    entry.trained_on = trained_on
    if content is not None and entry.kind == AssessmentItemKind.FIELD and content.strip():
        entry.content = content.strip()
        if len(entry.content) > TRAINING_CONTENT_MAX_LENGTH:
            # What fits the record's row (issue 9); the system's own content may be longer.
            raise ValidationError(
                {
                    "content": ValidationError(
                        _("Write at most %(limit)d characters (this text has %(count)d)."),
                        code="max_length",
                        params={"limit": TRAINING_CONTENT_MAX_LENGTH, "count": len(entry.content)},
                    )
                }
            )
    entry.full_clean()
    entry._history_user = actor
    entry.save()
    _schedule_documents(application)
    return entry


@transaction.atomic
def material_upload(
    *, application: LiaisonApplication, kind: str, upload: UploadedFile, actor: User
) -> ApplicationMaterial:
    """Store one of the five materials (L-02), checked by content; replaces that kind's file."""
    application = _lock(application)
    _require(permissions.can_edit_application(actor, application))
    if kind not in MaterialKind.values:
        raise ValidationError({"kind": _("Unknown material.")}, code="unknown_material")
    checked = check_upload(upload)
    material = ApplicationMaterial.objects.filter(application=application, kind=kind).first()
    # A replaced file stays in storage while the history needs it (services/retention.py).
    if material is None:
        material = ApplicationMaterial(application=application, kind=kind)
    material.content_type = checked.content_type
    material.size = checked.size
    material.sha256 = checked.sha256
    material.original_name = material_display_name(upload.name)
    material.uploaded_by = actor
    material.file.save("upload", upload, save=False)
    material._history_user = actor
    material.save()
    return material


@transaction.atomic
def liaison_application_submit(
    *, application: LiaisonApplication, actor: User, comment: str = ""
) -> LiaisonApplication:
    """Send the application to the branch centre (L-07), once L-01..L-05 hold.

    Every problem is reported at once, each naming its rule. The applicant's important data
    is locked from now on (P-03).
    """
    application = _lock(application)
    _require(permissions.can_prepare_for_lab(actor, application.lab))
    _require_state(application, application.submit, _("submitted"))
    problems = rules.application_problems(application, today=_today())
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    application.submit(at=now, by=actor, description=comment)
    application._history_user = actor
    application.save()
    person = application.person
    if lab_keeps_record(person, application.lab):
        person.important_data_locked_at = now
        person._history_user = actor
        person.save(update_fields=["important_data_locked_at"])
    _schedule_documents(application)
    _notify(application, "submitted")
    return application


@transaction.atomic
def liaison_application_accept(
    *, application: LiaisonApplication, actor: User, comment: str = ""
) -> LiaisonApplication:
    """The branch centre accepts the materials for checking; a first-time applicant gets
    their account (L-08)."""
    application = _lock(application)
    _require(permissions.can_review(actor, application))
    _require_state(application, application.accept, _("accepted"))
    application.accept(by=actor, description=comment)
    application._history_user = actor
    application.save()
    _record_vouched_by_branch(application, actor=actor)
    person_account_ensure(person=application.person, actor=actor)
    return application


def _record_vouched_by_branch(application: LiaisonApplication, *, actor: User) -> None:
    """A record nobody has vouched for takes the data the branch centre just accepted.

    Such a record was typed by another lab's draft (a number the portal did not know); left
    as it was, the account below would be mailed to whatever address that lab typed (L-08,
    P-03, issue 9). The lab's own applicant was locked at submission and is not touched.
    """
    person = Person.objects.select_for_update().get(pk=application.person_id)
    if person.user_id or person.body_id or person.important_data_locked_at is not None:
        return
    changed = ["important_data_locked_at"]
    for field in APPLICANT_FIELDS:
        value = getattr(application, f"applicant_{field}")
        if getattr(person, field) != value:
            setattr(person, field, value)
            changed.append(field)
    if (
        person.lab_id != application.lab_id
        and not LiaisonQualification.objects.filter(person_id=person.pk).exists()
    ):
        # Or the draft's lab would find the checked data filled in on its next start. A
        # person with a qualification (a legacy liaison, L-13) stays with its lab until hired.
        person.lab = application.lab
        changed.append("lab")
    person.important_data_locked_at = timezone.now()
    person.full_clean(exclude=["id_number"])
    person._history_user = actor
    person.save(update_fields=changed)
    application.person = person


@transaction.atomic
def liaison_application_return(
    *, application: LiaisonApplication, actor: User, reason: str
) -> LiaisonApplication:
    """The branch centre returns the application to the lab for correction (L-07)."""
    reason = _require_reason(reason)
    application = _lock(application)
    _require(permissions.can_review(actor, application))
    _require_state(application, application.return_to_lab, _("returned"))
    application.return_to_lab(reason=reason, by=actor, description=reason)
    application._history_user = actor
    application.save()
    _notify(application, "returned")
    return application


@transaction.atomic
def liaison_application_pass(
    *, application: LiaisonApplication, actor: User, comment: str = ""
) -> LiaisonApplication:
    """The branch centre passes checked materials on to the training centre (L-07)."""
    application = _lock(application)
    _require(permissions.can_review(actor, application))
    _require_state(application, application.pass_to_training, _("passed on"))
    application.pass_to_training(by=actor, description=comment)
    application._history_user = actor
    application.save()
    _notify(application, "passed")
    return application


@transaction.atomic
def liaison_application_reject(
    *, application: LiaisonApplication, actor: User, reason: str
) -> LiaisonApplication:
    """The training centre rejects the application (L-07)."""
    reason = _require_reason(reason)
    application = _lock(application)
    _require(permissions.can_decide(actor, application))
    _require_state(application, application.reject, _("rejected"))
    application.reject(reason=reason, at=timezone.now(), by=actor, description=reason)
    application._history_user = actor
    application.save()
    _notify(application, "rejected")
    return application


@transaction.atomic
def liaison_application_withdraw(
    *, application: LiaisonApplication, actor: User, comment: str = ""
) -> LiaisonApplication:
    """The lab withdraws its application before a decision."""
    application = _lock(application)
    _require(permissions.can_prepare_for_lab(actor, application.lab))
    _require_state(application, application.withdraw, _("withdrawn"))
    was_with_branch = application.state != ApplicationState.DRAFT
    application.withdraw(by=actor, description=comment)
    application._history_user = actor
    application.save()
    if was_with_branch:
        _notify(application, "withdrawn")
    return application


def _hire_problems(
    application: LiaisonApplication, *, trained: set[int], today: datetime.date
) -> list[ValidationError]:
    """What stands in the way of hiring this applicant: state, L-01 and L-09."""
    if not can_proceed(application.hire):
        return [_stale_state(application, _("hired"))]
    problems = rules.education_problems(application.applicant) + rules.experience_problems(
        application.work_started_on, today=today
    )
    if application.person_id not in trained:
        problems.append(rules._problem("L-09", _("entry training has not been passed.")))
    return problems


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
    from ..selectors import current_qualifications, persons_passed_entry_training

    ids = sorted({application.pk for application in applications})
    if not ids:
        raise ValidationError(_("Choose at least one application."), code="nothing_chosen")
    # The applications and their people, locked in one order (no deadlock between batches);
    # a person's row is where their employment number is decided (P-02).
    locked = list(
        LiaisonApplication.objects.select_for_update(of=("self", "person"))
        .select_related("lab", "person")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    for application in locked:
        _require(permissions.can_decide(actor, application))
    trained = persons_passed_entry_training(person_ids=[a.person_id for a in locked])
    today = _today()
    problems = []
    # Two labs may apply for one person (issue 9); one decision hires them for one lab only.
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
    # L-13: a legacy qualification revoked or cancelled since its migration was started is
    # not migrated (liaison_application_start refuses to start one).
    legacy = list(
        LiaisonQualification.objects.select_for_update()
        .filter(pk__in=[a.legacy_qualification_id for a in locked if a.legacy_qualification_id])
        .order_by("pk")
    )
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

    now = timezone.now()
    for application in locked:
        application.hire(at=now, by=actor, description=comment)  # one state-log row each
        application.updated_at = now
    # What the transition set is the same for every application: one plain UPDATE.
    LiaisonApplication.objects.filter(pk__in=ids).update(
        state=ApplicationState.HIRED, decided_at=now, updated_at=now
    )
    history_bulk_create(locked, model=LiaisonApplication, user=actor, date=now, update=True)

    # The people: an employment number for those who have none, by the one numbering path
    # (P-02), and the lab they now represent. The decision holds each person once (checked
    # above). One history record each for both changes.
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

    for qualification in legacy:
        qualification.migrated_at = now  # L-13
    LiaisonQualification.objects.filter(pk__in=[q.pk for q in legacy]).update(migrated_at=now)
    history_bulk_create(legacy, model=LiaisonQualification, user=actor, date=now, update=True)

    # A person represents one lab at a time: the hire ends their current qualification (L-12;
    # docs/decisions.md, "A hire that moves a liaison to another lab"). It must end before the
    # new one is written (the one-current constraint); the login right is looked at only once
    # the new one exists (the announcement at the end): a transfer keeps the right.
    hired_on = timezone.localdate(now)
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
        ended.append(_qualification_transition(current, "cancel", actor=actor, reason=reason))

    qualifications = LiaisonQualification.objects.bulk_create(
        [
            LiaisonQualification(
                person=application.person,
                lab=application.lab,
                application=application,
                hired_on=hired_on,
            )
            for application in locked
        ]
    )
    qualification_of = {q.application_id: q.pk for q in qualifications}
    held = list(
        LiaisonApplication.fields.through.objects.filter(liaisonapplication_id__in=ids).values_list(
            "liaisonapplication_id", "certificationfield_id"
        )
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

    # Coverage (L-06): a new qualification covers its fields, so a hire only closes gaps. A
    # migrated legacy qualification stops counting, though, and may leave a field its
    # successor does not hold: those labs are looked at whole.
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
    if ended:
        _after_transfers(ended, hired=qualifications)
    _schedule_documents(*locked)  # the hire notices
    _notify_all(locked, "hired")
    # Once every write is done (issue 11): the rights follow, the new ones in hand.
    announce_qualifications_changed([*ended, *qualifications], actor=actor)
    return qualifications


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


# --- qualifications ------------------------------------------------------------------------


def _qualification_transition(
    qualification: LiaisonQualification,
    name: str,
    *,
    actor: User | None,
    reason: str,
) -> LiaisonQualification:
    """Change the qualification's state; the lab's coverage (L-06) follows. The login rights
    (A-01) follow the announcement the calling service makes once all its writes are done."""
    qualification = LiaisonQualification.objects.select_for_update().get(pk=qualification.pk)
    transition = getattr(qualification, name)
    if not can_proceed(transition):
        raise ValidationError(
            _("The qualification is “%(state)s”; this cannot be done to it now.")
            % {"state": qualification.get_state_display()},
            code="stale_state",
        )
    transition(reason=reason, by=actor, description=reason)
    qualification._history_user = actor
    qualification.save()
    # A lost liaison may open a gap (L-06).
    coverage_refresh(lab=qualification.lab)
    return qualification


@transaction.atomic
def qualification_change_state(
    *, qualification: LiaisonQualification, action: str, actor: User | None, reason: str
) -> LiaisonQualification:
    """Suspend, reinstate, revoke or cancel a qualification; the one way a qualification's
    state changes, so the person's login right and the lab's coverage follow (A-01, L-06).

    The training centre decides (L-10); ``actor=None`` is the system itself (a deadline job,
    a management command), never a user. The lab's own departure goes through
    ``departure_confirm`` (L-12), which records it. A reason is always required.
    """
    if action not in ("suspend", "reinstate", "revoke", "cancel"):
        raise ValueError(action)
    if actor is not None and not permissions.can_change_qualification_state(
        actor, qualification, action
    ):
        raise PermissionDenied(
            _("Only the training centre changes the state of a qualification (L-10).")
        )
    qualification = _qualification_transition(
        qualification, action, actor=actor, reason=_require_reason(reason)
    )
    announce_qualifications_changed([qualification], actor=actor)
    return qualification


def departure_allowed(qualification: LiaisonQualification) -> bool:
    """L-12: whether the lab may still confirm that this liaison left: the qualification is
    active, or suspended for another reason than a departure confirmed since its last
    reinstatement. A liaison leaves once; what follows is the training centre's."""
    from django_fsm_log.models import StateLog

    if qualification.state == QualificationState.ACTIVE:
        return True
    if qualification.state != QualificationState.SUSPENDED:
        return False
    last_reinstated = (
        StateLog.objects.for_(qualification)
        .filter(transition="reinstate")
        .order_by("-timestamp")
        .values_list("timestamp", flat=True)
        .first()
    )
    departures = qualification.departures.all()
    if last_reinstated is not None:
        departures = departures.filter(confirmed_at__gt=last_reinstated)
    return not departures.exists()


@transaction.atomic
def departure_confirm(
    *,
    qualification: LiaisonQualification,
    actor: User,
    reason: str,
    left_on: datetime.date,
    outcome: str,
    comment: str = "",
) -> Departure:
    """L-12: the lab confirms that its liaison left; the qualification is suspended or
    cancelled, and the business-system login with it (A-01)."""
    _require(permissions.can_confirm_departure(actor, qualification))
    if left_on > _today():
        raise ValidationError({"left_on": _("The date of leaving cannot be in the future.")})
    action = "suspend" if outcome == DepartureOutcome.SUSPEND else "cancel"
    qualification = LiaisonQualification.objects.select_for_update().get(pk=qualification.pk)
    if not departure_allowed(qualification):
        raise ValidationError(
            _(
                "L-12: the departure of this liaison is already confirmed; the qualification "
                "is “%(state)s” since. Only the training centre changes it now."
            )
            % {"state": qualification.get_state_display()},
            code="L-12",
        )
    if not can_proceed(getattr(qualification, action)):
        raise ValidationError(
            _("The qualification is “%(state)s”; this cannot be done to it now.")
            % {"state": qualification.get_state_display()},
            code="stale_state",
        )
    departure = Departure(
        qualification=qualification,
        reason=reason,
        left_on=left_on,
        outcome=outcome,
        comment=comment.strip(),
        confirmed_by=actor,
    )
    departure.full_clean()
    departure._history_user = actor
    departure.save()
    text = _("Left the job: %(reason)s, %(date)s.") % {
        "reason": departure.get_reason_display(),
        "date": left_on.isoformat(),
    }
    qualification = _qualification_transition(qualification, action, actor=actor, reason=text)
    announce_qualifications_changed([qualification], actor=actor)
    return departure


# --- coverage ------------------------------------------------------------------------------


def coverage_refresh(*, lab: TestingLab) -> list[str]:
    """Open a gap row for every newly uncovered field of the lab's scope and close the rows of
    fields covered again (L-06). New gaps are announced by one e-mail, after commit. Returns
    the codes of the new gaps."""
    return labs_coverage_refresh(lab_ids=[lab.pk]).get(lab.pk, [])


def coverage_gaps_close(*, covered: set[tuple[int, str]], at: datetime.datetime) -> int:
    """Close the open gaps of these (lab id, field code) pairs, now covered (L-06); returns
    how many were closed."""
    if not covered:
        return 0
    candidates = CoverageGap.objects.filter(
        closed_at=None,
        lab_id__in={lab_id for lab_id, _code in covered},
        field_id__in={code for _lab_id, code in covered},
    ).values_list("pk", "lab_id", "field_id")
    closing = [pk for pk, lab_id, code in candidates if (lab_id, code) in covered]
    if closing:
        CoverageGap.objects.filter(pk__in=closing).update(closed_at=at)
    return len(closing)


def labs_coverage_refresh(*, lab_ids: Iterable[int]) -> dict[int, list[str]]:
    """``coverage_refresh`` of several labs, a set at a time: one query for their gaps, one
    for their open rows, one update, one insert; one e-mail per lab with new gaps."""
    from ..selectors import labs_coverage_gaps
    from ..tasks import send_coverage_gap_notice

    lab_ids = list(lab_ids)
    if not lab_ids:
        return {}
    now = timezone.now()
    gaps = labs_coverage_gaps(lab_ids=lab_ids)
    open_rows = {
        (lab_id, code): pk
        for pk, lab_id, code in CoverageGap.objects.filter(
            lab_id__in=lab_ids, closed_at=None
        ).values_list("pk", "lab_id", "field_id")
    }
    uncovered = {(lab_id, code) for lab_id, codes in gaps.items() for code in codes}
    covered_again = [pk for key, pk in open_rows.items() if key not in uncovered]
    if covered_again:
        CoverageGap.objects.filter(pk__in=covered_again).update(closed_at=now)
    new = {
        lab_id: [code for code in codes if (lab_id, code) not in open_rows]
        for lab_id, codes in gaps.items()
    }
    new = {lab_id: codes for lab_id, codes in new.items() if codes}
    CoverageGap.objects.bulk_create(
        [
            CoverageGap(lab_id=lab_id, field_id=code, opened_at=now)
            for lab_id, codes in new.items()
            for code in codes
        ]
    )
    for lab_id, codes in new.items():
        transaction.on_commit(
            lambda lab_id=lab_id, codes=codes: send_coverage_gap_notice.delay(lab_id, codes)
        )
    return new
