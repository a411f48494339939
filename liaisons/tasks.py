"""Celery tasks of the liaison capability: thin, idempotent, taking primary keys."""

from celery import shared_task

from directory.models import TestingLab

from . import notifications
from .models import CoverageGap, LiaisonApplication


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_application_notice(application_id: int, event: str) -> int:
    """E-mail whoever must act next on an application (L-07)."""
    application = (
        LiaisonApplication.objects.select_related("lab__branch", "person")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return 0
    return notifications.send_application_notice(application, event)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_application_notices(application_ids: list[int], event: str) -> int:
    """``send_application_notice`` for the applications of one decision (a batch of hires)."""
    applications = LiaisonApplication.objects.select_related("lab__branch", "person").filter(
        pk__in=application_ids
    )
    return sum(
        notifications.send_application_notice(application, event)
        for application in applications.order_by("pk")
    )


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_coverage_gap_notice(lab_id: int, field_codes: list[str]) -> int:
    """E-mail the lab and its branch centre about new gaps (L-06) that are still open."""
    lab = TestingLab.objects.select_related("branch").filter(pk=lab_id).first()
    if lab is None:
        return 0
    still_open = list(
        CoverageGap.objects.filter(lab=lab, field__in=field_codes, closed_at=None).values_list(
            "field_id", flat=True
        )
    )
    if not still_open:
        return 0
    return notifications.send_coverage_gap_notice(lab, still_open)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_change_request_notice(change_request_id: int, event: str) -> int:
    """E-mail whoever must act next on a personal-data change request (P-03)."""
    from .models import ChangeRequest
    from .services.changes import change_request_notice_send

    change_request = (
        ChangeRequest.objects.select_related("person", "branch")
        .filter(pk=change_request_id)
        .first()
    )
    if change_request is None:
        return 0
    return change_request_notice_send(change_request, event)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def generate_application_documents(application_id: int) -> int:
    """Print the application's forms (and hire notice) that are missing or out of date;
    returns how many are stored. Running it again prints nothing new (idempotent)."""
    from .services.documents import application_documents_generate

    return len(application_documents_generate(application_id=application_id))


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def generate_documents_of_applications(application_ids: list[int]) -> int:
    """``generate_application_documents`` for the applications of one decision. A retry after
    a failure part-way prints only what is still missing or out of date."""
    from .services.documents import application_documents_generate

    return sum(len(application_documents_generate(application_id=pk)) for pk in application_ids)
