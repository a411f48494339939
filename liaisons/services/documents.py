"""Printing and storing the forms of an application (L-02..L-04) and its hire notice.

A stored form is printed again only when the HTML it comes from changed (its fingerprint),
so generating twice stores one file; a download checks the fingerprint too, so a form is
never older than the data it shows, whatever changed them (a change request included).
The PDF is printed outside any transaction; only the short write of the row is locked.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import documents
from ..constants import APPLICATION_DOCUMENTS, ApplicationState, DocumentKind
from ..models import LiaisonApplication, LiaisonDocument, LiaisonQualification


def schedule_documents(*applications: LiaisonApplication) -> None:
    """Generate the applications' forms after commit, as one task (``LIAISON_DOCUMENTS_ON_COMMIT``;
    the test settings switch it off so tests that do not look at PDFs do not print them)."""
    if not settings.LIAISON_DOCUMENTS_ON_COMMIT or not applications:
        return
    from ..tasks import generate_application_documents, generate_documents_of_applications

    pks = [application.pk for application in applications]
    if len(pks) == 1:
        transaction.on_commit(lambda: generate_application_documents.delay(pks[0]))
    else:
        # A decision of many hires: one message, not one per applicant (bench/README.md).
        transaction.on_commit(lambda: generate_documents_of_applications.delay(pks))


def document_kinds(application: LiaisonApplication) -> list[str]:
    """The forms an application has: the three of L-02 always, the hire notice once hired."""
    kinds = list(APPLICATION_DOCUMENTS)
    if application.state == ApplicationState.HIRED:
        kinds.append(DocumentKind.HIRE_NOTICE)
    return kinds


def _variants(kind: str) -> tuple[bool, ...]:
    # A form with the ID number is kept in full and masked (P-04); the others once.
    return (True, False) if documents.carries_id_number(kind) else (False,)


def document_ensure(
    *, application: LiaisonApplication, kind: str, full_id_number: bool = False
) -> LiaisonDocument:
    """The stored form, printed now if it is missing, its file lost, or its data changed."""
    full_id_number = full_id_number and documents.carries_id_number(kind)
    rendered = documents.application_document(application, kind, full_id_number=full_id_number)
    stored = LiaisonDocument.objects.filter(
        application=application, kind=kind, full_id_number=full_id_number
    ).first()
    if stored is not None and stored.fingerprint == rendered.fingerprint and _exists(stored):
        return stored
    pdf = rendered.pdf()
    try:
        return _store(application, kind, full_id_number, rendered.fingerprint, pdf)
    except IntegrityError:
        # Two first prints at once: the other one stored its row first; it shows the same.
        return LiaisonDocument.objects.get(
            application=application, kind=kind, full_id_number=full_id_number
        )


def _store(
    application: LiaisonApplication, kind: str, full_id_number: bool, fingerprint: str, pdf: bytes
) -> LiaisonDocument:
    """Write the printed form in place of the stored one, under the row's lock."""
    with transaction.atomic():
        stored = (
            LiaisonDocument.objects.select_for_update()
            .filter(application=application, kind=kind, full_id_number=full_id_number)
            .first()
        )
        if stored is not None and stored.fingerprint == fingerprint and _exists(stored):
            return stored  # printed by someone else a moment ago
        old_name = stored.file.name if stored is not None else ""
        if stored is None:
            stored = LiaisonDocument(
                application=application, kind=kind, full_id_number=full_id_number
            )
        if kind == DocumentKind.HIRE_NOTICE:
            stored.qualification = LiaisonQualification.objects.get(application=application)
        stored.fingerprint = fingerprint
        stored.size = len(pdf)
        stored.generated_at = timezone.now()
        stored.file.save("form.pdf", ContentFile(pdf), save=False)
        new_name = stored.file.name
        storage = stored.file.storage
        try:  # a row that cannot be written leaves no file behind
            stored.save()
        except IntegrityError:
            storage.delete(new_name)
            raise
        if old_name:
            # The old print is derived data: removed once the new one is in place.
            transaction.on_commit(lambda: storage.delete(old_name))
    return stored


def _exists(stored: LiaisonDocument) -> bool:
    return bool(stored.file.name) and stored.file.storage.exists(stored.file.name)


def application_documents_generate(*, application_id: int) -> list[LiaisonDocument]:
    """Every form of the application, each printed only if it changed (idempotent)."""
    application = (
        LiaisonApplication.objects.select_related("lab__branch", "person")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return []
    return [
        document_ensure(application=application, kind=kind, full_id_number=variant)
        for kind in document_kinds(application)
        for variant in _variants(kind)
    ]
