"""The standalone site's health: the load balancer's check, and the page people see
when the database cannot be reached.

Neither touches personal data, and the error page renders with no database, no
request context and no settings lookups.
"""

import logging
import sys
import time
import uuid

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

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
    """Write and read back a value: a cache that fails open (Redis down) reads a miss."""
    key, value = "culture_cms:healthz", uuid.uuid4().hex
    try:
        cache.set(key, value, 30)
        if cache.get(key) != value:
            return "unreachable"
    except Exception as error:  # any backend, any failure: the check reports it, never raises
        return f"unreachable: {type(error).__name__}"
    return "ok"


@require_safe
def healthz(request):
    """200 when the database and the cache answer, else 503; JSON saying which failed."""
    started = time.perf_counter()
    checks = {"database": _database(), "cache": _cache()}
    healthy = all(result == "ok" for result in checks.values())
    response = JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **checks,
            "milliseconds": round((time.perf_counter() - started) * 1000, 1),
        },
        status=200 if healthy else 503,
    )
    add_never_cache_headers(response)
    return response


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
