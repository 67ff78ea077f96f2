"""`manage.py db_worker` waits out a database outage instead of exiting
(culture_cms/focus_groups/management/commands/db_worker.py); the topology suite stops a
real PostgreSQL under it."""

from unittest import mock

import pytest
from django.core.management import call_command, get_commands
from django.db import OperationalError
from django_tasks_db.management.commands.db_worker import Worker


def test_manage_py_runs_our_db_worker():
    assert get_commands()["db_worker"] == "culture_cms.focus_groups"


@pytest.fixture
def worker_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_worker_tries_again_while_the_database_does_not_answer(worker_settings, caplog):
    outage = [OperationalError("connection refused"), OperationalError("connection refused")]

    def run(worker):
        if outage:
            raise outage.pop(0)
        return None  # the database answers: the worker runs (here, finishes at once)

    with (
        mock.patch.object(Worker, "run", run),
        mock.patch.object(Worker, "configure_signals"),
        mock.patch("time.sleep") as sleep,
    ):
        call_command("db_worker", "--no-reload", "--no-startup-delay")

    assert sleep.call_count == 2
    assert caplog.text.count("The database is unreachable") == 2


def test_any_other_error_still_stops_the_worker(worker_settings):
    with (
        mock.patch.object(Worker, "run", side_effect=RuntimeError("a bug")),
        mock.patch.object(Worker, "configure_signals"),
        pytest.raises(RuntimeError),
    ):
        call_command("db_worker", "--no-reload", "--no-startup-delay")
