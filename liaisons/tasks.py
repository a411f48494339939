"""Celery tasks of the liaison capability: thin, idempotent, taking primary keys.

Mail and printing run on separate queues with their own workers (``CELERY_TASK_ROUTES``), so a
slow print never holds up an e-mail; every task has a soft and a hard time limit (the global
defaults in settings, longer ones below where a task may do more). At the soft limit a task
stops cleanly: it logs what it left undone, and a print batch hands the rest to a new task
(issue 9).
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from directory.models import TestingLab

from . import notifications
from .models import LiaisonApplication
from .selectors import labs_coverage_gaps

log = logging.getLogger(__name__)

#: A batch of prints (one decision's hires) may take a while: a form prints in about a second
#: with its text at the limits (bench/README.md); the remainder is re-queued at the soft limit.
BATCH_PRINT_SOFT_LIMIT = 300
BATCH_PRINT_HARD_LIMIT = 330


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_application_notice(application_id: int, event: str, occurrence: int = 0) -> int:
    """E-mail whoever must act next on an application (L-07); run again (a retry, a second
    delivery) it sends only what was not sent (``NoticeSent``)."""
    application = (
        LiaisonApplication.objects.select_related("lab__branch", "person")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return 0
    try:
        return notifications.send_application_notice(application, event, occurrence=occurrence)
    except SoftTimeLimitExceeded:
        # The mail server hangs: give up on this notice rather than hold the mail worker.
        log.error("notice %s of application %s not sent: time limit", event, application_id)
        return 0


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_application_notices(
    application_ids: list[int], event: str, occurrences: list[int] | None = None
) -> int:
    """``send_application_notice`` for the applications of one decision (a batch of hires).

    A retry after a failure part-way sends only the messages not yet sent (``NoticeSent``)."""
    occurrence_of = dict(
        zip(application_ids, occurrences or [0] * len(application_ids), strict=True)
    )
    applications = LiaisonApplication.objects.select_related("lab__branch", "person").filter(
        pk__in=application_ids
    )
    sent = 0
    try:
        for application in applications.order_by("pk"):
            sent += notifications.send_application_notice(
                application, event, occurrence=occurrence_of.get(application.pk, 0)
            )
    except SoftTimeLimitExceeded:
        # The rest is left to a retry of the whole batch, which skips what went out.
        log.error("notices %s: %d sent, the rest not: time limit", event, sent)
    return sent


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_coverage_gap_notice(lab_id: int, field_codes: list[str]) -> int:
    """E-mail the lab and its branch centre about new gaps (L-06) that are still gaps."""
    lab = TestingLab.objects.select_related("branch").filter(pk=lab_id).first()
    if lab is None:
        return 0
    # Still a gap as the lab page shows it now (issue 10), not as the rows recorded it.
    still_open = [
        code for code in labs_coverage_gaps(lab_ids=[lab_id]).get(lab_id, []) if code in field_codes
    ]
    if not still_open:
        return 0
    try:
        return notifications.send_coverage_gap_notice(lab, still_open)
    except SoftTimeLimitExceeded:
        log.error("coverage gap notice of lab %s not sent: time limit", lab_id)
        return 0


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_transfer_notice(ended_id: int, hired_id: int) -> int:
    """E-mail the lab a liaison left that another lab hired them and their qualification
    there ended (L-12, issue 10)."""
    from .models import LiaisonQualification

    qualifications = LiaisonQualification.objects.select_related("person", "lab").in_bulk(
        [ended_id, hired_id]
    )
    ended, hired = qualifications.get(ended_id), qualifications.get(hired_id)
    if ended is None or hired is None:
        return 0
    try:
        return notifications.send_transfer_notice(ended, hired)
    except SoftTimeLimitExceeded:
        log.error("transfer notice of qualification %s not sent: time limit", ended_id)
        return 0


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_change_request_notice(change_request_id: int, event: str) -> int:
    """E-mail whoever must act next on a personal-data change request (P-03)."""
    from .models import ChangeRequest

    change_request = (
        ChangeRequest.objects.select_related("person", "branch")
        .filter(pk=change_request_id)
        .first()
    )
    if change_request is None:
        return 0
    try:
        return notifications.send_change_request_notice(change_request, event)
    except SoftTimeLimitExceeded:
        log.error("notice %s of change request %s not sent: time limit", event, change_request_id)
        return 0


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def generate_application_documents(application_id: int) -> int:
    """Print the application's forms (and hire notice) that are missing or out of date;
    returns how many are stored. Running it again prints nothing new (idempotent)."""
    from .services.documents import application_documents_generate

    try:
        return len(application_documents_generate(application_id=application_id))
    except SoftTimeLimitExceeded:
        # Its transaction is rolled back; the forms are printed at their first download.
        log.error("forms of application %s not printed: time limit", application_id)
        return 0


@shared_task(
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=BATCH_PRINT_SOFT_LIMIT,
    time_limit=BATCH_PRINT_HARD_LIMIT,
)
def generate_documents_of_applications(application_ids: list[int]) -> int:
    """``generate_application_documents`` for the applications of one decision. A retry after
    a failure part-way prints only what is still missing or out of date."""
    from .services.documents import application_documents_generate

    printed = 0
    for index, pk in enumerate(application_ids):
        try:
            printed += len(application_documents_generate(application_id=pk))
        except SoftTimeLimitExceeded:
            # The rest goes to a new task; the one cut short is left to its first download
            # when it is the first of its batch, so a form that never fits cannot loop.
            rest = application_ids[index:] if index else application_ids[1:]
            log.error("forms of application %s cut short: time limit; %d re-queued", pk, len(rest))
            if rest:
                generate_documents_of_applications.delay(rest)
            break
    return printed


@shared_task(soft_time_limit=540, time_limit=600)
def purge_replaced_materials() -> int:
    """Daily (beat): delete the files of replaced materials the history no longer needs
    (``liaisons.services.retention``); returns how many were deleted."""
    from .services.retention import replaced_materials_purge

    try:
        return len(replaced_materials_purge())
    except SoftTimeLimitExceeded:
        # What is left is deleted by tomorrow's run.
        log.error("purge of replaced materials cut short: time limit")
        return 0
