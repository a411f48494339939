"""WSGI entry point (gunicorn cqcportal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqcportal.settings.production")

application = get_wsgi_application()
