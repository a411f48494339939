"""Printable forms of an application, generated as PDF (L-02..L-04, L-11)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import DocumentKind


def document_upload_to(instance: "LiaisonDocument", filename: str) -> str:
    # A random name: never the person's name or ID number (P-04).
    return f"liaisons/documents/{instance.application_id}/{uuid.uuid4().hex}.pdf"


class LiaisonDocument(models.Model):
    """One generated form of an application, as last printed.

    ``fingerprint`` is the SHA-256 of the HTML the PDF was printed from: the same data give
    the same HTML, so a form is printed again only when what it shows has changed. A form
    that carries the ID number is stored twice, in full and masked (P-04).
    """

    application = models.ForeignKey(
        "liaisons.LiaisonApplication",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("application"),
    )
    qualification = models.ForeignKey(
        "liaisons.LiaisonQualification",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("qualification"),
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    full_id_number = models.BooleanField(_("shows the full ID number"), default=False)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    fingerprint = models.CharField(_("fingerprint of the printed HTML"), max_length=64)
    generated_at = models.DateTimeField(_("generated at"))

    class Meta:
        ordering = ["application", "kind", "full_id_number"]
        verbose_name = _("printable form")
        verbose_name_plural = _("printable forms")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "full_id_number"],
                name="liaison_document_one_per_variant",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
