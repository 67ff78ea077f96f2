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
import logging
import math
import time

from django.core.cache import cache
from django.db import DatabaseError

from culture_cms.conf import setting

logger = logging.getLogger(__name__)


def trusted_proxies():
    """CULTURE_CMS_TRUSTED_PROXIES as networks: a list, or one comma-separated string.
    Raises ValueError for an entry that is not an address or a CIDR range (the system
    check culture_cms.E002 says so at startup)."""
    value = setting("CULTURE_CMS_TRUSTED_PROXIES")
    items = value.split(",") if isinstance(value, str) else value
    return [ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip()]


def _address(hop):
    """The IP address of an X-Forwarded-For entry, without a port ("10.0.0.7:443",
    "[2001:db8::1]:443"); None if it is not one."""
    hop = hop.strip()
    if hop.startswith("["):
        hop = hop[1:].partition("]")[0]
    elif hop.count(":") == 1:
        hop = hop.partition(":")[0]
    try:
        return ipaddress.ip_address(hop)
    except ValueError:
        return None


def _trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_address(request):
    """The address of the person making the request.

    REMOTE_ADDR, unless it is one of CULTURE_CMS_TRUSTED_PROXIES: then the
    right-most address in X-Forwarded-For that is not a trusted proxy (entries to
    its left could have been written by anyone). If every entry is a trusted proxy,
    or one is not an address at all, REMOTE_ADDR: a client must never choose its own.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_proxies()
    if not networks or not _trusted(_address(remote), networks):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote
        if not _trusted(address, networks):
            return str(address)
    return remote


def _key(kind, value, window, now):
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"culture_cms:signup-limit:{kind}:{digest}:{int(now // window)}"


def _seconds_left(window, now):
    return max(1, math.ceil((int(now // window) + 1) * window - now))


def _count(key, timeout):
    """Add one to the key's count, made if missing to expire with the window; the count.

    1 when the cache cannot count (Redis down, the database cache's table missing):
    the limit lets the attempt through rather than turn a booking into an error.
    """
    try:
        try:
            return cache.incr(key)
        except ValueError:
            pass
        if cache.add(key, 1, timeout):
            return 1
        return cache.incr(key)  # another process made it first
    except ValueError:  # gone already, or the cache cannot count
        return 1
    except DatabaseError as error:
        logger.warning("The rate limit could not count (%s): letting it through.", error)
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
    try:
        count = cache.get(_key("email", _email(email), window, now), 0)
    except DatabaseError:
        return None
    return _seconds_left(window, now) if count >= limits["per_email"] else None


def booking_accepted(email, now=None):
    """Count a new booking (a place or a waitlist place) for this email address."""
    limits, window, now = _limits(now)
    _count(_key("email", _email(email), window, now), _seconds_left(window, now) + 1)
