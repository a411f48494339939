"""What the application notices sent (L-07): a retried task sends nothing twice (issue 11)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeSent(models.Model):
    """One message of an application's notice that went out: to the person alone, or to
    the recipients reading one language (``cqcportal.mail.send_in_their_language``).

    ``occurrence`` is the state-log row of the transition the notice tells of, so an
    application returned twice is told of twice, and a task run again for one return is not.
    """

    application = models.ForeignKey(
        "liaisons.LiaisonApplication",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("application"),
    )
    event = models.CharField(_("event"), max_length=20)
    occurrence = models.PositiveBigIntegerField(_("occurrence"), default=0)
    part = models.CharField(_("message"), max_length=20)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice sent")
        verbose_name_plural = _("notices sent")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "event", "occurrence", "part"],
                name="notice_sent_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.event} · {self.part}"
