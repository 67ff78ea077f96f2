"""The standalone site's cache backends: Redis that fails open, and a database cache
whose add() and incr() are atomic.

The signup rate limits count with add() and incr() (culture_cms.focus_groups.ratelimit),
and Wagtail keeps its site root paths in the cache, so every page reads it.

- RedisCache (REDIS_URL set): Django's own Redis backend. While Redis cannot be
  reached (or refuses: read-only, out of memory), reads miss and writes are
  dropped instead of raising, so pages and signups keep working (the rate
  limits let everyone through); each process logs one warning when Redis goes
  and one line when it is back, and tries it again every few seconds between.
- DatabaseCache (the embedded default): Django's database cache, except that
  add() never makes the database refuse a duplicate key (on PostgreSQL each
  refusal is an ERROR line in the server's log) and incr() locks the row, so
  two processes counting at once both count.
"""

import base64
import datetime
import functools
import logging
import pickle
import time

from django.core.cache.backends import db, redis
from django.db import connections, router, transaction
from django.utils import timezone
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a failure, how long each process leaves Redis alone before trying it again.
RETRY_SECONDS = 5


class _Outage:
    """Whether this process last found Redis unreachable, and until when to skip it."""

    down_until = 0.0
    down = False

    @classmethod
    def failed(cls, error):
        if not cls.down:
            logger.warning(
                "Redis is unreachable (%s): the cache is bypassed and signup rate limits "
                "are not enforced until it answers again.",
                error,
            )
        cls.down = True
        cls.down_until = time.monotonic() + RETRY_SECONDS

    @classmethod
    def answered(cls):
        if cls.down:
            logger.warning("Redis answers again: the cache and the rate limits are back.")
        cls.down = False


def _fails_open(fallback):
    """Run the cache operation; while Redis is unreachable, return fallback(...) instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if _Outage.down and time.monotonic() < _Outage.down_until:
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            # Unreachable, timed out, read-only after a failover, out of memory: all alike.
            except RedisError as error:
                _Outage.failed(error)
                return fallback(*args, **kwargs)
            _Outage.answered()
            return result

        return wrapper

    return decorate


def _missing_key(key, *args, **kwargs):
    # What incr() says of a key that is not there: the rate limit then counts 1.
    raise ValueError(f"Key {key!r} not found.")


class RedisCache(redis.RedisCache):
    """Django's Redis cache, failing open while Redis is unreachable."""

    get = _fails_open(lambda key, default=None, version=None: default)(redis.RedisCache.get)
    get_many = _fails_open(lambda *args, **kwargs: {})(redis.RedisCache.get_many)
    has_key = _fails_open(lambda *args, **kwargs: False)(redis.RedisCache.has_key)
    add = _fails_open(lambda *args, **kwargs: False)(redis.RedisCache.add)
    set = _fails_open(lambda *args, **kwargs: None)(redis.RedisCache.set)
    set_many = _fails_open(lambda *args, **kwargs: [])(redis.RedisCache.set_many)
    touch = _fails_open(lambda *args, **kwargs: False)(redis.RedisCache.touch)
    delete = _fails_open(lambda *args, **kwargs: False)(redis.RedisCache.delete)
    delete_many = _fails_open(lambda *args, **kwargs: None)(redis.RedisCache.delete_many)
    clear = _fails_open(lambda *args, **kwargs: False)(redis.RedisCache.clear)
    incr = _fails_open(_missing_key)(redis.RedisCache.incr)


class DatabaseCache(db.DatabaseCache):
    """Django's database cache with an add() that inserts only a missing key and an
    incr() that holds the row's lock while it adds."""

    def _encode(self, value):
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    def _decode(self, stored):
        return pickle.loads(base64.b64decode(stored.encode()))  # noqa: S301 — our own rows

    def _table_and_connection(self):
        connection = connections[router.db_for_write(self.cache_model_class)]
        return connection.ops.quote_name(self._table), connection

    def add(self, key, value, timeout=db.DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        table, connection = self._table_and_connection()
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            expires = datetime.datetime.max
        else:
            expires = datetime.datetime.fromtimestamp(timeout, tz=datetime.UTC)
        now = timezone.now().replace(microsecond=0)
        adapt = connection.ops.adapt_datetimefield_value
        encoded = self._encode(value)
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            # An expired entry counts as missing; then insert unless someone just did
            # (ON CONFLICT: PostgreSQL and SQLite alike, with no error).
            cursor.execute(
                f"DELETE FROM {table} WHERE cache_key = %s AND expires < %s",  # noqa: S608
                [key, adapt(now)],
            )
            cursor.execute(
                f"INSERT INTO {table} (cache_key, value, expires) "  # noqa: S608
                "VALUES (%s, %s, %s) ON CONFLICT (cache_key) DO NOTHING",
                [key, encoded, adapt(expires.replace(microsecond=0))],
            )
            return cursor.rowcount == 1

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        table, connection = self._table_and_connection()
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            # SQLite has no row locks: its write transactions take turns (IMMEDIATE).
            cursor.execute(
                f"SELECT value FROM {table} WHERE cache_key = %s AND expires >= %s{lock}",  # noqa: S608
                [key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key {key!r} not found.")
            value = self._decode(row[0]) + delta
            cursor.execute(
                f"UPDATE {table} SET value = %s WHERE cache_key = %s",  # noqa: S608
                [self._encode(value), key],
            )
        return value
