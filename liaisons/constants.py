"""Choices of the liaison capability: application and qualification states, materials, training."""

import datetime
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

CHINA = ZoneInfo("Asia/Shanghai")

#: L-13: legacy liaisons must be hired again through the system by this date (A-05: 24:00 CST).
MIGRATION_DEADLINE = datetime.date(2011, 8, 30)

#: L-01: at least one year of work experience, counted in calendar years (cqcportal.periods).
MIN_WORK_EXPERIENCE_YEARS = 1

#: Uploads (L-02): at most 10 MB each.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
#: The most pixels an uploaded image may have: an A4 page scanned at 600 dpi has 35 million.
#: Decoding is what costs (4 bytes a pixel), so a header claiming more is refused unread.
MAX_UPLOAD_PIXELS = 50_000_000


def deadline_end(day: datetime.date) -> datetime.datetime:
    """The instant a deadline passes: 24:00 China Standard Time on the named date (A-05)."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), CHINA)


def legacy_counts_at(at: datetime.datetime) -> bool:
    """L-13: whether a legacy liaison not migrated still counts as hired at ``at``: until
    24:00 China Standard Time on the migration deadline (A-05)."""
    return at < deadline_end(MIGRATION_DEADLINE)


class ApplicationState(models.TextChoices):
    """L-07: lab → branch centre → training centre."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the branch centre")
    WITH_BRANCH = "with_branch", _("Being checked by the branch centre")
    RETURNED = "returned", _("Returned to the lab for correction")
    PASSED = "passed", _("Passed to the training centre")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: The states in which each party takes the next step of the flow (L-07), in the order its
#: queue lists them: the lab edits and submits; the branch centre accepts, returns or
#: passes on; the training centre hires or rejects. The transitions are built from these.
LAB_STATES = (ApplicationState.DRAFT, ApplicationState.RETURNED)
BRANCH_STATES = (ApplicationState.SUBMITTED, ApplicationState.WITH_BRANCH)
DECISION_STATES = (ApplicationState.PASSED,)
#: Application states in which the lab may still edit its application.
EDITABLE_STATES = frozenset(LAB_STATES)
#: States before a decision: the lab may withdraw. A tuple, so that the database constraint
#: built from it has one stable order (a set's order changes between runs).
OPEN_STATE_VALUES = ("draft", "submitted", "with_branch", "returned", "passed")


class MaterialKind(models.TextChoices):
    """The five materials of an application (L-02), with their form codes."""

    RECOMMENDATION_FORM = "recommendation_form", _("Recommendation form (CQC/10 管理 01.03)")
    TRAINING_RECORD = "training_record", _("Training assessment record (CQC/10 管理 01.02(09))")
    DECLARATION = (
        "declaration",
        _("Impartiality and confidentiality declaration, hand-signed (CQC/09 管理 01.01)"),
    )
    EDUCATION_CERTIFICATE = "education_certificate", _("Education certificate (copy)")
    ID_CARD = "id_card", _("ID card (copy)")


class AssessmentItemKind(models.TextChoices):
    PRESCRIBED = "prescribed", _("CQC-prescribed item")
    FIELD = "field", _("Business training for a field applied for")


#: L-04: the three items CQC prescribes, always first on the training assessment record.
PRESCRIBED_ITEMS = (
    _("CQC certification personnel management procedure (CQC/10 管理 01)"),
    _("The liaison officer's duties and the business system's network operation"),
    _("Impartiality, confidentiality and integrity requirements"),
)


class QualificationState(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    CANCELLED = "cancelled", _("Cancelled")


#: A qualification the liaison still holds: it may be evaluated, left (L-12) or migrated
#: (L-13); a revoked or cancelled one is over.
CURRENT_QUALIFICATION_STATES = frozenset({QualificationState.ACTIVE, QualificationState.SUSPENDED})


class TrainingMode(models.TextChoices):
    """L-09: how entry training is given."""

    FACE_TO_FACE = "face_to_face", _("Face-to-face")
    REMOTE = "remote", _("Remote")
    SELF_STUDY = "self_study", _("Self-study")


class TrainingResult(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class EvaluationRating(models.TextChoices):
    """L-10: one evaluator's judgement of a liaison's work."""

    GOOD = "good", _("Good")
    ADEQUATE = "adequate", _("Adequate")
    POOR = "poor", _("Poor")


class EvaluationDecisionKind(models.TextChoices):
    """L-10: the training centre's decision on keeping a qualification."""

    KEEP = "keep", _("Keep")
    SUSPEND = "suspend", _("Suspend")
    REVOKE = "revoke", _("Revoke")


class ChangeTier(models.TextChoices):
    """P-03 tiers that need approval; tier (a) is edited by the person directly."""

    IMPORTANT = "important", _("Important personal data (b)")
    QUALIFICATION = "qualification", _("Qualification data (c)")


class ChangeRequestState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted to the branch centre")
    FORWARDED = "forwarded", _("Forwarded to the training centre")
    APPROVED = "approved", _("Approved and applied")
    REJECTED = "rejected", _("Rejected")


class DepartureReason(models.TextChoices):
    TRANSFER = "transfer", _("Transfer")
    RETIREMENT = "retirement", _("Retirement")
    RESIGNATION = "resignation", _("Resignation")
    OTHER = "other", _("Other")


class DepartureOutcome(models.TextChoices):
    """L-12: what happens to the qualification of a liaison who left."""

    SUSPEND = "suspend", _("Suspend the qualification")
    CANCEL = "cancel", _("Cancel the qualification")


class DocumentKind(models.TextChoices):
    """The printable forms of an application (L-02..L-04) and the hire notice (L-11)."""

    RECOMMENDATION = "recommendation", _("Recommendation form (CQC/10 管理 01.03)")
    ASSESSMENT = "assessment", _("Training assessment record (CQC/10 管理 01.02(09))")
    DECLARATION = (
        "declaration",
        _("Impartiality and confidentiality declaration (CQC/09 管理 01.01)"),
    )
    HIRE_NOTICE = "hire_notice", _("Hire notice")


#: The printable forms of every application; the hire notice only once hired.
APPLICATION_DOCUMENTS = (
    DocumentKind.RECOMMENDATION,
    DocumentKind.ASSESSMENT,
    DocumentKind.DECLARATION,
)
#: Documents that carry the ID number: stored twice, in full and masked (P-04).
DOCUMENTS_WITH_ID_NUMBER = frozenset({DocumentKind.RECOMMENDATION})
