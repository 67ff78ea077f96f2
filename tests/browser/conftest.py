"""Playwright in Debian's Chromium, against pytest-django's live server.

Never `playwright install`: the browser is the Debian package at /usr/bin/chromium.
"""

import os

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in the main thread for the whole
# session, so Django would take every later ORM call for async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"

# A 2-core CI machine running the live server and Chromium side by side can take
# longer than Playwright's default 5 s to show what a step waits for.
expect.set_options(timeout=15_000)


# The SQLite test database lives in memory with a shared cache, which locks whole
# tables: two requests at once (the admin's editing-session ping beside a save, say)
# fail with "database table is locked". On SQLite the live server takes one request
# at a time; PostgreSQL keeps Django's threaded one.
class OneRequestAtATime(WSGIServer):
    """Django's development WSGI server without threads; LiveServerThread gives it the
    test database's connection, which its own thread already uses."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    LiveServerThread.server_class = OneRequestAtATime


@pytest.fixture(scope="session")
def django_connections(django_db_setup):
    """The test database's connection wrappers, taken before Playwright starts."""
    return {alias: connections[alias] for alias in connections}


@pytest.fixture(scope="session")
def playwright(django_connections, playwright):
    """pytest-playwright's Playwright, with Django kept on the test database's connections.

    Playwright's sync API keeps an asyncio event loop running in the main thread from
    its start to the end of the session, and Django's connections live in an asgiref
    Local that is a plain thread-local only while no loop runs: with one running it
    reads a context variable instead, empty, so `connections["default"]` became a new
    wrapper. That wrapper lacked what setup_databases saved for serialized_rollback:
    the transactional tests after it started from a flushed, empty database, and its
    flush re-created content types under the saved ones. So the same wrappers go where
    Django now looks.
    """
    for alias, connection in django_connections.items():
        connections[alias] = connection
    return playwright


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",  # needed as root
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
