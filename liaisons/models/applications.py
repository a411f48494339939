"""The liaison application (L-02..L-05, L-07) with its materials and training assessment."""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from cqcportal.limits import (
    REASON_MAX_LENGTH,
    RECOMMENDATION_MAX_LENGTH,
    SIGNATORY_MAX_LENGTH,
    TRAINING_EVALUATION_MAX_LENGTH,
    WORK_HISTORY_MAX_LENGTH,
    WORK_HISTORY_MAX_LINES,
    MaxLinesValidator,
)
from directory.constants import (
    IMPORTANT_FIELDS,
    SELF_MAINTAINED_FIELDS,
    Education,
    PoliticalStatus,
    Sex,
)
from directory.idnumbers import birth_date_of, mask_id_number, sex_of
from directory.models import Person
from directory.validators import validate_past_date

from ..constants import (
    BRANCH_STATES,
    DECISION_STATES,
    EDITABLE_STATES,
    LAB_STATES,
    OPEN_STATE_VALUES,
    ApplicationState,
    AssessmentItemKind,
    MaterialKind,
)

S = ApplicationState

#: The applicant's data as the lab typed it for the recommendation form (L-03), by the name of
#: the person's field it mirrors: P-03 tiers (b) and (a), in the form's order.
APPLICANT_FIELDS = (*IMPORTANT_FIELDS, *SELF_MAINTAINED_FIELDS)


class Applicant:
    """The applicant as the application states them: what the lab typed, never the person's
    record (issue 9: a lab sees of a person no more than its recommendation form needs, and
    cannot tell from the answers whether an ID number is on record).

    Reads like a ``Person`` where the recommendation form needs one (templates, rules).
    """

    def __init__(self, application: "LiaisonApplication"):
        self._application = application
        for name in APPLICANT_FIELDS:
            setattr(self, name, getattr(application, f"applicant_{name}"))

    @property
    def id_number(self) -> str:
        # The number the lab typed: the person is found by it (P-01).
        return self._application.person.id_number

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def birth_date(self):
        return birth_date_of(self.id_number)

    @property
    def sex(self) -> str:
        return sex_of(self.id_number)

    @property
    def employment_number(self) -> str | None:
        """Known to the lab once this application hired the person (P-02)."""
        if self._application.state == S.HIRED:
            return self._application.person.employment_number
        return None

    def get_sex_display(self) -> str:
        return str(Sex(self.sex).label)

    def get_education_display(self) -> str:
        return str(Education(self.education).label) if self.education else ""

    def get_political_status_display(self) -> str:
        return str(PoliticalStatus(self.political_status).label) if self.political_status else ""

    def __str__(self) -> str:
        return self.name


def _as_on_record(name: str) -> models.Field:
    """A field of the applicant's stated data, defined once: as the person's record defines
    it (label, length, choices, checks), since it fills the same box of the same form."""
    return Person._meta.get_field(name).clone()


class LiaisonApplication(FSMModelMixin, models.Model):
    """A lab's application to have one person hired as its certification liaison officer.

    The transitions only change fields; ``liaisons.services`` wraps each of them with the
    permission check, the row lock, the audit entry and the e-mail (L-07).
    """

    lab = models.ForeignKey(
        "directory.TestingLab",
        on_delete=models.PROTECT,
        related_name="liaison_applications",
        verbose_name=_("testing lab"),
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="liaison_applications",
        verbose_name=_("applicant"),
    )
    # The applicant's data as the lab states it on the recommendation form (L-03). The person's
    # record is written from it only while the lab keeps that record (a new applicant of its
    # own, before the first submission): see ``liaisons.services.applicants.lab_keeps_record``.
    applicant_name = _as_on_record("name")
    applicant_political_status = _as_on_record("political_status")
    applicant_education = _as_on_record("education")
    applicant_major = _as_on_record("major")
    applicant_phone = _as_on_record("phone")
    applicant_email = _as_on_record("email")
    applicant_work_unit = _as_on_record("work_unit")
    applicant_address = _as_on_record("address")
    fields = models.ManyToManyField(
        "directory.CertificationField",
        related_name="+",
        blank=True,
        verbose_name=_("certification fields applied for"),
    )
    state = FSMField(_("state"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    # L-13: a legacy liaison's hire through the system is a network application flagged so.
    is_migration = models.BooleanField(_("migration of a legacy liaison"), default=False)
    legacy_qualification = models.ForeignKey(
        "liaisons.LiaisonQualification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="migration_applications",
        verbose_name=_("legacy qualification migrated"),
    )
    # The recommendation form's own entries (L-01, L-03).
    work_started_on = models.DateField(
        _("working since"), null=True, blank=True, validators=[validate_past_date]
    )
    work_history = models.TextField(
        _("work history"),
        blank=True,
        max_length=WORK_HISTORY_MAX_LENGTH,
        validators=[
            MaxLengthValidator(WORK_HISTORY_MAX_LENGTH),
            MaxLinesValidator(WORK_HISTORY_MAX_LINES),
        ],
    )
    recommendation = models.TextField(
        _("the lab's recommendation"),
        blank=True,
        max_length=RECOMMENDATION_MAX_LENGTH,
        validators=[MaxLengthValidator(RECOMMENDATION_MAX_LENGTH)],
    )
    lab_signatory = models.CharField(
        _("signed for the lab by"),
        max_length=50,
        blank=True,
        validators=[MaxLengthValidator(SIGNATORY_MAX_LENGTH)],
    )
    declaration_accepted = models.BooleanField(
        _("impartiality and confidentiality declaration accepted"), default=False
    )
    # The reason of the last return or rejection, shown to the lab (L-07).
    reason = models.TextField(
        _("reason"),
        blank=True,
        max_length=REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[fields], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("liaison application")
        verbose_name_plural = _("liaison applications")
        indexes = [
            models.Index(fields=["state", "submitted_at", "id"]),
            # The branch review queue: its labs' applications in a state, oldest first.
            models.Index(
                fields=["lab", "state", "submitted_at", "id"],
                include=["person"],
                name="liaison_app_lab_queue_idx",
            ),
        ]
        constraints = [
            # One open application per person and lab. Not per person alone: a lab must not
            # learn from a refusal that another lab applies for someone (issue 9); the branch
            # and the training centre see both applications and decide.
            models.UniqueConstraint(
                fields=["person", "lab"],
                condition=Q(state__in=list(OPEN_STATE_VALUES)),
                name="liaison_application_one_open_per_person_lab",
            )
        ]

    def __str__(self) -> str:
        return f"{self.applicant_name} · {self.lab}"

    @property
    def applicant(self) -> Applicant:
        return Applicant(self)

    @property
    def is_editable(self) -> bool:
        """The lab may still edit the application, and submit it (L-07)."""
        return self.state in EDITABLE_STATES

    # --- transitions (fields only; see liaisons.services) ---------------------------------
    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=list(LAB_STATES), target=S.SUBMITTED)
    def submit(self, *, at, by=None, description=None):
        self.submitted_at = at
        self.reason = ""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.SUBMITTED, target=S.WITH_BRANCH)
    def accept(self, *, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=list(BRANCH_STATES), target=S.RETURNED)
    def return_to_lab(self, *, reason, by=None, description=None):
        self.reason = reason

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.WITH_BRANCH, target=S.PASSED)
    def pass_to_training(self, *, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=list(DECISION_STATES), target=S.HIRED)
    def hire(self, *, at, by=None, description=None):
        self.decided_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=list(DECISION_STATES), target=S.REJECTED)
    def reject(self, *, reason, at, by=None, description=None):
        self.reason = reason
        self.decided_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=list(OPEN_STATE_VALUES), target=S.WITHDRAWN)
    def withdraw(self, *, by=None, description=None):
        pass


def material_upload_to(instance: "ApplicationMaterial", filename: str) -> str:
    # The stored name never carries the uploaded name (it may hold an ID number, P-04).
    return f"liaisons/materials/{instance.application_id}/{uuid.uuid4().hex}"


class ApplicationMaterial(models.Model):
    """One of the five materials of an application (L-02); the current file per kind."""

    application = models.ForeignKey(
        LiaisonApplication,
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("material"), max_length=30, choices=MaterialKind.choices)
    file = models.FileField(_("file"), upload_to=material_upload_to, max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("uploaded file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "kind"]
        verbose_name = _("application material")
        verbose_name_plural = _("application materials")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"], name="liaison_material_one_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class AssessmentEntry(models.Model):
    """A row of the training assessment record (L-04): three prescribed items, then one per
    field applied for, each evaluated and signed by the lab's responsible person."""

    application = models.ForeignKey(
        LiaisonApplication,
        on_delete=models.CASCADE,
        related_name="assessment_entries",
        verbose_name=_("application"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentItemKind.choices)
    field = models.ForeignKey(
        "directory.CertificationField",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certification field"),
    )
    # The prescribed items' content is the system's own (in the language of the day); what a
    # lab types is held to TRAINING_CONTENT_MAX_LENGTH by assessment_entry_update (issue 9).
    content = models.CharField(_("training content"), max_length=300)
    evaluation = models.CharField(
        _("evaluation"),
        max_length=300,
        blank=True,
        validators=[MaxLengthValidator(TRAINING_EVALUATION_MAX_LENGTH)],
    )
    signatory = models.CharField(
        _("signed by"),
        max_length=50,
        blank=True,
        validators=[MaxLengthValidator(SIGNATORY_MAX_LENGTH)],
    )
    trained_on = models.DateField(
        _("trained on"), null=True, blank=True, validators=[validate_past_date]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "position"]
        verbose_name = _("training assessment entry")
        verbose_name_plural = _("training assessment entries")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "position"], name="liaison_assessment_position_unique"
            ),
            models.UniqueConstraint(
                fields=["application", "field"],
                condition=Q(field__isnull=False),
                name="liaison_assessment_one_per_field",
            ),
        ]

    def __str__(self) -> str:
        return self.content
