"""Benchmark instrumentation, installed only when RELAIS_BENCH is set (see settings)."""

import threading
import time

from django.db import connections

QUERY_COUNT_HEADER = "X-Relais-Queries"
SERVER_TIME_HEADER = "X-Relais-Server-Ms"


class _Counter:
    """Thread-safe: the statistics' helper threads run their queries through it too
    (relais.stats.parallel)."""

    def __init__(self):
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, execute, sql, params, many, context):
        with self._lock:
            self.count += 1
        return execute(sql, params, many, context)


class QueryCountMiddleware:
    """Adds the number of SQL queries the request made (on every database) and the time
    spent in Django to the response headers. Outermost, so sessions and auth count too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _Counter()
        started = time.perf_counter()
        wrappers = [connection.execute_wrapper(counter) for connection in connections.all()]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response[QUERY_COUNT_HEADER] = str(counter.count)
        response[SERVER_TIME_HEADER] = f"{(time.perf_counter() - started) * 1000:.2f}"
        return response
