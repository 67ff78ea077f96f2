"""The test database, built once per pytest run and copied into each worker.

Migrating takes about 11 s on this machine (for each of 227 migrations Django renders
the state of every model), loading the demo content 2 s more. pytest-django would do
both in every xdist worker. Instead, as the session starts, the first process (xdist's
controller, or pytest itself without -n) starts `python -m tests.database FOLDER` in
the background, which migrates, loads the demo content and saves in FOLDER:

- the database itself: an SQLite file, or a PostgreSQL database used as a template;
- what serialized_rollback restores for a transactional test, as migrated and with
  the demo content (tests/conftest.py chooses between them).

Meanwhile the workers start and run the tests that need no database (ordered first);
then each copies the built database into its own: SQLite's backup API into the
in-memory test database, PostgreSQL's CREATE DATABASE … TEMPLATE.
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
    """What the build saved: {"name", "migrated", "demo"}; fails with the build's error."""
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
    """Make this process's test database a copy of the built one; the name to restore."""
    connection = connections[ALIAS]
    old_name = connection.settings_dict["NAME"]
    name = connection.creation._get_test_db_name()
    if is_sqlite():
        target = sqlite3.connect(name, uri=True)  # keeps the in-memory database alive
        source = sqlite3.connect(f"file:{built['name']}?mode=ro", uri=True)
        source.backup(target)
        source.close()
        use(connection, name)
        connection.connect()
        target.close()
    else:
        quote = connection.ops.quote_name
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(built['name'])}")
        use(connection, name)
    return old_name


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
            name = connection.ops.quote_name(json.loads(read(ready))["name"])
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")
    shutil.rmtree(folder, ignore_errors=True)


def read(path):
    return path.read_text(encoding="utf-8")


def build(folder):
    """Migrate a fresh test database, load the demo content, save both states."""
    import django

    django.setup()
    from django.db import transaction

    connection = connections[ALIAS]
    if not is_sqlite():
        connection.settings_dict.setdefault("TEST", {})["NAME"] = template_name(folder)
    # SQLite migrates in memory, as the workers' databases are: on a file, each of
    # the migrations' commits would wait for the disk.
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=True)
    migrated = connection._test_serialized_contents
    with transaction.atomic():
        load_demo_content()
        # As inside a test's rolled-back transaction, on_commit callbacks never run:
        # Wagtail's automatic redirects for changed slugs, for one, are not made.
        transaction.get_connection().run_on_commit = []
    demo = connection.creation.serialize_db_to_string()
    if is_sqlite():
        name = str(folder / "test.sqlite3")
        saved = sqlite3.connect(name)
        connection.connection.backup(saved)
        saved.close()
    connection.close()
    saved = json.dumps({"name": name, "migrated": migrated, "demo": demo})
    (folder / "saving").write_text(saved, encoding="utf-8")
    (folder / "saving").rename(folder / READY)


def template_name(folder):
    """A name of this run's own, as two runs may share a PostgreSQL server."""
    return f"test_{settings.DATABASES[ALIAS]['NAME']}_{folder.name.rsplit('-', 1)[-1]}"


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    try:
        build(folder)
    except BaseException:
        (folder / FAILED).write_text(traceback.format_exc(), encoding="utf-8")
        raise
