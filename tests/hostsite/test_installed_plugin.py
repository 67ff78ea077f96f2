"""The host's plugin is the one a trust installs: from the wheel, not from our source tree.

.ci/hostsite builds the wheel, installs it apart from the repository and runs this
suite from a copy of tests/, naming the repository in CULTURE_CMS_SOURCE_TREE. So
every test here proves what `pip install culture-cms` brings (code, templates, static
files, the compiled Welsh catalogue), and these fail if the source tree leaks in:
run from the repository itself (`pytest tests/hostsite`), they fail on purpose.
"""

import gettext
import importlib.util
import os
from importlib.metadata import distribution
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.translation.trans_real import all_locale_paths

import blocks
import culture_cms

REPOSITORY = Path(os.environ.get("CULTURE_CMS_SOURCE_TREE", Path(__file__).resolve().parents[2]))
# The plugin's source; the repository's .venv, with the plugin's dependencies, is not.
SOURCE_TREE = [(REPOSITORY / package).resolve() for package in ("culture_cms", "blocks")]
WELSH_CATALOGUE = Path("locale", "cy", "LC_MESSAGES", "django.mo")


def is_in_source_tree(path):
    return any(Path(path).resolve().is_relative_to(source) for source in SOURCE_TREE)


@pytest.mark.parametrize("package", [culture_cms, blocks], ids=lambda package: package.__name__)
def test_the_plugin_is_imported_from_the_installed_wheel(package):
    installed = distribution("culture-cms").locate_file(f"{package.__name__}/__init__.py")

    assert not is_in_source_tree(package.__file__), package.__file__
    # An editable install lists no such file: the package would be the source tree's.
    assert Path(package.__file__).resolve() == Path(installed).resolve()


def test_no_catalogue_is_read_from_the_source_tree():
    assert [path for path in all_locale_paths() if is_in_source_tree(path)] == []


def test_the_welsh_comes_from_the_wheels_compiled_catalogue():
    catalogue = Path(apps.get_app_config("culture_cms").path) / WELSH_CATALOGUE
    with catalogue.open("rb") as mo:
        welsh = gettext.GNUTranslations(mo).gettext("Skip to main content")

    with translation.override("cy"):
        served = translation.gettext("Skip to main content")

    assert not is_in_source_tree(catalogue)
    assert served == welsh != "Skip to main content"


@pytest.mark.parametrize(
    "module",
    ["gunicorn", "whitenoise", "dj_database_url", "psycopg", "redis", "csp", "honcho"],
)
def test_the_plugin_runs_without_the_standalone_sites_packages(module):
    # The `site` extra is not installed here: every test above ran without it.
    assert importlib.util.find_spec(module) is None
