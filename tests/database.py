"""The test database, built once per pytest run and copied into each worker.

Migrating takes about 11 s on this machine (for each of 227 migrations Django renders
the state of every model), loading the demo content 2 s more. pytest-django would do
both in every xdist worker. Instead, as the session starts, the first process (xdist's
controller, or pytest itself without -n) starts `python -m tests.database FOLDER` in
the background, which migrates, saves a copy, loads the demo content and saves another:
SQLite files in FOLDER, or PostgreSQL databases used as templates.

Meanwhile the workers start and run the tests that need no database (ordered first);
then each copies the copy with the demo into its own test database: SQLite's backup
API into the in-memory test database, PostgreSQL's CREATE DATABASE … TEMPLATE.

A transactional test (transaction=True, serialized_rollback=True) starts from one of
the two copies the same way (restore()): Django would flush the whole database after
each such test and load the next one's state back object by object, from JSON, which
took 0.5 to 3 s a test; a copy takes a tenth of that. So the flush after each is left
out (install_restore()): the next transactional test replaces the database whole, and
a rolled-back test never comes after one (pytest-django runs them first).
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections

ALIAS = "default"
READY, FAILED = "ready.json", "failed.txt"
WAIT_AT_MOST = 600  # seconds: a build takes about 15 on a 2-core machine
KEEP_ALIVE = []


def load_demo_content():
    """`manage.py load_initial_data`, as `make run` runs it (idempotent)."""
    call_command("load_initial_data", stdout=StringIO())


def is_sqlite():
    return settings.DATABASES[ALIAS]["ENGINE"] == "django.db.backends.sqlite3"


def start_build():
    """Start building in the background; the folder the build writes to."""
    folder = Path(tempfile.mkdtemp(prefix="culture-cms-test-db-"))
    log = (folder / "build.log").open("w")
    process = subprocess.Popen(  # noqa: S603 — this module, with this interpreter
        [sys.executable, "-m", "tests.database", str(folder)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return folder, process


def wait_for(folder):
    """What the build saved: {"migrated": copy, "demo": copy}, each copy an SQLite file or
    a PostgreSQL database; fails with the build's error."""
    folder = Path(folder)
    deadline = time.monotonic() + WAIT_AT_MOST
    while not (folder / READY).exists():
        if (folder / FAILED).exists():
            raise RuntimeError("building the test database failed:\n" + read(folder / FAILED))
        if time.monotonic() > deadline:
            raise RuntimeError(f"the test database was not built in {WAIT_AT_MOST} s: {folder}")
        time.sleep(0.1)
    return json.loads(read(folder / READY))


def copy_into_test_database(built):
    """Make this process's test database a copy of the built one, with the demo
    content; the name to restore when the session ends."""
    connection = connections[ALIAS]
    old_name = connection.settings_dict["NAME"]
    name = connection.creation._get_test_db_name()
    if is_sqlite():
        # The in-memory database lives while a connection to it is open.
        KEEP_ALIVE.append(sqlite3.connect(name, uri=True))
    use(connection, name)
    restore(built["demo"])
    return old_name


def restore(copy):
    """The test database replaced whole by the copy (an SQLite file, or a PostgreSQL
    template database), as it was when the build saved it."""
    connection = connections[ALIAS]
    if is_sqlite():
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        source.backup(connection.connection)
        source.close()
    else:
        name = connection.settings_dict["NAME"]
        connection.close()
        quote = connection.ops.quote_name
        with connection.creation._nodb_cursor() as cursor:
            # FORCE: a live server's request thread may still hold a connection.
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")
            cursor.execute(
                f"CREATE DATABASE {quote(name)} TEMPLATE {quote(copy)} STRATEGY FILE_COPY"
            )


def install_restore():
    """serialized_rollback by copies: Django calls
    creation.deserialize_db_from_string(connection._test_serialized_contents) as a
    transactional test starts, and conftest.py sets that to the copy the test needs;
    the flush after the test is left out (this module's docstring says why)."""
    from django.test import TransactionTestCase

    connection = connections[ALIAS]
    connection.creation.deserialize_db_from_string = restore
    flush_after = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        if not self.serialized_rollback:
            flush_after(self)

    TransactionTestCase._fixture_teardown = _fixture_teardown


def use(connection, name):
    connection.close()
    settings.DATABASES[ALIAS]["NAME"] = connection.settings_dict["NAME"] = name


def remove(folder, process):
    """After the session: stop a build still running, drop what it built."""
    if process.poll() is None:
        process.kill()
    process.wait()
    ready = Path(folder) / READY
    if ready.exists() and not is_sqlite():
        connection = connections[ALIAS]
        with connection.creation._nodb_cursor() as cursor:
            for copy in json.loads(read(ready)).values():
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(copy)}")
    shutil.rmtree(folder, ignore_errors=True)


def read(path):
    return path.read_text(encoding="utf-8")


def build(folder):
    """Migrate a fresh test database, save a copy, load the demo content, save another."""
    import django

    django.setup()
    from django.db import transaction

    connection = connections[ALIAS]
    if not is_sqlite():
        connection.settings_dict.setdefault("TEST", {})["NAME"] = template_name(folder, "demo")
    # SQLite migrates in memory, as the workers' databases are: on a file, each of
    # the migrations' commits would wait for the disk.
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    migrated = save(connection, folder, "migrated")
    with transaction.atomic():
        load_demo_content()
        # As inside a test's rolled-back transaction, on_commit callbacks never run:
        # Wagtail's automatic redirects for changed slugs, for one, are not made.
        transaction.get_connection().run_on_commit = []
    demo = save(connection, folder, "demo")
    connection.close()
    saved = json.dumps({"migrated": migrated, "demo": demo})
    (folder / "saving").write_text(saved, encoding="utf-8")
    (folder / "saving").rename(folder / READY)


def save(connection, folder, state):
    """A copy of the test database as it stands: an SQLite file, or for PostgreSQL the
    database itself for the state the build ends with (demo) and a copy of it for the
    other."""
    if is_sqlite():
        name = str(folder / f"{state}.sqlite3")
        saved = sqlite3.connect(name)
        connection.connection.backup(saved)
        saved.close()
        return name
    name = connection.settings_dict["NAME"]
    if name == template_name(folder, state):
        return name
    copy = template_name(folder, state)
    connection.close()
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {quote(copy)} TEMPLATE {quote(name)} STRATEGY FILE_COPY")
    return copy


def template_name(folder, state):
    """A name of this run's own, as two runs may share a PostgreSQL server."""
    run = folder.name.rsplit("-", 1)[-1]
    return f"test_{settings.DATABASES[ALIAS]['NAME']}_{run}_{state}"


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    try:
        build(folder)
    except BaseException:
        (folder / FAILED).write_text(traceback.format_exc(), encoding="utf-8")
        raise
