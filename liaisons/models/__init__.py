"""Models of the liaison capability, one module per part of the liaison's life."""

from .applications import (
    APPLICANT_FIELDS,
    Applicant,
    ApplicationMaterial,
    AssessmentEntry,
    LiaisonApplication,
)
from .changes import ChangeRequest
from .coverage import CoverageGap
from .documents import LiaisonDocument
from .evaluations import Evaluation, EvaluationDecision
from .notices import NoticeSent
from .qualifications import Departure, LiaisonQualification
from .training import TrainingEnrolment, TrainingSession

__all__ = [
    "APPLICANT_FIELDS",
    "Applicant",
    "ApplicationMaterial",
    "AssessmentEntry",
    "ChangeRequest",
    "CoverageGap",
    "Departure",
    "Evaluation",
    "EvaluationDecision",
    "LiaisonApplication",
    "LiaisonDocument",
    "LiaisonQualification",
    "NoticeSent",
    "TrainingEnrolment",
    "TrainingSession",
]
