"""Production: every secret from the environment, no default; HTTPS everywhere.

Passes ``manage.py check --deploy --fail-level WARNING`` with no warning.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from ..client_ip import trusted_networks
from .base import *  # noqa: F403
from .base import database_config, env

DEBUG = False
# Read as it is: django-environ takes a value starting with "$" for the name of another
# variable, and Django's own get_random_secret_key() makes such keys.
try:
    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
except KeyError as missing:
    raise ImproperlyConfigured("Set the DJANGO_SECRET_KEY environment variable") from missing
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": database_config(env("DATABASE_URL"))}

# The reverse proxy: the sign-in lockout keys on the client's address, which only these
# proxies may report in X-Forwarded-For. Required, so that no deployment locks everyone out
# behind one address by omission; set it empty when nothing stands in front of gunicorn.
try:
    PORTAL_TRUSTED_PROXIES = [entry.strip() for entry in env.list("DJANGO_TRUSTED_PROXIES")]
except ImproperlyConfigured as missing:
    raise ImproperlyConfigured(
        "Set the DJANGO_TRUSTED_PROXIES environment variable (the reverse proxy's addresses, "
        "comma-separated; empty if there is none)"
    ) from missing
PORTAL_PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=1)
try:  # a typo stops the start, not the first sign-in
    trusted_networks(tuple(PORTAL_TRUSTED_PROXIES))
except ValueError as wrong:
    raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES: {wrong}") from wrong
# The deciders sign in with a second factor (issue 9); off only by an explicit choice.
SECOND_FACTOR_REQUIRED = env.bool("DJANGO_OTP_REQUIRED", default=True)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
