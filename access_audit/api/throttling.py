"""A rate per feed client: a fixed window counted in the cache (Redis in production).

DRF's own ``SimpleRateThrottle`` keeps every request's time of the window in one cache entry and
rewrites it whole on each request: at the business system's rates (thousands a minute) that is
a list of thousands of floats read, unpickled, pickled and written per request. Here a window
is one counter. On Redis each process adds its requests to it in batches (every
``FLUSH_EVERY`` requests or ``FLUSH_SECONDS``, one round trip): the count a process sees may
miss the other processes' last batch, a few dozen requests against a cap of thousands, and a
round trip per request was a sixth of the endpoint's CPU (bench/README.md). Elsewhere (the
embedded default, tests) the cache's ``incr`` counts each request.
"""

import functools
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import BaseThrottle

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"600/min"`` → (600, 60)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period]


@functools.cache
def _redis_writer(backend: RedisCache):
    # Django's RedisCache builds a new redis-py client object (and its table of ~200 response
    # callbacks) on every call: a fifth of a millisecond of CPU per request. One per process;
    # it is thread-safe, sharing the backend's connection pool (writes all go to the first
    # server, whatever the key).
    return backend._cache.get_client(None, write=True)


FLUSH_EVERY = 25
FLUSH_SECONDS = 0.5
#: key -> [requests not yet added to Redis, the window's count when last added, when]
_batches: dict[str, list] = {}
_batches_lock = threading.Lock()


def _add_to_redis(backend: RedisCache, key: str, count: int, period: int) -> int:
    full_key = backend.make_and_validate_key(key)
    # INCRBY and EXPIRE in one round trip (Django's incr asks EXISTS first: two).
    pipeline = _redis_writer(backend).pipeline(transaction=False)
    pipeline.incrby(full_key, count)
    pipeline.expire(full_key, period + 1, nx=True)
    return pipeline.execute()[0]


def count_hit(key: str, period: int) -> int:
    """Count one request under ``key`` (a window of ``period`` seconds); the count so far."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        now = time.monotonic()
        with _batches_lock:
            batch = _batches.get(key)
            if batch is None:
                if len(_batches) > 1000:  # windows gone by
                    _batches.clear()
                batch = _batches[key] = [0, 0, now]
            batch[0] += 1
            if batch[0] < FLUSH_EVERY and now - batch[2] < FLUSH_SECONDS:
                return batch[1] + batch[0]
            count, batch[0], batch[2] = batch[0], 0, now
        total = _add_to_redis(backend, key, count, period)
        with _batches_lock:
            batch[1] = total
        return total
    try:
        return backend.incr(key)
    except ValueError:  # the window's first request
        return 1 if backend.add(key, 1, timeout=period + 1) else backend.incr(key)


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
        if count_hit(key, period) <= limit:
            return True
        self.retry_after = period - (now % period)
        return False

    def wait(self):
        return self.retry_after
