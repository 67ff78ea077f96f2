"""A settings module read in this process, under an environment of the test's choosing."""

import os
import runpy
import sys
from unittest import mock

SETTINGS_PACKAGE = "culture_cms.settings"


def environment(module, **env):
    """This process's environment without a secret key or a database, plus env."""
    environ = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    environ.update(env, DJANGO_SETTINGS_MODULE=module)
    return environ


def read_settings(environ):
    """The names the settings module environ["DJANGO_SETTINGS_MODULE"] defines in that
    environment, read in this process.

    The settings modules (base included) run afresh while os.environ is replaced;
    afterwards sys.modules, the settings package and os.environ are as they were, and
    django.conf.settings is never touched. What a real interpreter does with settings
    (failing at import, `check --deploy`, gunicorn's start) runs in subprocesses.
    """
    module = environ["DJANGO_SETTINGS_MODULE"]
    package = sys.modules[SETTINGS_PACKAGE]
    with (
        mock.patch.dict(os.environ, environ, clear=True),
        mock.patch.dict(sys.modules),
        mock.patch.dict(vars(package)),
    ):
        for name in [name for name in sys.modules if name.startswith(f"{SETTINGS_PACKAGE}.")]:
            del sys.modules[name]  # imported again, from the environment above
        return runpy.run_module(module, run_name=module)
