"""System checks for what the signups need from the host's settings: a cache that
exists, and trusted proxies that parse."""

from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.checks import Error, register
from django.db import DatabaseError, connections, router

from . import ratelimit


@register()
def cache_table_exists(app_configs, **kwargs):
    """A database cache whose table was never made (createcachetable) fails every page
    that reads it; say so before anything is served.

    Only once the database is migrated: a new database has no tables at all yet, and
    `migrate` must be able to run first.
    """
    errors = []
    for alias in caches:
        cache = caches[alias]
        if not isinstance(cache, BaseDatabaseCache):
            continue
        connection = connections[router.db_for_write(cache.cache_model_class)]
        try:
            tables = connection.introspection.table_names()
        except DatabaseError:
            continue  # no database to look at: other checks and commands will say so
        if "django_migrations" in tables and cache._table not in tables:
            errors.append(
                Error(
                    f"The cache {alias!r} is kept in the database table {cache._table!r}, "
                    "which does not exist.",
                    hint="Run `manage.py createcachetable` (once, after `migrate`).",
                    id="culture_cms.E001",
                )
            )
    return errors


@register()
def trusted_proxies_parse(app_configs, **kwargs):
    try:
        ratelimit.trusted_proxies()
    except ValueError as error:
        return [
            Error(
                f"CULTURE_CMS_TRUSTED_PROXIES does not parse: {error}.",
                hint="Give addresses or CIDR ranges, comma separated: 10.0.0.5,10.1.0.0/16",
                id="culture_cms.E002",
            )
        ]
    return []
