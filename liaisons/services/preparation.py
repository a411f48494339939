"""The lab prepares an application while it is a draft or returned (L-07): starts it for a
person, known or new (P-01), and fills in the recommendation form (L-03), the fields applied
for (L-05), the training assessment record (L-04) and the materials (L-02).

What the application does to the person's record is ``liaisons.services.applicants``; its
way on from the lab, ``liaisons.services.applications``.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cqcportal.limits import TRAINING_CONTENT_MAX_LENGTH
from directory.models import CertificationField, Person, TestingLab, User

from .. import permissions
from ..constants import OPEN_STATE_VALUES, PRESCRIBED_ITEMS, AssessmentItemKind, MaterialKind
from ..models import (
    APPLICANT_FIELDS,
    ApplicationMaterial,
    AssessmentEntry,
    LiaisonApplication,
    LiaisonQualification,
)
from ..uploads import check_upload, material_display_name
from ._common import locked_applications, require
from .applicants import applicant_data, person_for_number, record_from_application, state_applicant
from .documents import schedule_documents

#: What the recommendation form holds beyond the person's own data (L-01, L-03).
RECOMMENDATION_FIELDS = ("work_started_on", "work_history", "recommendation", "lab_signatory")


def _lock(application: LiaisonApplication) -> LiaisonApplication:
    """The application's row, locked for the rest of the transaction, as it is now."""
    return locked_applications().get(pk=application.pk)


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
    require(permissions.can_prepare_for_lab(actor, lab))
    unknown = set(recommendation) - set(RECOMMENDATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown application fields {sorted(unknown)}")
    from directory.idnumbers import validate_id_number

    number = validate_id_number(id_number)
    data = applicant_data(name, person_data)
    if not data["name"]:
        raise ValidationError({"name": _("This field is required.")}, code="required")
    person = person_for_number(number, name=data["name"], lab=lab, actor=actor)
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
    state_applicant(application, {k: v for k, v in data.items() if v or k == "name"})
    _full_clean(application)
    application._history_user = actor
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # Another start for this person at this lab committed a moment ago.
        raise _already_open() from None
    record_from_application(application, actor=actor)
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
    require(permissions.can_prepare_for_lab(actor, application.lab))
    if not application.is_editable:
        raise ValidationError(
            _("Only a draft or a returned application can be changed."), code="not_editable"
        )
    unknown = set(recommendation) - set(RECOMMENDATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown application fields {sorted(unknown)}")
    if person_data:
        state_applicant(application, applicant_data(None, person_data))
    for field, value in recommendation.items():
        setattr(application, field, value.strip() if isinstance(value, str) else value)
    if declaration_accepted is not None:
        application.declaration_accepted = declaration_accepted
    _full_clean(application)
    application._history_user = actor
    application.save()
    record_from_application(application, actor=actor)
    if fields is not None:
        _set_fields(application, fields)
    schedule_documents(application)
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
    require(permissions.can_edit_application(actor, application))
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
    schedule_documents(application)
    return entry


@transaction.atomic
def material_upload(
    *, application: LiaisonApplication, kind: str, upload: UploadedFile, actor: User
) -> ApplicationMaterial:
    """Store one of the five materials (L-02), checked by content; replaces that kind's file."""
    application = _lock(application)
    require(permissions.can_edit_application(actor, application))
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
