"""What a body certifies: product categories and certification projects (Q-05, Q-08, Q-09)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from ..constants import CODE_MAX_LENGTH, NAME_MAX_LENGTH
from ..constants import ProjectState as S
from .fields import protected


class ProductCategory(models.Model):
    """A product category of the body's certification (家用电器, 照明电器 ...): a lead may be
    responsible for whole categories (Q-09)."""

    body = protected(
        "directory.CertificationBody", _("certification body"), related_name="product_categories"
    )
    code = models.CharField(_("code"), max_length=CODE_MAX_LENGTH)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "code"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        constraints = [
            models.UniqueConstraint(fields=["body", "code"], name="product_category_code_per_body")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CertificationProject(FSMModelMixin, models.Model):
    """A certification project (认证项目) of the body: a certification scheme for a kind of
    product, the unit a project quality lead answers for (Q-09) and the director may pause
    (Q-08)."""

    body = protected(
        "directory.CertificationBody", _("certification body"), related_name="projects"
    )
    code = models.CharField(_("code"), max_length=CODE_MAX_LENGTH)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    category = protected(ProductCategory, _("product category"), related_name="projects", null=True)
    state = FSMField(_("state"), default=S.ACTIVE, choices=S.choices, protected=True, db_index=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "code"]
        verbose_name = _("certification project")
        verbose_name_plural = _("certification projects")
        constraints = [
            models.UniqueConstraint(fields=["body", "code"], name="project_code_per_body")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("quality_roles:project_detail", args=[self.pk])

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.ACTIVE, target=S.PAUSED)
    def pause(self, *, at, by=None, description=None):
        """Q-08: a director measure pauses the project."""
        self.paused_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.PAUSED, target=S.ACTIVE)
    def resume(self, *, by=None, description=None):
        self.paused_at = None

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[S.ACTIVE, S.PAUSED], target=S.CLOSED)
    def close(self, *, at, by=None, description=None):
        self.closed_at = at
