"""The standalone site's health: the load balancer's check, and the page people see
when the database cannot be reached.

Neither touches personal data, and the error page renders with no database, no
request context and no settings lookups.
"""

import logging
import sys
import time
import uuid

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from .cache import RedisCache

logger = logging.getLogger(__name__)

# How long people and load balancers are asked to wait before trying again (seconds).
RETRY_AFTER = 30


def _database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"unreachable: {type(error).__name__}"
    return "ok"


def _cache():
    """Write and read back a value of this probe's own: a cache that fails open (Redis
    down) reads a miss."""
    value = uuid.uuid4().hex
    key = f"culture_cms:healthz:{value}"
    try:
        cache.set(key, value, 30)
        found = cache.get(key)
        cache.delete(key)
    except Exception as error:  # any backend, any failure: the check reports it, never raises
        return f"unreachable: {type(error).__name__}"
    return "ok" if found == value else "unreachable"


@require_safe
def healthz(request):
    """The load balancer's check: JSON saying what answers.

    503 when the database does not answer, or a cache the pages cannot do without
    (the database cache) fails. While Redis is down the site keeps serving (it fails
    open), so that is 200 "degraded": a load balancer must not take every instance
    out while each of them works.
    """
    started = time.perf_counter()
    checks = {"database": _database(), "cache": _cache()}
    cache_fails_open = isinstance(caches[DEFAULT_CACHE_ALIAS], RedisCache)
    if checks["database"] != "ok" or (checks["cache"] != "ok" and not cache_fails_open):
        status, code = "unavailable", 503
    else:
        status, code = ("ok" if checks["cache"] == "ok" else "degraded"), 200
    response = JsonResponse(
        {
            "status": status,
            **checks,
            "milliseconds": round((time.perf_counter() - started) * 1000, 1),
        },
        status=code,
    )
    add_never_cache_headers(response)
    return response


class DatabaseUnreachableFilter(logging.Filter):
    """Log a request that failed for want of the database in one line, not a traceback.

    While the database is down every request fails the same way: a full traceback
    for each (Django's "Internal Server Error") floods the log collector and says
    nothing the first line does not.
    """

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, OperationalError | InterfaceError):
            record.msg = f"{record.getMessage()}: database unreachable ({type(error).__name__})"
            record.args, record.exc_info, record.exc_text = (), None, None
        return True


def server_error(request):
    """handler500: a 503 page when the database is unreachable, else the 500 page.

    Django calls this while handling the exception, so sys.exc_info() holds it.
    """
    error = sys.exc_info()[1]
    unreachable = isinstance(error, OperationalError | InterfaceError)
    template, status = ("503.html", 503) if unreachable else ("500.html", 500)
    response = HttpResponse(loader.get_template(template).render(), status=status)
    if unreachable:
        response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response
