"""The quality roles' records (the 2026 regulation, Q-01..Q-13), by part: who governs and
works for a body, what it certifies, the appointments to the two key roles, filings,
certificates, incident reports, the director's powers, external labs, advice,
accountability and the regulator's assessments."""

from .accountability import AccountabilityCase, AccountabilityMeasure
from .advice import DirectorAdvice
from .appointments import DirectorAppointment, LeadAppointment
from .assessments import DirectorAssessment
from .catalogue import CertificationProject, ProductCategory
from .certificates import Certificate
from .external_labs import CooperationProposal, ExternalLab, LabCooperation, LabEvaluation
from .filings import Filing
from .governance import BodyGovernance, BodyStaff
from .incidents import IncidentReport
from .powers import DirectorMeasure, RectificationOrder, SpotCheck

__all__ = [
    "AccountabilityCase",
    "AccountabilityMeasure",
    "BodyGovernance",
    "BodyStaff",
    "Certificate",
    "CertificationProject",
    "CooperationProposal",
    "DirectorAdvice",
    "DirectorAppointment",
    "DirectorAssessment",
    "DirectorMeasure",
    "ExternalLab",
    "Filing",
    "IncidentReport",
    "LabCooperation",
    "LabEvaluation",
    "LeadAppointment",
    "ProductCategory",
    "RectificationOrder",
    "SpotCheck",
]
