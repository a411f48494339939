"""Choices and limits of the quality roles (Q-01..Q-13, the 2026 regulation)."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- length limits of the free text (issue 9: every text has one) ---------------------------
#: A job title (职务), a project's or category's name, a lab's name: one line of a list.
TITLE_MAX_LENGTH = 100
NAME_MAX_LENGTH = 200
CODE_MAX_LENGTH = 40
#: A certificate number as the certification bodies print them (2026010701000001, CQC...).
CERTIFICATE_NUMBER_MAX_LENGTH = 40
#: A product as named on a certificate (name, model, specification).
PRODUCT_MAX_LENGTH = 300
#: The regulator's reference of a filing or report (报备编号).
REFERENCE_MAX_LENGTH = 60
#: Findings, actions, advice, investigations: a few paragraphs on screen.
TEXT_MAX_LENGTH = 4000

#: Q-06: the director's details the body files with the regulator, by key: a change of any of
#: them is filed within 30 days. The person's own (P-01) and the staff member's.
DIRECTOR_DETAILS = {
    "name": _("name"),
    "education": _("education"),
    "major": _("major"),
    "phone": _("phone"),
    "email": _("e-mail"),
    "position": _("post in the body"),
    "title_level": _("professional title"),
    "is_top_management": _("member of top management"),
    "is_management_representative": _("management representative"),
    "is_quality_manager": _("quality manager"),
}

# --- Q-06, Q-07 -----------------------------------------------------------------------------
#: Q-06: a change of the director's details is filed within 30 days.
FILING_DAYS = 30
#: Q-07: the director reports to the regulator within 24 hours of learning of the event.
INCIDENT_REPORT_WITHIN = datetime.timedelta(hours=24)


class TitleLevel(models.TextChoices):
    """A professional title's level (职称); intermediate or higher stands in for professional
    years (Q-03, Q-04)."""

    NONE = "none", _("No title")
    JUNIOR = "junior", _("Junior title (初级)")
    INTERMEDIATE = "intermediate", _("Intermediate title (中级)")
    SENIOR = "senior", _("Senior title (高级)")


#: Q-03, Q-04: an intermediate (中级) or higher title replaces the professional years.
QUALIFYING_TITLES = frozenset({TitleLevel.INTERMEDIATE, TitleLevel.SENIOR})


class KeyRole(models.TextChoices):
    """The two key certification-quality roles of the regulation (两类关键认证质量人员)."""

    DIRECTOR = "director", _("Quality director")
    LEAD = "lead", _("Project quality lead")


class DirectorAppointmentState(models.TextChoices):
    """Q-01, Q-02, Q-06: nominated → authorised → filed with the regulator → active → ended."""

    NOMINATED = "nominated", _("Nominated")
    AUTHORISED = "authorised", _("Authorised")
    FILED = "filed", _("Filed with the regulator")
    ACTIVE = "active", _("In office")
    ENDED = "ended", _("Ended")
    #: A nomination that never took office (refused at a step, or the candidate declined).
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: Director appointments on their way to office: a person has at most one.
DIRECTOR_OPEN_STATES = ("nominated", "authorised", "filed")


class AuthoriserCapacity(models.TextChoices):
    """Q-02: who authorises the director."""

    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    ACTUAL_CONTROLLER = "actual_controller", _("Actual controller")


class LeadAppointmentState(models.TextChoices):
    """Q-09: nominated by the director, appointed by the body, ended."""

    NOMINATED = "nominated", _("Nominated by the director")
    ACTIVE = "active", _("In office")
    ENDED = "ended", _("Ended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: Lead appointments nominated or in office: a person holds at most one.
LEAD_CURRENT_STATES = ("nominated", "active")


class FilingKind(models.TextChoices):
    """Q-06: what the body filed with the regulator's approval system."""

    APPOINTMENT = "appointment", _("Director appointed")
    CHANGE = "change", _("Change of the director's details")


class ProjectState(models.TextChoices):
    ACTIVE = "active", _("Active")
    #: Q-08: the director paused it (a director measure).
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Project closed")


class CertificateState(models.TextChoices):
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class IncidentKind(models.TextChoices):
    """Q-07, with the regulation's definitions (art. 17 (二)-(四))."""

    QUALITY_PROBLEM = "quality_problem", _("Major certification-quality problem")
    PRODUCT_ACCIDENT = "product_accident", _("Major quality accident of a certified product")
    PUBLIC_OPINION = "public_opinion", _("Major public-opinion event")


class IncidentHistoryReason(models.TextChoices):
    """Q-07: what the system wrote in an incident's history, stored as the code and shown in
    the reader's language (registered with the timeline when the app is ready)."""

    ESCALATED = (
        "q07-escalated",
        _("Q-07: not reported to the regulator within 24 hours of learning of it: escalated."),
    )
    DIRECTOR_NOTIFIED = (
        "q07-director-notified",
        _("Q-07: the quality director was notified of the report by e-mail."),
    )
    ADMINS_NOTIFIED = (
        "q07-admins-notified",
        _(
            "Q-07: no quality director in office; the body's administrators were notified of the "
            "report by e-mail."
        ),
    )
    ESCALATION_NOTIFIED = "q07-escalation-notified", _("Q-07: the escalation was e-mailed.")
    NOBODY_NOTIFIED = (
        "q07-nobody-notified",
        _("Q-07: nobody could be notified by e-mail: no address on file."),
    )


class IncidentState(models.TextChoices):
    #: With the director (a lead's report reaches the director at once), not yet reported.
    OPEN = "open", _("Open: not yet reported to the regulator")
    REPORTED = "reported", _("Reported to the regulator")
    CLOSED = "closed", _("Incident closed")


class RectificationSource(models.TextChoices):
    """Where a rectification order comes from: a director's spot check (Q-08) or a failed
    assessment by the regulator (Q-13)."""

    SPOT_CHECK = "spot_check", _("Spot check by the director")
    ASSESSMENT = "assessment", _("Failed assessment by the regulator")


class RectificationState(models.TextChoices):
    OPEN = "open", _("Open: actions to take")
    #: The owner reports the actions done; the effectiveness is checked.
    CHECKING = "checking", _("Effectiveness being checked")
    CLOSED = "closed", _("Closed: effective")


class MeasureKind(models.TextChoices):
    """Q-08: what the director may do without further management approval."""

    PAUSE_PROJECT = "pause_project", _("Pause a certification project")
    SUSPEND_CERTIFICATE = "suspend_certificate", _("Suspend the use of a certificate")
    SUSPEND_ACTIVITIES = "suspend_activities", _("Suspend the body's certification activities")


class MeasureState(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    LIFTED = "lifted", _("Lifted")


class CooperationState(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class LabEvaluationResult(models.TextChoices):
    """Q-10: a lead's review of an external testing lab."""

    SATISFACTORY = "satisfactory", _("Meets the requirements")
    NEEDS_IMPROVEMENT = "needs_improvement", _("Needs improvement")
    UNSATISFACTORY = "unsatisfactory", _("Does not meet the requirements")


class ProposalAction(models.TextChoices):
    PAUSE = "pause", _("Pause the cooperation")
    END = "end", _("End the cooperation")
    #: Only of a paused cooperation; an ended one stays ended.
    RESUME = "resume", _("Resume the cooperation")


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed to the director")
    APPROVED = "approved", _("Approved by the director")
    REJECTED = "rejected", _("Rejected by the director")


class AdviceState(models.TextChoices):
    GIVEN = "given", _("Given, awaiting the answer")
    ANSWERED = "answered", _("Answered")


class AdviceAnswer(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class AccountabilityGround(models.TextChoices):
    """The situations art. 15 names for accountability measures."""

    DUTY_NOT_PERFORMED = "duty_not_performed", _("Duties of the post not performed")
    NEGLIGENCE = "negligence", _("Negligence: a procedure omitted or a result untrue")
    LATE_OR_CONCEALED_REPORT = (
        "late_or_concealed_report",
        _("A major accident of a certified product reported late or concealed"),
    )
    EXTERNAL_RESOURCES = (
        "external_resources",
        _("External resources used against the rules, or not supervised"),
    )
    FRAUD = "fraud", _("Fraud of the certified organisation ignored or joined")
    INSPECTION_FINDING = "inspection_finding", _("Other serious problem found by an inspection")
    OTHER = "other", _("Other breach of the rules")


class CaseState(models.TextChoices):
    """Q-12: permissions suspended first, then the investigation, then the decision."""

    OPEN = "open", _("Permissions suspended, under investigation")
    INVESTIGATED = "investigated", _("Investigated")
    CLOSED = "closed", _("Case closed")


class AccountabilityMeasureKind(models.TextChoices):
    """Q-12: the measures of art. 15."""

    WARNING = "warning", _("Warning")
    CIRCULATED_CRITICISM = "circulated_criticism", _("Circulated criticism")
    SUSPENSION = "suspension", _("Suspension of the permissions of the post")
    TRANSFER = "transfer", _("Transfer to another post")
    DEMOTION = "demotion", _("Demotion")
    REMOVAL = "removal", _("Removal from the post")
    DISMISSAL = "dismissal", _("Dismissal")
    PAY_DEDUCTION = "pay_deduction", _("Pay deduction")


class AssessmentResult(models.TextChoices):
    """Q-13: the regulator's assessment of a director."""

    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
