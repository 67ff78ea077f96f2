"""A limit on signup attempts per IP address and per email address, kept in Django's cache.

Counts are per fixed window of CULTURE_CMS_SIGNUP_RATE_LIMIT["window"] seconds,
so every web process must share one cache (the database cache does). Keys hold
a hash, never the address itself. Counting is not exact under heavy concurrency
on caches whose incr is not atomic: near enough for stopping floods.
"""

import hashlib
import math
import time

from django.core.cache import cache

from culture_cms.conf import setting


def _count(kind, value, window, now):
    """Add one attempt to this window's count for the value; return the count."""
    bucket = int(now // window)
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    key = f"culture_cms:signup-attempts:{kind}:{digest}:{bucket}"
    # Kept until the window ends; touch() again after incr(), which on some
    # backends (the database cache) sets the default timeout.
    timeout = math.ceil((bucket + 1) * window - now) + 1
    cache.add(key, 0, timeout)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout)
        return 1
    cache.touch(key, timeout)
    return count


def retry_after(request, email, now=None):
    """Count one signup attempt; return the seconds to wait if over a limit, else None.

    Every attempt counts, valid or not. The IP address is REMOTE_ADDR: behind a
    reverse proxy, the proxy must set it to the client's address.
    """
    limits = setting("CULTURE_CMS_SIGNUP_RATE_LIMIT")
    window = limits["window"]
    now = time.time() if now is None else now
    over = _count("ip", request.META.get("REMOTE_ADDR", ""), window, now) > limits["per_ip"]
    email = email.strip().lower()
    if email and _count("email", email, window, now) > limits["per_email"]:
        over = True
    if not over:
        return None
    return max(1, math.ceil((int(now // window) + 1) * window - now))
