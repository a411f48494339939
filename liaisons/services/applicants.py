"""What an application does to the person's record (P-01, P-03).

The application states the applicant's data as the lab typed it. The person's record follows
it only while nobody has vouched for the record (``lab_keeps_record``); otherwise the branch
centre checks the data against the materials, and a change of the record goes through a change
request (issue 9).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Person, TestingLab, User
from directory.services import IMPORTANT_FIELDS, person_create

from ..models import APPLICANT_FIELDS, LiaisonApplication, LiaisonQualification


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


def applicant_data(name: str | None, person_data: dict | None) -> dict:
    data = dict(person_data or {})
    if name is not None:
        data["name"] = name
    unknown = set(data) - set(APPLICANT_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields {sorted(unknown)}")
    return {field: (value or "").strip() for field, value in data.items()}


def state_applicant(application: LiaisonApplication, data: dict) -> list[str]:
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


def record_from_application(application: LiaisonApplication, *, actor: User) -> None:
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


def person_for_number(number: str, *, name: str, lab: TestingLab, actor: User) -> Person:
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


def record_vouched_by_branch(application: LiaisonApplication, *, actor: User) -> None:
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
