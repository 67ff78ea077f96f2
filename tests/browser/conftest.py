"""Playwright in Debian's Chromium, against pytest-django's live server.

Never `playwright install`: the browser is the Debian package at /usr/bin/chromium.
"""

import os

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
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
