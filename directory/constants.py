"""Choices of the directory: certification fields, roles, personal data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationFieldCode(models.TextChoices):
    """The ten CQC certification fields (认证领域), in the order of the seed."""

    CCC = "CCC", _("CCC")
    CQC_MARK = "CQC_MARK", _("CQC mark")
    MARK_ENERGY_WATER = "MARK_ENERGY_WATER", _("Mark: energy and water saving")
    MARK_QUALITY_ENV = "MARK_QUALITY_ENV", _("Mark: quality and environment")
    CB = "CB", _("CB")
    CE = "CE", _("CE")
    ROHS = "ROHS", _("RoHS")
    PSE = "PSE", _("PSE")
    GAP = "GAP", _("GAP")
    ORGANIC = "ORGANIC", _("Organic")


class Role(models.TextChoices):
    """What a portal user does; the scope it is bound to is named in ROLE_SCOPE."""

    PERSON = "person", _("Certification person")
    LAB_STAFF = "lab_staff", _("Lab staff")
    BRANCH_REVIEWER = "branch_reviewer", _("Branch-centre reviewer")
    TRAINING_ADMIN = "training_admin", _("Training-centre administrator")
    QUALITY_TECH_OFFICER = "quality_tech_officer", _("Quality technology dept officer")
    GENERAL_BUSINESS_OFFICER = "general_business_officer", _("General business dept officer")
    DEPARTMENT_EVALUATOR = "department_evaluator", _("Department evaluator")
    BODY_ADMIN = "body_admin", _("Certification-body administrator")
    QUALITY_DIRECTOR = "quality_director", _("Quality director")
    PROJECT_QUALITY_LEAD = "project_quality_lead", _("Project quality lead")
    REGULATOR_INSPECTOR = "regulator_inspector", _("Regulator inspector")


class Scope(models.TextChoices):
    NONE = "", _("none")
    LAB = "lab", _("testing lab")
    BRANCH = "branch", _("branch centre")
    DEPARTMENT = "department", _("CQC department")
    BODY = "body", _("certification body")


#: The one organisation each role is bound to (a user field of that name must be set).
ROLE_SCOPE: dict[str, str] = {
    Role.PERSON: Scope.NONE,
    Role.LAB_STAFF: Scope.LAB,
    Role.BRANCH_REVIEWER: Scope.BRANCH,
    Role.TRAINING_ADMIN: Scope.NONE,
    Role.QUALITY_TECH_OFFICER: Scope.NONE,
    Role.GENERAL_BUSINESS_OFFICER: Scope.NONE,
    Role.DEPARTMENT_EVALUATOR: Scope.DEPARTMENT,
    Role.BODY_ADMIN: Scope.BODY,
    Role.QUALITY_DIRECTOR: Scope.BODY,
    Role.PROJECT_QUALITY_LEAD: Scope.BODY,
    Role.REGULATOR_INSPECTOR: Scope.NONE,
}

#: CQC staff who work across every lab and branch centre.
CQC_WIDE_ROLES = frozenset(
    {Role.TRAINING_ADMIN, Role.QUALITY_TECH_OFFICER, Role.GENERAL_BUSINESS_OFFICER}
)
BODY_ROLES = frozenset({Role.BODY_ADMIN, Role.QUALITY_DIRECTOR, Role.PROJECT_QUALITY_LEAD})


#: Tier (a) of P-03: the person's data they maintain alone, at any time.
SELF_MAINTAINED_FIELDS = ("phone", "email", "work_unit", "address")
#: Tier (b) of P-03, the important data: locked once first submitted; changed only through a
#: request the branch centre checks and the training centre approves.
IMPORTANT_FIELDS = ("name", "political_status", "education", "major")


class DepartmentKind(models.TextChoices):
    TRAINING_CENTRE = "training_centre", _("Training centre")
    QUALITY_TECHNOLOGY = "quality_technology", _("Quality technology dept")
    GENERAL_BUSINESS = "general_business", _("General business dept")
    PRODUCT = "product", _("Product dept")
    FACTORY_INSPECTION = "factory_inspection", _("Factory inspection dept")


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Education(models.TextChoices):
    """Highest education; order matters for eligibility (L-01, Q-03, Q-04)."""

    BELOW_ASSOCIATE = "below_associate", _("Below associate degree")
    ASSOCIATE = "associate", _("Associate degree (大专)")
    BACHELOR = "bachelor", _("Bachelor's degree")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class PoliticalStatus(models.TextChoices):
    CPC_MEMBER = "cpc_member", _("CPC member")
    CPC_PROBATIONARY = "cpc_probationary", _("CPC probationary member")
    CYL_MEMBER = "cyl_member", _("Communist Youth League member")
    DEMOCRATIC_PARTY = "democratic_party", _("Democratic party member")
    MASSES = "masses", _("Ordinary citizen (群众)")
