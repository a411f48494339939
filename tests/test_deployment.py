"""Deployment: production settings pass Django's deploy checks, refuse to start without a
secret key, and docker-compose.yml validates with every service and the uploads volume."""

import os
import secrets
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"


def strong_secret_key() -> str:
    """64 characters from a 94-character alphabet: what check --deploy calls strong."""
    alphabet = string.ascii_letters + string.digits + string.punctuation
    return "".join(secrets.choice(alphabet) for _ in range(64))


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cqcportal.settings.production",
        DJANGO_SECRET_KEY=strong_secret_key(),
        DJANGO_ALLOWED_HOSTS="portal.example.cn",
        DJANGO_TRUSTED_PROXIES="10.0.0.2",
        DATABASE_URL="sqlite:////tmp/x.sqlite3",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_strong_secret_key_helper_satisfies_djangos_rule():
    key = strong_secret_key()
    assert len(key) >= 50 and len(set(key)) >= 5


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "ERRORS" not in output
    assert "no issues" in output


def test_a_secret_key_starting_with_a_dollar_is_taken_as_it_is():
    # Django's get_random_secret_key() can start with "$"; django-environ would read it as
    # the name of another variable and refuse to start.
    env = production_env()
    env["DJANGO_SECRET_KEY"] = "$" + strong_secret_key()[1:]
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_take_the_proxy_from_the_environment():
    # issue 9: the lockout sees each client's address, not the proxy's
    env = production_env(DJANGO_TRUSTED_PROXIES="10.0.0.2, 172.18.0.0/16", DJANGO_PROXY_COUNT="2")
    code = (
        "from django.conf import settings as s; "
        "print(s.PORTAL_TRUSTED_PROXIES, s.PORTAL_PROXY_COUNT, s.AXES_CLIENT_IP_CALLABLE)"
    )
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert "['10.0.0.2', '172.18.0.0/16'] 2 cqcportal.client_ip.client_ip_address" in result.stdout


def test_production_settings_refuse_to_start_without_the_proxy_named():
    env = production_env()
    del env["DJANGO_TRUSTED_PROXIES"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES" in result.stderr
    # Said explicitly empty: no proxy, the connecting address is the client.
    assert manage("check", env=production_env(DJANGO_TRUSTED_PROXIES="")).returncode == 0
    typo = manage("check", env=production_env(DJANGO_TRUSTED_PROXIES="10.0.0.300"))
    assert typo.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES" in typo.stderr


def compose_command() -> list[str] | None:
    """``docker compose`` when the plugin works, else Debian's ``docker-compose``, else None."""
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run(
            [docker, "compose", "version"], capture_output=True, text=True, timeout=30
        )
        if probe.returncode == 0:
            return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


COMPOSE_ENV = {
    "DJANGO_SECRET_KEY": "compose-config-test-" + "k" * 40,
    "DJANGO_ALLOWED_HOSTS": "portal.example.cn",
    "DJANGO_PORTAL_BASE_URL": "https://portal.example.cn",
    "DJANGO_TRUSTED_PROXIES": "172.18.0.1",
    "POSTGRES_PASSWORD": "compose-config-test-password",
}


def run_compose_config(
    command: list[str], env: dict[str, str], env_file: Path
) -> subprocess.CompletedProcess:
    """``config`` with an empty env file, so a stray .env cannot supply what the test removes."""
    return subprocess.run(
        [
            *command,
            "--project-directory",
            str(ROOT),
            "--env-file",
            str(env_file),
            "-f",
            str(COMPOSE_FILE),
            "config",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def compose_base_env() -> dict[str, str]:
    """The caller's environment minus anything the compose file interpolates."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "POSTGRES_", "CELERY_", "GUNICORN_", "WEB_", "CQCPORTAL_")
        )
        and key not in {"DATABASE_URL", "REDIS_URL"}
    }


@pytest.fixture
def compose(tmp_path):
    """Runs ``config`` on docker-compose.yml with the given environment."""
    command = compose_command()
    if command is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    env_file = tmp_path / "empty.env"
    env_file.write_text("")
    return lambda env: run_compose_config(command, env, env_file)


def test_compose_file_validates_with_the_full_stack(compose):
    result = compose({**compose_base_env(), **COMPOSE_ENV})
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)

    services = config["services"]
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    assert "media" in config["volumes"]

    for name in ("web", "worker"):
        mounts = [str(volume) for volume in services[name]["volumes"]]
        assert any("media" in mount and "/data/media" in mount for mount in mounts), mounts

    web_env = services["web"]["environment"]
    assert web_env["DATABASE_URL"] == (
        "postgres://cqcportal:compose-config-test-password@postgres:5432/cqcportal"
    )
    assert web_env["REDIS_URL"] == "redis://redis:6379/0"
    assert web_env["DJANGO_SETTINGS_MODULE"] == "cqcportal.settings.production"
    assert web_env["DJANGO_MEDIA_ROOT"] == "/data/media"
    assert web_env["DJANGO_TRUSTED_PROXIES"] == "172.18.0.1"
    assert web_env["DJANGO_PROXY_COUNT"] == "1"
    assert "gunicorn" in services["web"]["command"]
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])

    # migrate runs first; web, worker and beat wait for it to finish.
    assert "migrate" in services["migrate"]["command"]
    for name in ("web", "worker", "beat"):
        depends_on = services[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully"
        assert depends_on["postgres"]["condition"] == "service_healthy"
        assert depends_on["redis"]["condition"] == "service_healthy"
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]


def test_compose_runs_a_worker_for_every_queue(compose):
    # issue 9: printing stalled the only worker and 262 tasks, e-mails among them, waited.
    from django.conf import settings

    result = compose({**compose_base_env(), **COMPOSE_ENV})
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    queues = {}
    for name, service in services.items():
        command = [str(part) for part in service.get("command") or []]
        if "worker" in command and "celery" in command:
            assert "-Q" in command, f"{name} listens to no named queue"
            for queue in command[command.index("-Q") + 1].split(","):
                queues.setdefault(queue, []).append(name)
            depends_on = service["depends_on"]
            assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed | {settings.CELERY_TASK_DEFAULT_QUEUE} == {"celery", "mail", "print"}
    # One worker each: mail never shares a worker with printing.
    assert queues == {"celery": ["worker"], "mail": ["mail-worker"], "print": ["print-worker"]}


@pytest.mark.parametrize("missing", sorted(COMPOSE_ENV))
def test_compose_file_has_no_default_for_secrets(compose, missing):
    env = {**compose_base_env(), **COMPOSE_ENV}
    del env[missing]
    result = compose(env)
    assert result.returncode != 0
    assert missing in result.stderr
