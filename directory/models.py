"""Who is who: organisations, people and portal users (P-01..P-04)."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from cqcportal.limits import (
    ADDRESS_MAX_LENGTH,
    BRANCH_NAME_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    LAB_NAME_MAX_LENGTH,
    MAJOR_MAX_LENGTH,
    PERSON_NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    WORK_UNIT_MAX_LENGTH,
)

from .constants import (
    ROLE_SCOPE,
    CertificationFieldCode,
    DepartmentKind,
    Education,
    PoliticalStatus,
    Role,
    Scope,
    Sex,
)
from .idnumbers import mask_account_name, mask_id_number, validate_id_number, validate_uscc
from .validators import validate_person_name


class CertificationField(models.Model):
    """One of the ten CQC certification fields (认证领域); rows made by a migration."""

    code = models.CharField(
        _("code"), primary_key=True, max_length=20, choices=CertificationFieldCode.choices
    )
    position = models.PositiveSmallIntegerField(_("position"), unique=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("certification field")
        verbose_name_plural = _("certification fields")

    def __str__(self) -> str:
        return str(self.get_code_display())


class BranchCentre(models.Model):
    """A regional CQC office (分中心); every lab belongs to exactly one."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(
        _("name"), max_length=100, validators=[MaxLengthValidator(BRANCH_NAME_MAX_LENGTH)]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("branch centre")
        verbose_name_plural = _("branch centres")

    def __str__(self) -> str:
        return self.name


class TestingLab(models.Model):
    """A testing lab contracted with CQC (签约检测机构), with its CQC business scope."""

    name = models.CharField(
        _("name"), max_length=200, validators=[MaxLengthValidator(LAB_NAME_MAX_LENGTH)]
    )
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    branch = models.ForeignKey(
        BranchCentre, on_delete=models.PROTECT, related_name="labs", verbose_name=_("branch centre")
    )
    business_scope = models.ManyToManyField(
        CertificationField, blank=True, related_name="labs", verbose_name=_("business scope")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[business_scope])

    class Meta:
        ordering = ["name"]
        verbose_name = _("testing lab")
        verbose_name_plural = _("testing labs")
        permissions = [("evaluate_lab", _("Can evaluate the liaisons of this lab"))]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A CQC department (培训中心, 质量技术部, 综合业务部, product and inspection depts)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30, choices=DepartmentKind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("CQC department")
        verbose_name_plural = _("CQC departments")

    def __str__(self) -> str:
        return self.name


class CertificationBody(models.Model):
    """A product certification body under the 2026 regulation (CQC is one of many)."""

    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    approval_number = models.CharField(_("approval number"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("certification body")
        verbose_name_plural = _("certification bodies")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """One person, one record, keyed by the resident ID number (P-01).

    Birth date and sex are derived from the ID number; the employment number (P-02) is set
    once, by ``directory.services.employment_numbers_assign`` only.
    """

    id_number = models.CharField(
        _("ID number"), max_length=18, unique=True, validators=[validate_id_number]
    )
    # A person's name is 姓名; an organisation's is 名称.
    name = models.CharField(
        pgettext_lazy("person", "name"),
        max_length=50,
        validators=[validate_person_name, MaxLengthValidator(PERSON_NAME_MAX_LENGTH)],
    )
    birth_date = models.DateField(_("birth date"), editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, editable=False)
    # Tier (b), important data (P-03): locked once first submitted.
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus.choices, blank=True
    )
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    major = models.CharField(
        _("major"), max_length=100, blank=True, validators=[MaxLengthValidator(MAJOR_MAX_LENGTH)]
    )
    important_data_locked_at = models.DateTimeField(
        _("important data locked at"), null=True, blank=True, editable=False
    )
    # Tier (a), self-maintained (P-03).
    phone = models.CharField(
        _("phone"), max_length=30, blank=True, validators=[MaxLengthValidator(PHONE_MAX_LENGTH)]
    )
    email = models.EmailField(
        _("e-mail"), blank=True, validators=[MaxLengthValidator(EMAIL_MAX_LENGTH)]
    )
    work_unit = models.CharField(
        _("work unit"),
        max_length=200,
        blank=True,
        validators=[MaxLengthValidator(WORK_UNIT_MAX_LENGTH)],
    )
    address = models.CharField(
        _("address"),
        max_length=200,
        blank=True,
        validators=[MaxLengthValidator(ADDRESS_MAX_LENGTH)],
    )
    # Where the person works: a lab (liaisons) or a certification body (quality roles).
    lab = models.ForeignKey(
        TestingLab,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("testing lab"),
    )
    body = models.ForeignKey(
        CertificationBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("certification body"),
    )
    employment_number = models.CharField(
        _("employment number"), max_length=12, unique=True, null=True, blank=True, editable=False
    )
    user = models.OneToOneField(
        "directory.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("portal account"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["lab", "name", "id"]), models.Index(fields=["name", "id"])]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class EmploymentNumberCounter(models.Model):
    """The single row from which employment numbers are drawn (P-02), locked per draw."""

    last_value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("employment number counter")

    def __str__(self) -> str:
        return str(self.last_value)


def _role_scope_constraint() -> Q:
    """Each role is bound to exactly the organisation kind it needs, and to no other."""
    scope_fields = {
        Scope.LAB: "lab",
        Scope.BRANCH: "branch",
        Scope.DEPARTMENT: "department",
        Scope.BODY: "body",
    }
    alternatives = Q()
    for role, scope in ROLE_SCOPE.items():
        clause = Q(role=role)
        for kind, field in scope_fields.items():
            clause &= Q(**{f"{field}__isnull": kind != scope})
        alternatives |= clause
    return alternatives


class User(AbstractUser):
    """A portal account. Persons sign in with their ID number, staff with a username."""

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.PERSON)
    lab = models.ForeignKey(
        TestingLab,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("testing lab"),
    )
    branch = models.ForeignKey(
        BranchCentre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("branch centre"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("CQC department"),
    )
    body = models.ForeignKey(
        CertificationBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("certification body"),
    )
    # The language the portal writes to this user in: e-mails go out in it whoever triggers
    # them (issue 10). Set when the user switches language or signs in having chosen one.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # When the new account's set-password link went out (L-08): the task sends it once
    # however often it runs (issue 11).
    account_mail_sent_at = models.DateTimeField(_("account e-mail sent at"), null=True, blank=True)
    # A preference, not a record: its changes are not history.
    history = HistoricalRecords(
        excluded_fields=["password", "last_login", "language", "account_mail_sent_at"]
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(condition=_role_scope_constraint(), name="user_role_scope"),
        ]

    @property
    def scope_name(self) -> str:
        org = self.lab or self.branch or self.department or self.body
        return str(org) if org else ""

    @property
    def display_name(self) -> str:
        """The name the header and the change history show for this account."""
        from .idnumbers import mask_account_name

        # Only a certification person's account stands for a person record (L-08; quality
        # roles' may later): staff pages then cost no query for the header.
        if self.role in (Role.PERSON, Role.QUALITY_DIRECTOR, Role.PROJECT_QUALITY_LEAD):
            person = getattr(self, "person", None)
            if person is not None and person.name:
                return person.name
        # A person's username is their ID number: never shown in full (P-04).
        return self.get_full_name() or mask_account_name(self.get_username())

    @property
    def role_label(self) -> str:
        """What the account is, as the header and the dashboard name it."""
        # A superuser keeps the model's default role (person) but is none (issue 10).
        if self.is_superuser:
            return str(_("System administrator"))
        return str(self.get_role_display())


# Direct-foreign-key object permissions (django-guardian), one pair per organisation model.
class TestingLabUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(TestingLab, on_delete=models.CASCADE)


class TestingLabGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(TestingLab, on_delete=models.CASCADE)


class BranchCentreUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(BranchCentre, on_delete=models.CASCADE)


class BranchCentreGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(BranchCentre, on_delete=models.CASCADE)


class CertificationBodyUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(CertificationBody, on_delete=models.CASCADE)


class CertificationBodyGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(CertificationBody, on_delete=models.CASCADE)


class PersonUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Person, on_delete=models.CASCADE)


class PersonGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Person, on_delete=models.CASCADE)


# --- The sign-in lockout's records (django-axes), as the admin shows them ---------------------
# Proxies of axes' models, so that every place the admin prints a record (lists, titles,
# breadcrumbs, the delete confirmation, the admin's own action log) prints the username
# masked: usernames are ID numbers (P-04, issue 9).


class SignInLockout(AccessAttempt):
    """Failed sign-ins of one account from one address: what locks it, and what is deleted to
    unlock it."""

    class Meta:
        proxy = True
        verbose_name = _("sign-in lockout")
        verbose_name_plural = _("sign-in lockouts")

    def __str__(self):
        return f"{mask_account_name(self.username)} ({self.ip_address})"


class SignInLogEntry(AccessLog):
    """A successful sign-in (and its sign-out)."""

    class Meta:
        proxy = True
        verbose_name = _("sign-in log entry")
        verbose_name_plural = _("sign-in log")

    def __str__(self):
        return f"{mask_account_name(self.username)} @ {self.attempt_time:%Y-%m-%d %H:%M}"


class SignInFailure(AccessFailureLog):
    """One failed sign-in."""

    class Meta:
        proxy = True
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self):
        return f"{mask_account_name(self.username)} @ {self.attempt_time:%Y-%m-%d %H:%M}"
