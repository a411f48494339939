"""Operations: health check, settings of the embedded default, ID numbers kept out of logs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_redis_when_configured(client, settings):
    if not settings.REDIS_URL:
        assert client.get(reverse("healthz")).json()["checks"]["redis"] == "not configured"
    else:
        assert client.get(reverse("healthz")).json()["checks"]["redis"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_when_redis_is_down(client):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("error")


def _run_django(code: str, env_overrides: dict[str, str] | None = None):
    """Run ``code`` after ``django.setup()`` in a fresh interpreter on the local settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "cqcportal.settings.local"
    env.update(env_overrides or {})
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )


def _settings_in_subprocess(env_overrides: dict[str, str], expression: str) -> str:
    code = f"from django.conf import settings as s; print({expression})"
    return _run_django(code, env_overrides).stdout.strip()


def test_embedded_default_needs_no_variable():
    out = _settings_in_subprocess(
        {},
        "s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, "
        "s.DEBUG, s.TIME_ZONE, s.USE_TZ, s.LANGUAGE_CODE",
    )
    assert out == (
        "django.db.backends.sqlite3 True django.core.mail.backends.console.EmailBackend "
        "True Asia/Shanghai True zh-hans"
    )


def test_database_and_redis_urls_switch_to_postgresql_and_redis():
    out = _settings_in_subprocess(
        {"DATABASE_URL": "postgres://u@db:5432/x", "REDIS_URL": "redis://r:6379/0"},
        "s.DATABASES['default']['ENGINE'], bool(s.DATABASES['default']['OPTIONS']['pool']), "
        "s.DATABASES['default']['CONN_MAX_AGE'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, "
        "s.CACHES['default']['BACKEND']",
    )
    assert out == (
        "django.db.backends.postgresql True 0 redis://r:6379/0 False "
        "django.core.cache.backends.redis.RedisCache"
    )


#: Logs one line with an ID number through each logger the portal's code and Django write to,
#: after ``django.setup()`` applied ``settings.LOGGING`` as runserver, gunicorn and the workers
#: do (nothing attached by hand).
LOG_EVERY_WAY = (
    "import logging, sys;"
    "n = '11010519850307006X';"
    "logging.getLogger().warning('root %s', n);"
    "logging.getLogger('directory.services').warning('services %s', n);"
    "logging.getLogger('django.request').error('request /people/?q=%s', n);"
    "logging.getLogger('django.server').info('server GET /people/?q=%s', n);"
    "logging.getLogger('liaisons.tasks').info('task ' + n);"
    "exec('try:\\n raise ValueError(n)\\nexcept ValueError:\\n"
    " logging.getLogger(\\'django\\').exception(\\'traceback\\')');"
    "print('done')"
)


def _assert_logged_masked(result) -> None:
    assert result.stdout.strip() == "done"
    log = result.stderr
    # Every line arrived (a handler that dropped them all would mask nothing and pass).
    for line in (
        "WARNING root root 110105********006X",
        "WARNING directory.services services 110105********006X",
        "ERROR django.request request /people/?q=110105********006X",
        "INFO django.server server GET /people/?q=110105********006X",
        "INFO liaisons.tasks task 110105********006X",
        "ERROR django traceback",
        "ValueError: 110105********006X",
    ):
        assert line in log, line
    assert "11010519850307006X" not in log + result.stdout


def test_id_numbers_never_reach_the_log():  # rule P-04, issue 11
    # issue 11: this test attached the filter to a handler of its own, so it passed whatever
    # settings.LOGGING said; now it logs through the configured handlers.
    _assert_logged_masked(_run_django(LOG_EVERY_WAY))


def test_the_configured_console_handler_masks_id_numbers():  # rule P-04, issue 11
    # issue 11: this only checked a settings entry. The production settings' LOGGING, applied
    # by django.setup() in a fresh interpreter, must write masked lines.
    _assert_logged_masked(
        _run_django(
            LOG_EVERY_WAY,
            {
                "DJANGO_SETTINGS_MODULE": "cqcportal.settings.production",
                "DJANGO_SECRET_KEY": "x" * 50,
                "DJANGO_ALLOWED_HOSTS": "portal.example.cn",
                "DATABASE_URL": "postgres://u@db:5432/x",
                "DJANGO_TRUSTED_PROXIES": "",
            },
        )
    )


def test_celery_workers_keep_the_masking_filter():  # rule P-04
    result = _run_django(
        "import logging; from cqcportal.celery import app; app.log.setup(loglevel='INFO');"
        "logging.getLogger('x').warning('id %s', '11010519850307006X')"
    )
    assert "110105********006X" in result.stderr
    assert "11010519850307006X" not in result.stderr + result.stdout


@pytest.mark.django_db
def test_models_and_migrations_agree():
    # A model change without its migration, or a migration that changes from run to run
    # (a constraint built from a set), would fail here.
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
