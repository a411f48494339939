"""The director's written advice to the body's management, and the answer (Q-11)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from ..constants import NAME_MAX_LENGTH, AdviceAnswer
from ..constants import AdviceState as S
from .appointments import DirectorAppointment
from .fields import account, limited_text, protected


class DirectorAdvice(FSMModelMixin, models.Model):
    """Advice the director gave management in writing, with management's answer and its date.

    Q-11: advice rejected without a reason marks the director as having done the duty
    (``duty_deemed_done``); no measure may then be taken against the director for it (Q-12).
    """

    body = protected(
        "directory.CertificationBody", _("certification body"), related_name="director_advice"
    )
    director = protected(DirectorAppointment, _("quality director"), related_name="advice")
    subject = models.CharField(_("subject"), max_length=NAME_MAX_LENGTH)
    text = limited_text(_("advice"), blank=False)
    given_on = models.DateField(_("given on"))
    state = FSMField(_("state"), default=S.GIVEN, choices=S.choices, protected=True, db_index=True)
    answer = models.CharField(_("answer"), max_length=20, choices=AdviceAnswer.choices, blank=True)
    answer_text = limited_text(_("management's answer"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    rejection_reason = limited_text(_("reason for the rejection"))
    answer_recorded_at = models.DateTimeField(_("answer recorded at"), null=True, blank=True)
    answer_recorded_by = account(_("answer recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = account(_("recorded by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("director's advice")
        verbose_name_plural = _("director's advice")

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("quality_roles:advice_detail", args=[self.pk])

    @property
    def duty_deemed_done(self) -> bool:
        """Q-11: rejected without a reason."""
        return self.answer == AdviceAnswer.REJECTED and not self.rejection_reason.strip()

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=S.GIVEN, target=S.ANSWERED)
    def record_answer(
        self, *, at, by, answer, answer_text, answered_on, rejection_reason="", description=None
    ):
        self.answer = answer
        self.answer_text = answer_text
        self.answered_on = answered_on
        self.rejection_reason = rejection_reason
        self.answer_recorded_at = at
        self.answer_recorded_by = by
