"""The Celery app: Redis as broker when REDIS_URL is set, tasks in-process otherwise."""

import logging.config
import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqcportal.settings.local")

app = Celery("cqcportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**kwargs) -> None:
    """Workers and beat log through Django's LOGGING, so ID numbers stay masked (P-04).

    Without this receiver Celery replaces the root handlers with its own, and the masking
    filter with them.
    """
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
