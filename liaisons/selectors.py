"""Every read of liaison data that a user sees, already cut to that user's scope."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet

from directory.constants import CQC_WIDE_ROLES, Role
from directory.models import CertificationField, Person, TestingLab
from directory.selectors import evaluated_labs

from .constants import (
    OPEN_STATE_VALUES,
    ApplicationState,
    TrainingResult,
)
from .models import (
    APPLICANT_FIELDS,
    ApplicationMaterial,
    ChangeRequest,
    LiaisonApplication,
    LiaisonQualification,
    TrainingEnrolment,
)


def application_list(*, user) -> QuerySet[LiaisonApplication]:
    """Lab staff: their lab's; branch reviewers: their labs' once submitted; the training
    centre: every application that left the lab; a person: their own."""
    applications = LiaisonApplication.objects.select_related("lab__branch", "person")
    if not user.is_authenticated:
        return applications.none()
    if user.is_superuser:
        return applications
    if user.role == Role.LAB_STAFF:
        return applications.filter(lab_id=user.lab_id)
    if user.role == Role.BRANCH_REVIEWER:
        return applications.filter(lab__branch_id=user.branch_id).exclude(
            state=ApplicationState.DRAFT
        )
    if user.role == Role.TRAINING_ADMIN:
        return applications.exclude(state=ApplicationState.DRAFT)
    if user.role == Role.PERSON:
        return applications.filter(person__user=user)
    return applications.none()


def material_list(*, user) -> QuerySet[ApplicationMaterial]:
    """Materials of the applications the user may see, and no others."""
    return ApplicationMaterial.objects.filter(
        application__in=application_list(user=user).values("pk")
    ).select_related("application")


def counting_qualifications(*, now=None) -> QuerySet[LiaisonQualification]:
    """Active qualifications that count as hired at ``now`` (L-13, A-05)."""
    return LiaisonQualification.objects.counting(at=now)


def person_holds_active_qualification(*, person: Person) -> bool:
    return LiaisonQualification.objects.counting().filter(person=person).exists()


def current_qualifications(*, person_ids: Iterable[int]) -> QuerySet[LiaisonQualification]:
    """The people's current qualifications (``LiaisonQualificationQuerySet.current``)."""
    return LiaisonQualification.objects.current().filter(person_id__in=list(person_ids))


def qualification_list(*, user) -> QuerySet[LiaisonQualification]:
    qualifications = LiaisonQualification.objects.select_related("person", "lab__branch")
    if not user.is_authenticated:
        return qualifications.none()
    if user.is_superuser or user.role in CQC_WIDE_ROLES:
        return qualifications
    if user.role == Role.LAB_STAFF:
        return qualifications.filter(lab_id=user.lab_id)
    if user.role == Role.BRANCH_REVIEWER:
        return qualifications.filter(lab__branch_id=user.branch_id)
    if user.role == Role.DEPARTMENT_EVALUATOR:
        return qualifications.filter(lab__in=evaluated_labs(user).values("pk"))
    if user.role == Role.PERSON:
        return qualifications.filter(person__user=user)
    return qualifications.none()


def roster_entries() -> QuerySet[LiaisonQualification]:
    """The public roster (L-11): every qualification hired through the system, and legacy
    ones while they still count (L-13), in any state. Callers show name, employment number,
    lab, fields and state only, never the ID number."""
    return LiaisonQualification.objects.hired()


def change_request_list(*, user) -> QuerySet[ChangeRequest]:
    requests = ChangeRequest.objects.select_related("person", "branch", "qualification")
    if not user.is_authenticated:
        return requests.none()
    if user.is_superuser or user.role == Role.TRAINING_ADMIN:
        return requests
    if user.role == Role.BRANCH_REVIEWER:
        return requests.filter(branch_id=user.branch_id)
    if user.role == Role.LAB_STAFF:
        return requests.filter(person__lab_id=user.lab_id)
    if user.role == Role.PERSON:
        return requests.filter(person__user=user)
    return requests.none()


def persons_passed_entry_training(*, person_ids: Iterable[int]) -> set[int]:
    """L-09: which of these people passed entry training in any session."""
    return set(
        TrainingEnrolment.objects.filter(
            person_id__in=list(person_ids), result=TrainingResult.PASSED
        )
        .order_by()  # the model's order would join the person for the name
        .values_list("person_id", flat=True)
    )


# --- coverage (L-06) -------------------------------------------------------------------------
# One source of truth: a gap is a field of a lab's business scope that no counting
# qualification of the lab holds, computed now. Every reader (the dashboard cards, the lab
# page, the lab list, the API, the gap e-mail) asks these selectors; the ``CoverageGap`` rows
# only record when a gap was opened and announced (docs/decisions.md, issue 10).


def _uncovered_scope(*, lab_ids: list[int] | None = None) -> QuerySet:
    """The (lab, field) rows of the business scope that no counting liaison of the lab covers."""
    covering = LiaisonQualification.objects.counting().filter(
        lab=OuterRef("testinglab_id"), fields=OuterRef("certificationfield_id")
    )
    scope = TestingLab.business_scope.through.objects.all()
    if lab_ids is not None:
        # lab_id IN (...) inside too: PostgreSQL would otherwise hash every counting
        # qualification of the country for the anti-join (66 ms instead of 25 for 50 labs).
        covering = covering.filter(lab_id__in=lab_ids)
        scope = scope.filter(testinglab_id__in=lab_ids)
    return scope.filter(~Exists(covering))


def coverage_gaps(*, lab: TestingLab) -> list[CertificationField]:
    """Fields of the lab's CQC business scope that no counting liaison of the lab covers
    (L-06), in the order of the ten fields."""
    uncovered = _uncovered_scope(lab_ids=[lab.pk]).values("certificationfield_id")
    return list(CertificationField.objects.filter(pk__in=uncovered).order_by("position"))


def labs_coverage_gaps(*, lab_ids: Iterable[int]) -> dict[int, list[str]]:
    """``coverage_gaps`` of several labs in one query: lab id → the codes of its gaps (L-06),
    in the order of the ten fields; a lab without gaps is left out."""
    lab_ids = list(lab_ids)
    gaps: dict[int, list[str]] = {}
    if not lab_ids:
        return gaps
    for lab_id, code in (
        _uncovered_scope(lab_ids=lab_ids)
        .order_by("testinglab_id", "certificationfield__position")
        .values_list("testinglab_id", "certificationfield_id")
    ):
        gaps.setdefault(lab_id, []).append(code)
    return gaps


def labs_with_gaps(*, labs: QuerySet[TestingLab]) -> QuerySet[TestingLab]:
    """Those of ``labs`` with at least one field of their scope uncovered now (L-06)."""
    return labs.filter(pk__in=_uncovered_scope().values("testinglab_id"))


def applicant_record_differences(*, user, application: LiaisonApplication) -> list[dict]:
    """Where the application states the applicant otherwise than the person's record holds
    (P-03), for those who check and decide; nothing for anyone else, the lab included."""
    from . import permissions

    if not permissions.can_compare_with_record(user, application):
        return []
    person = application.person
    differences = []
    for field in APPLICANT_FIELDS:
        stated = getattr(application, f"applicant_{field}")
        recorded = getattr(person, field)
        if stated != recorded:
            model_field = Person._meta.get_field(field)
            display = dict(model_field.flatchoices) if model_field.choices else {}
            differences.append(
                {
                    "label": model_field.verbose_name,
                    "stated": display.get(stated, stated),
                    "recorded": display.get(recorded, recorded),
                }
            )
    return differences


def other_open_applications(*, user, application: LiaisonApplication) -> QuerySet:
    """The person's applications in progress at other labs, for those who check and decide:
    a person represents one lab at a time (issue 9)."""
    from . import permissions

    if not permissions.can_compare_with_record(user, application):
        return LiaisonApplication.objects.none()
    return (
        LiaisonApplication.objects.filter(
            person_id=application.person_id, state__in=list(OPEN_STATE_VALUES)
        )
        .exclude(pk=application.pk)
        .select_related("lab")
        .order_by("created_at", "id")
    )


def qualification_ended_by_hire(*, user, application: LiaisonApplication):
    """The applicant's qualification at another lab that hiring them would end (L-12), for
    those who check and decide; ``None`` for anyone else: a lab must not learn from the portal
    that the person it applies for is known elsewhere (issue 10)."""
    from . import permissions

    if application.state not in OPEN_STATE_VALUES or not permissions.can_compare_with_record(
        user, application
    ):
        return None
    return (
        current_qualifications(person_ids=[application.person_id])
        .exclude(lab_id=application.lab_id)
        .select_related("lab")
        .first()
    )


def qualifications_ended_by_hires(*, user, rows: list[dict]) -> dict[int, str]:
    """``qualification_ended_by_hire`` for a page of application rows (``id``, ``person_id``,
    ``lab_id``, ``state``) in one query: application id → the name of the lab whose
    qualification the hire would end. Nothing for lab staff (issue 10); the rows are already
    cut to the user's scope, so a branch reviewer's are all their own labs'."""
    from . import permissions

    if not permissions.sees_applicants_elsewhere(user):
        return {}
    open_rows = [row for row in rows if row["state"] in OPEN_STATE_VALUES]
    if not open_rows:
        return {}
    current = {
        person_id: (lab_id, lab_name)
        for person_id, lab_id, lab_name in current_qualifications(
            person_ids={row["person_id"] for row in open_rows}
        )
        .order_by()
        .values_list("person_id", "lab_id", "lab__name")
    }
    ended = {}
    for row in open_rows:
        lab_id, lab_name = current.get(row["person_id"], (None, ""))
        if lab_id is not None and lab_id != row["lab_id"]:
            ended[row["id"]] = lab_name
    return ended
