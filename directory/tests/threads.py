"""Running calls at the same moment, each in its own thread and database connection: the
one helper of every concurrency test (PostgreSQL row locks, SQLite's immediate transactions)."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connection


def run_together(calls, *, returned: tuple[type[BaseException], ...] = ()):
    """Each call in its own thread and connection, all released at the same moment; the
    result of each, or the exception it raised when that is one of ``returned``."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait(timeout=10)
            return call()
        except returned as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        results = list(pool.map(run, calls))
    close_old_connections()
    return results
