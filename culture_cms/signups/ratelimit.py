"""Limits on signups, per client address and per email address, kept in Django's cache.

- Per client address: every signup attempt counts (CULTURE_CMS_SIGNUP_RATE_LIMIT
  "per_ip" per "window" seconds). Behind a reverse proxy the client is worked out
  from X-Forwarded-For (client_address), so each member of staff has a limit of
  their own, not one for the whole trust.
- Per email address: only accepted bookings count ("per_email" per window). A
  refused, invalid or repeated attempt never counts against an address, so
  nobody can lock a colleague out by typing their address; what the limit stops
  is one inbox being sent a run of confirmations.

Counts are per fixed window, so every web process must share one cache: Redis, or
the database cache. They need an add() that creates a key only once and an atomic
incr(): Redis, Memcached and culture_cms.cache.DatabaseCache have both (Django's
own database cache counts twice at once as one). Keys hold a hash, never the
address. If the cache cannot count (Redis down), the limits let everyone through.
"""

import hashlib
import ipaddress
import math
import time

from django.core.cache import cache

from culture_cms.conf import setting


def _networks():
    value = setting("CULTURE_CMS_TRUSTED_PROXIES")
    items = value.split(",") if isinstance(value, str) else value
    return [ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip()]


def _trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request):
    """The address of the person making the request.

    REMOTE_ADDR, unless it is one of CULTURE_CMS_TRUSTED_PROXIES: then the
    right-most address in X-Forwarded-For that is not a trusted proxy (entries to
    its left could have been written by anyone), or the left-most if all are.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks()
    if not networks or not _trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else remote


def _key(kind, value, window, now):
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"culture_cms:signup-limit:{kind}:{digest}:{int(now // window)}"


def _seconds_left(window, now):
    return max(1, math.ceil((int(now // window) + 1) * window - now))


def _count(key, timeout):
    """Add one to the key's count, made if missing to expire with the window; the count."""
    try:
        return cache.incr(key)
    except ValueError:
        pass
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)  # another process made it first
    except ValueError:  # gone already, or the cache cannot count: let the attempt through
        return 1


def _limits(now):
    limits = setting("CULTURE_CMS_SIGNUP_RATE_LIMIT")
    now = time.time() if now is None else now
    return limits, limits["window"], now


def attempt_retry_after(request, now=None):
    """Count one signup attempt from this client; the seconds to wait if over the
    limit, else None."""
    limits, window, now = _limits(now)
    key = _key("client", client_address(request), window, now)
    if _count(key, _seconds_left(window, now) + 1) > limits["per_ip"]:
        return _seconds_left(window, now)
    return None


def _email(email):
    return email.strip().lower()


def booking_retry_after(email, now=None):
    """The seconds to wait if this email address has had its bookings for this window,
    else None. Counts nothing: booking_accepted() does."""
    limits, window, now = _limits(now)
    if not _email(email):
        return None
    count = cache.get(_key("email", _email(email), window, now), 0)
    return _seconds_left(window, now) if count >= limits["per_email"] else None


def booking_accepted(email, now=None):
    """Count a new booking (a place or a waitlist place) for this email address."""
    limits, window, now = _limits(now)
    _count(_key("email", _email(email), window, now), _seconds_left(window, now) + 1)
