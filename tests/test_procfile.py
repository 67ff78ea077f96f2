"""The Procfile and gunicorn.conf.py: every command line still parses, every setting loads.

The topology suite (tests/topology) runs them for real; these catch a renamed option
(after a django-tasks-db or gunicorn upgrade, say) in the main suite, in a second.
"""

import os
import runpy
import shlex
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from gunicorn.app.base import Application
from honcho.environ import parse_procfile

ROOT = Path(__file__).resolve().parents[1]


def processes():
    return parse_procfile((ROOT / "Procfile").read_text()).processes


def argv(name):
    words = shlex.split(processes()[name])
    return words[1:] if words[0] == "exec" else words


def test_the_procfile_has_web_worker_and_scheduler():
    assert list(processes()) == ["web", "worker", "scheduler"]


@pytest.mark.parametrize("name", ["worker", "scheduler"])
def test_its_manage_py_commands_take_their_options(name, settings):
    # db_worker checks its --backend is a database one, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    python, manage, command, *options = argv(name)
    assert (python, manage) == (".venv/bin/python", "manage.py")
    app = get_commands()[command]
    parser = load_command_class(app, command).create_parser("manage.py", command)
    parser.parse_args(options)  # raises CommandError on an unknown option


def test_web_is_gunicorn_with_the_config_file():
    assert argv("web") == [".venv/bin/gunicorn", "-c", "gunicorn.conf.py", "culture_cms.wsgi"]


class Config(Application):
    """gunicorn's own reading of a config file, without starting anything."""

    def __init__(self, path):
        self.path = path
        super().__init__()

    def init(self, parser, opts, args):
        pass

    def load_config(self):
        self.load_config_from_file(str(self.path))

    def load(self):
        raise AssertionError("nothing is served here")


def test_gunicorn_binds_loopback_on_port_with_web_concurrency_workers(monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    config = Config(ROOT / "gunicorn.conf.py").cfg
    assert config.bind == ["127.0.0.1:8123"]
    assert config.workers == 3
    assert config.accesslog == "-"
    assert config.control_socket_disable


def test_gunicorn_workers_default_to_twice_the_cpus_and_one_at_most_eight(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: set(range(2)))
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"] == 5
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: set(range(16)))
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"] == 8


def test_gunicorn_refuses_to_start_while_a_system_check_fails(tmp_path):
    # A migrated database (django_migrations) whose cache table was never made.
    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE django_migrations (id integer primary key)")
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "culture_cms.settings.production",
        "SECRET_KEY": "gunicorn-startup-check-test-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": f"sqlite:///{database}",
        "PORT": "0",
    }

    result = subprocess.run(  # noqa: S603
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "culture_cms.wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "culture_cms.E001" in result.stderr
    assert "createcachetable" in result.stderr
