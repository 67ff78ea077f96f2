"""The standalone site's caches (culture_cms/cache.py): a database cache that counts
atomically and raises no duplicate key, and a real Redis that fails open.

Redis is Debian's redis-server, started here on a free loopback port (`make test`
installs it).
"""

import logging
import shutil
import socket
import subprocess
import threading
import time

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings

from culture_cms import cache as site_cache
from culture_cms.focus_groups import ratelimit
from culture_cms.focus_groups.models import Signup

DATABASE_CACHE = {
    "default": {"BACKEND": "culture_cms.cache.DatabaseCache", "LOCATION": "test_cache_table"}
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of our own on loopback, which a test may stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server")
        assert binary, "redis-server is missing: apt-get install redis-server (make test does)"
        self.process = subprocess.Popen(  # noqa: S603
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def redis_cache(redis_server, monkeypatch):
    """The default cache is culture_cms.cache.RedisCache on the test's own Redis."""
    monkeypatch.setattr(site_cache, "RETRY_SECONDS", 0)
    monkeypatch.setattr(site_cache._Outage, "down", False)
    settings = {
        "default": {
            "BACKEND": "culture_cms.cache.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=settings):
        caches["default"].clear()
        yield caches["default"]
    if redis_server.process.poll() is not None:
        redis_server.start()


def count_concurrently(threads=8, each=25):
    """Every thread adds `each` to one key through the rate limit's counting."""

    def work():
        try:
            for _ in range(each):
                ratelimit._count("culture_cms:test-counter", 60)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return caches["default"].get("culture_cms:test-counter")


# The database cache ------------------------------------------------------------------


@pytest.fixture
def database_cache(db):
    """The database cache in the test's transaction: its table goes when that is rolled
    back. Each cache operation is then a savepoint, as it is a transaction outside."""
    with override_settings(CACHES=DATABASE_CACHE):
        call_command("createcachetable", verbosity=0)
        yield caches["default"]


@pytest.fixture
def committed_database_cache(transactional_db, django_db_serialized_rollback):
    # Threads need committed rows; serialized_rollback like the suite's other
    # transactional tests, whose restore would otherwise clash with the content types
    # a plain flush makes again.
    with override_settings(CACHES=DATABASE_CACHE):
        call_command("createcachetable", verbosity=0)
        yield caches["default"]
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE test_cache_table")


def test_database_cache_add_makes_a_key_once(database_cache):
    assert database_cache.add("key", 1, 60)
    assert not database_cache.add("key", 2, 60)
    assert database_cache.get("key") == 1


def test_database_cache_add_replaces_an_expired_key(database_cache):
    database_cache.set("key", "old", 60)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE test_cache_table SET expires = %s", ["2000-01-01 00:00:00"])

    assert database_cache.add("key", "new", 60)
    assert database_cache.get("key") == "new"


def failed_statements(action):
    """The SQL statements the database refused while running action()."""
    refused = []

    def watch(execute, sql, params, many, context):
        try:
            return execute(sql, params, many, context)
        except Exception:
            refused.append(sql)
            raise

    with connection.execute_wrapper(watch):
        action()
    return refused


def test_database_cache_counting_never_has_a_statement_refused(database_cache):
    # Django's own add() of an existing key tries an INSERT, which the database refuses
    # (on PostgreSQL, an ERROR line in the server log for every rate-limit count).
    def count_three_times():
        for _ in range(3):
            ratelimit._count("key", 60)
            database_cache.add("key", 0, 60)

    assert failed_statements(count_three_times) == []
    assert database_cache.get("key") == 3


def test_djangos_own_database_cache_does_have_its_insert_refused(database_cache):
    # What the test above guards against, shown with Django's backend on the same table.
    from django.core.cache.backends.db import DatabaseCache

    django_cache = DatabaseCache("test_cache_table", {})
    django_cache.add("key", 1, 60)

    assert failed_statements(lambda: django_cache.add("key", 1, 60))


def test_database_cache_incr_of_a_missing_key_is_a_value_error(database_cache):
    with pytest.raises(ValueError):
        database_cache.incr("nothing-here")


# The in-memory test database's shared cache refuses a second writer at once ("table is
# locked") instead of waiting; the PostgreSQL run counts the locks.
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="concurrent writers need PostgreSQL (or an SQLite file) to queue",
)
def test_database_cache_counts_every_increment_from_many_threads(committed_database_cache):
    assert count_concurrently() == 200


# Redis ---------------------------------------------------------------------------------


def test_redis_counts_every_increment_from_many_threads(redis_cache):
    assert count_concurrently() == 200


def test_redis_counts_expire_with_their_window(redis_cache):
    # A window of 1 s, the shortest a count has (Django gives Redis whole seconds);
    # Redis expires a key to the millisecond.
    assert ratelimit._count("culture_cms:short", 1) == 1

    time.sleep(1.05)

    assert redis_cache.get("culture_cms:short") is None


def test_while_redis_is_down_reads_miss_writes_are_dropped_and_one_warning_is_logged(
    redis_cache, redis_server, caplog
):
    redis_cache.set("kept", "value", 60)
    redis_server.stop()

    with caplog.at_level(logging.WARNING, logger="culture_cms.cache"):
        assert redis_cache.get("kept", "missed") == "missed"
        redis_cache.set("other", "value", 60)
        assert not redis_cache.add("other", "value", 60)
        assert ratelimit._count("culture_cms:counter", 60) == 1

    warnings = [record for record in caplog.records if record.name == "culture_cms.cache"]
    assert len(warnings) == 1
    assert "Redis is unreachable" in warnings[0].getMessage()


def test_signups_keep_working_while_redis_is_down(redis_cache, redis_server, client, demo):
    event = demo.events[0]
    redis_server.stop()

    with override_settings(
        CULTURE_CMS_SIGNUP_RATE_LIMIT={"per_ip": 1, "per_email": 1, "window": 600}
    ):
        for n in range(3):  # over the limit, but nothing can count: it fails open
            response = client.post(
                event.url,
                {
                    "full_name": f"Person {n}",
                    "email": f"person{n}@example.nhs.uk",
                    "staff_group": "nursing",
                    "consent": "on",
                },
            )
            assert response.status_code == 303

    assert Signup.objects.filter(event=event).count() == 3


def test_when_redis_answers_again_the_limits_count_again(redis_cache, redis_server, caplog, rf):
    request = rf.post("/", REMOTE_ADDR="192.0.2.50")
    redis_server.stop()
    with override_settings(
        CULTURE_CMS_SIGNUP_RATE_LIMIT={"per_ip": 1, "per_email": 1, "window": 600}
    ):
        assert ratelimit.attempt_retry_after(request) is None
        assert ratelimit.attempt_retry_after(request) is None  # failing open
        redis_server.start()

        with caplog.at_level(logging.WARNING, logger="culture_cms.cache"):
            assert ratelimit.attempt_retry_after(request) is None
            assert ratelimit.attempt_retry_after(request) is not None

    assert any("answers again" in record.getMessage() for record in caplog.records)


def test_while_redis_is_down_the_health_check_says_degraded_not_503(
    redis_cache, redis_server, client, db
):
    redis_server.stop()

    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["cache"] == "unreachable"
