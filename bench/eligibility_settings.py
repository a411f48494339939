"""Settings of the eligibility benchmark's gunicorn: production's, as deployed (DEBUG off, the
whole middleware stack, the connection pool, Redis as cache when REDIS_URL is set), plus the
bare view's URL (``bench.urls``). ``bench/eligibility.py`` sets the variables production needs."""

from cqcportal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
