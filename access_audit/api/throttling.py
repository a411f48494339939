"""A rate per feed client: a fixed window counted in the cache (Redis in production).

DRF's own ``SimpleRateThrottle`` keeps every request's time of the window in one cache entry and
rewrites it whole on each request: at the business system's rates (thousands a minute) that is
a list of thousands of floats read, unpickled, pickled and written per request. A counter per
window costs one increment.
"""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"600/min"`` → (600, 60)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period]


class FeedClientRateThrottle(BaseThrottle):
    """At most ``BUSINESS_SYSTEM_API_RATES[scope]`` requests of one client per window; past it,
    429 with ``Retry-After`` until the window ends. A cap against a client gone wrong (a retry
    loop), not a quota: set above what the business system needs (docs/decisions.md)."""

    def __init__(self):
        self.retry_after = None

    def allow_request(self, request, view):
        client = request.auth
        if client is None:
            return True  # not authenticated: refused before throttling matters
        limit, period = parse_rate(settings.BUSINESS_SYSTEM_API_RATES[view.throttle_scope])
        now = time.time()
        window = int(now // period)
        key = f"access_audit:rate:{view.throttle_scope}:{client.pk}:{window}"
        try:
            count = cache.incr(key)
        except ValueError:  # the window's first request
            count = 1 if cache.add(key, 1, timeout=period + 1) else cache.incr(key)
        if count <= limit:
            return True
        self.retry_after = period - (now % period)
        return False

    def wait(self):
        return self.retry_after
