"""Settings shared by every environment.

With no variable set this is the embedded default: SQLite, Celery tasks run in-process, e-mail
to the console. ``DATABASE_URL``, ``REDIS_URL`` and the ``DJANGO_``-prefixed variables switch
to PostgreSQL (psycopg 3 with Django's connection pool) and Redis (Celery broker and cache).
"""

import os
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

# Not through env(): a key may start with "$", which django-environ reads as a reference.
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "insecure-embedded-default-do-not-use-in-production"
)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "simple_history",
    "django_fsm_log",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "import_export",
    "directory",
    "liaisons",
    "access_audit",
    "quality_roles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view: a NUL byte would reach PostgreSQL and answer 500 (issue 9).
    "cqcportal.middleware.RefuseNulMiddleware",
    # An empty 405 becomes the portal's page (issue 10); after auth, for the layout's user.
    "cqcportal.middleware.MethodNotAllowedPageMiddleware",
    # request.user.is_verified(): whether this session passed the second factor (issue 9).
    "django_otp.middleware.OTPMiddleware",
    # Deciders who must, and anyone with an authenticator, pass the second factor first.
    "directory.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cqcportal.urls"
WSGI_APPLICATION = "cqcportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "directory.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------


def database_config(url: str) -> dict:
    """A DATABASES entry for ``url``: PostgreSQL gets psycopg 3 with Django's connection pool."""
    config = env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Persistent connections are the pool's job, so CONN_MAX_AGE must stay 0.
        config["CONN_MAX_AGE"] = 0
        # Without server-side cursors `.iterator()` (form choices) is one round trip instead
        # of DECLARE/FETCH/CLOSE, and a transaction-mode pooler in front stays possible.
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DJANGO_DB_POOL_MIN", default=2),
            "max_size": env.int("DJANGO_DB_POOL_MAX", default=10),
            "timeout": 10,
        }
    elif config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {}).update(
            # A transaction takes the write lock at BEGIN, so of two decisions at once the
            # second waits (up to `timeout` seconds) and then reads the first's outcome; begun
            # as a reader it could not become a writer and failed with "database is locked".
            transaction_mode="IMMEDIATE",
            timeout=20,
            # WAL: pages are read while a decision is written (runserver serves in threads);
            # NORMAL is WAL's durable-enough setting (a power cut may lose the last commit).
            init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        )
    return config


DATABASES = {
    "default": database_config(env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The review queue's covering index (INCLUDE) is PostgreSQL's; on the embedded default
    # it is a plain index, as intended: no warning at every start of `make run`.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Redis: Celery broker and cache -----------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cqcportal",
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    # Embedded default: tasks run in-process, as if a worker had picked them up at once.
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE: dict = {
    # Replaced materials' files, once the history no longer needs them (docs/decisions.md).
    "purge-replaced-materials": {
        "task": "liaisons.tasks.purge_replaced_materials",
        "schedule": crontab(hour=3, minute=30),
    },
    # The check campaign: accounts that crossed the unused time suggested as left,
    # then the reminders due today (China time), one mail task per lab.
    "campaign-suggestions": {
        "task": "access_audit.tasks.campaigns.refresh_campaign_suggestions",
        "schedule": crontab(hour=2, minute=15),
    },
    "campaign-reminders": {
        "task": "access_audit.tasks.campaigns.send_campaign_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # The deadline job (L-13, A-04): deadlines end at 24:00 China time (A-05; the beat's
    # timezone is Asia/Shanghai), so it runs just after, every day.
    "enforce-deadlines": {
        "task": "access_audit.tasks.enforcement.enforce_deadlines",
        "schedule": crontab(hour=0, minute=5),
    },
    # Withdrawals of login rights the business system has not read in a day (issue 12).
    "flag-unreceived-right-changes": {
        "task": "access_audit.tasks.feed.flag_unreceived_right_changes",
        "schedule": crontab(hour=8, minute=15),
    },
    # a change of the director's details is filed within 30 days; flag what is late.
    "quality-roles-flag-late-filings": {
        "task": "quality_roles.tasks.flag_late_filings",
        "schedule": crontab(hour=1, minute=15),
    },
    # incidents not reported to the regulator within 24 hours, escalated once each.
    "quality-roles-escalate-overdue-incidents": {
        "task": "quality_roles.tasks.escalate_overdue_incidents",
        "schedule": crontab(minute=5),
    },
}
# Every task ends: at the soft limit it is told (SoftTimeLimitExceeded) and stops cleanly, at
# the hard limit its process is killed. Tasks that may do more set longer limits themselves
# (liaisons/tasks.py). A worker stuck on one task for six minutes once held up 262 (issue 9).
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
# Mail and printing each have a queue and a worker (docker-compose.yml): printing never holds
# up mail. Anything else goes to the default queue, "celery".
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "directory.tasks.send_account_created_email": {"queue": "mail"},
    "liaisons.tasks.send_application_notice": {"queue": "mail"},
    "liaisons.tasks.send_application_notices": {"queue": "mail"},
    "liaisons.tasks.send_coverage_gap_notice": {"queue": "mail"},
    "liaisons.tasks.send_transfer_notice": {"queue": "mail"},
    "liaisons.tasks.send_change_request_notice": {"queue": "mail"},
    "access_audit.tasks.campaigns.send_campaign_reminder": {"queue": "mail"},
    "access_audit.tasks.requests.send_login_right_request_notice": {"queue": "mail"},
    "access_audit.tasks.evidence.send_enforcement_notices": {"queue": "mail"},
    "access_audit.tasks.evidence.send_enforcement_notice": {"queue": "mail"},
    "access_audit.tasks.evidence.build_evidence_pack": {"queue": "print"},
    "quality_roles.tasks.send_incident_notice": {"queue": "mail"},
    "quality_roles.tasks.send_incident_escalation_notice": {"queue": "mail"},
    "liaisons.tasks.generate_application_documents": {"queue": "print"},
    "liaisons.tasks.generate_documents_of_applications": {"queue": "print"},
}

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "directory.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "directory.backends.IdNumberOrUsernameBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# django-axes: lock an account after 5 failed sign-ins for 30 minutes; the username and the
# address are locked together so one attacker cannot lock every lab out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# The lockout counts the account the sign-in backend looks up, whatever its spelling: the same
# function for both, so a lower-case x or a space cannot buy fresh tries (issue 9).
AXES_USERNAME_CALLABLE = "directory.backends.axes_username"
# Behind a reverse proxy the client's address comes from X-Forwarded-For, believed only from
# these proxies (addresses or networks) and for at most this many hops; the production
# settings read both from the environment (docs/operations.md). Without a proxy: REMOTE_ADDR.
PORTAL_TRUSTED_PROXIES: list[str] = []
PORTAL_PROXY_COUNT = 0
AXES_CLIENT_IP_CALLABLE = "cqcportal.client_ip.client_ip_address"
# Its admin pages print usernames (ID numbers) in clear; directory.admin has masked ones.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False  # its log lines would carry usernames, which are ID numbers (P-04)

# Second factor (django-otp, issue 9): a TOTP authenticator and single-use recovery codes.
# Required of the deciders (directory.second_factor.is_decider) when this is on: production
# turns it on; the embedded default leaves it optional so `make run` and the demo sign in
# with a password. Whoever has an authenticator passes the second step on any settings.
SECOND_FACTOR_REQUIRED = env.bool("DJANGO_OTP_REQUIRED", default=False)
OTP_TOTP_ISSUER = "CQC"
# Failed codes back off exponentially (1, 2, 4 ... seconds per device); 0 would switch it off.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# django-guardian: direct-foreign-key permission models live in directory.models.
GUARDIAN_USER_OBJ_PERMS_MODEL = "guardian.UserObjectPermission"
ANONYMOUS_USER_NAME = None  # the public roster needs no guardian anonymous user

# --- Sessions and security --------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads are private: never under STATIC_ROOT, never served by a public URL; only through
# views that check the user's scope.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="cqcportal <noreply@cqc.com.cn>")

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Refuses the token of a user who must pass a second factor (docs/decisions.md).
        "directory.api.authentication.SecondFactorAwareTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # JSON bodies only: nested objects and lists have no form encoding, so a form-encoded body
    # was refused with misleading "required" errors; file uploads set their own parsers.
    "DEFAULT_PARSER_CLASSES": ["cqcportal.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # The first refuses a query string holding an ID number (P-04).
    "DEFAULT_FILTER_BACKENDS": [
        "directory.api.filters.NoIdNumbersInQuery",
        "django_filters.rest_framework.DjangoFilterBackend",
    ],
    # Every operation documents its refusals (400, 403, 404, 415) as well (issue 9).
    "DEFAULT_SCHEMA_CLASS": "cqcportal.api_errors.ErrorResponsesAutoSchema",
    # Requests Django refuses as suspicious (too many fields) answer JSON, not an HTML page.
    "EXCEPTION_HANDLER": "cqcportal.api_errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "cqcportal API",
    "DESCRIPTION": "Qualification of CQC certification personnel and certification quality roles.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name ("state", "kind") get one schema component each.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "liaisons.constants.ApplicationState",
        "QualificationStateEnum": "liaisons.constants.QualificationState",
        "MaterialKindEnum": "liaisons.constants.MaterialKind",
        "AssessmentItemKindEnum": "liaisons.constants.AssessmentItemKind",
        "CertificationFieldCodeEnum": "directory.constants.CertificationFieldCode",
        "LoginRightStateEnum": "access_audit.constants.LoginRightState",
    },
}

# The business system's API (access_audit.api): requests per feed client and window, a cap
# against a client gone wrong, above what the business system needs (docs/decisions.md).
#: How long a gunicorn process remembers an active feed token (seconds; 0: never). A client
#: deactivated in the admin is refused at the latest this long after (docs/decisions.md).
BUSINESS_SYSTEM_TOKEN_CACHE_SECONDS = env.int(
    "DJANGO_BUSINESS_SYSTEM_TOKEN_CACHE_SECONDS", default=5
)
BUSINESS_SYSTEM_API_RATES = {
    "eligibility": env("DJANGO_BUSINESS_SYSTEM_ELIGIBILITY_RATE", default="120000/min"),
    "changes": env("DJANGO_BUSINESS_SYSTEM_CHANGES_RATE", default="600/min"),
}

# --- Logging: ID numbers are masked in every log line (P-04) ----------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_id_numbers": {"()": "directory.log_filters.MaskIdNumbersFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_id_numbers"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own defaults give the "django" logger a console handler and mail_admins,
        # neither of which masks: a 500's traceback would print or mail the ID number in
        # clear (P-04). Here it has none of its own and its records reach the root's console.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint logs every step of every print at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

PORTAL_NAME = _("CQC certification personnel portal")
# Where e-mails with links point; the request's host is not trusted for that.
PORTAL_BASE_URL = env("DJANGO_PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# Printable forms (liaisons): printed by a task after commit when an application is
# submitted, changed or hired. The test settings switch it off (tests that look at PDFs
# switch it on), so the rest of the suite does not print.
LIAISON_DOCUMENTS_ON_COMMIT = env.bool("DJANGO_LIAISON_DOCUMENTS_ON_COMMIT", default=True)
