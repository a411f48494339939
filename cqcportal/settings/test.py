"""Test settings: whatever DATABASE_URL / REDIS_URL say (PostgreSQL and Redis in CI), the
embedded default otherwise. Tasks always run in-process so a test sees their effect."""

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ""}  # in memory
# Printing a form takes ~0.2 s: only the tests about forms print them (liaisons/tests/
# test_documents.py switches this on).
LIAISON_DOCUMENTS_ON_COMMIT = False

# Every test sees a deactivated feed token refused at once; the cache has its own test.
BUSINESS_SYSTEM_TOKEN_CACHE_SECONDS = 0
