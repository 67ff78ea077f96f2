from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test import override_settings
from django.utils import translation
from pytest_django.plugin import blocking_manager_key
from wagtail.models import Locale

from culture_cms.focus_groups.models import FocusGroupEventPage, FocusGroupIndexPage
from culture_cms.organisation.models import Contact, OrganisationSettings
from culture_cms.programme.models import GlossaryPage, KeyMessagesPage, ProgrammePage
from tests import database
from tests.database import load_demo_content
from tests.factories import module_data

# What serialized_rollback gives back to a transactional test, by whether it asks for
# the demo content: {True: the copy with the demo, False: the copy as migrated}, made
# by the build (tests/database.py) and chosen for each test by pytest_runtest_setup.
SERIALIZED = {}


def wants_demo(item):
    return "demo" in getattr(item, "fixturenames", ())


def pytest_sessionstart(session):
    """The first process starts building the test database (tests/database.py)."""
    if apps.is_installed("home") and not hasattr(session.config, "workerinput"):
        session.config.culture_cms_database = database.start_build()


@pytest.hookimpl(optionalhook=True)  # xdist's hook; the host-site suite runs without it
def pytest_configure_node(node):
    """Each xdist worker copies the database the controller's build makes."""
    folder, _process = node.config.culture_cms_database
    node.workerinput["culture_cms_database"] = str(folder)


def pytest_sessionfinish(session):
    if built := getattr(session.config, "culture_cms_database", None):
        with session.config.stash[blocking_manager_key].unblock():
            database.remove(*built)


if apps.is_installed("home"):  # not in the host-site suite, which builds its own

    @pytest.fixture(scope="session")
    def django_db_setup(
        request, django_test_environment, django_db_blocker, django_db_modify_db_settings
    ):
        """The test database: a copy of the one built for the run (tests/database.py),
        migrated, with the demo content.

        Tests in a rolled-back transaction start from it; those that do not ask for
        the `demo` fixture build their own tree beside it (tests/factories).
        A transactional test (transaction=True, serialized_rollback=True) starts from
        a copy of the build's: with the demo content if it asks for `demo`, else as
        migrated (tests/database.py: restore).
        """
        config = request.config
        folder = getattr(config, "workerinput", {}).get("culture_cms_database")
        built = database.wait_for(folder or config.culture_cms_database[0])
        with django_db_blocker.unblock():
            old_name = database.copy_into_test_database(built)
        database.install_restore()
        SERIALIZED[False] = {database.ALIAS: built["migrated"]}
        SERIALIZED[True] = {database.ALIAS: built["demo"]}
        choose_serialized_state(wants_demo(getattr(request.session, "current_item", None)))
        yield
        with django_db_blocker.unblock():
            connections[database.ALIAS].creation.destroy_test_db(old_name, verbosity=0)


def choose_serialized_state(demo):
    for alias, contents in SERIALIZED.get(demo, {}).items():
        connections[alias]._test_serialized_contents = contents


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures: the state its serialized_rollback will restore, and,
    for a transactional test, no module's test data still held open."""
    item.session.current_item = item
    choose_serialized_state(wants_demo(item))
    if is_transactional(item):
        module_data.roll_back_all(item.config.stash[blocking_manager_key])


def is_transactional(item):
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))) or (
        "transactional_db" in getattr(item, "fixturenames", ())
        or "live_server" in getattr(item, "fixturenames", ())
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The tests without a database first, while the test database is still being
    built (tests/database.py); then pytest-django's own order (rolled-back tests,
    then transactional ones); the browser tests last: from Playwright's start to the
    end of the session an event loop runs in the main thread (see
    tests/browser/conftest.py), and no other test should run beside it."""

    def uses_database(item):
        return bool(item.get_closest_marker("django_db")) or (
            "django_db_setup" in getattr(item, "fixturenames", ())
        )

    def browser_order(item):
        module = item.nodeid.split("::")[0].rpartition("/")[2]
        return BROWSER_ORDER.index(module) if module in BROWSER_ORDER else len(BROWSER_ORDER)

    items.sort(
        key=lambda item: (
            item.nodeid.startswith("tests/browser/"),
            uses_database(item),
            browser_order(item),
        )
    )


# The browser tests in the order that ends the run soonest on two workers: the longest
# (about a third of the browser tests' time) first, then the shortest, which xdist
# queues behind it (it keeps two tests ahead on each worker), then the rest, longest
# first, for the other worker. A new module goes after these.
BROWSER_ORDER = [
    "test_accessibility.py",
    "test_key_messages_page.py",
    "test_editorial_journey.py",
    "test_content_security_policy.py",
    "test_signup_journey.py",
    "test_keyboard_signup.py",
    "test_language_switch.py",
]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counts and cached lists from one test never reach the next."""
    cache.clear()


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's default language: a request to a /cy/ page leaves
    Welsh active in the thread, as the LocaleMiddleware activated it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="module")
def module_tree(django_db_setup, django_db_blocker):
    """site_tree() made once for the module's rolled-back tests (tests/factories/module_data.py)."""
    from tests import factories

    yield from module_data.made_once(django_db_blocker, factories.site_tree)


@pytest.fixture
def tree(db, module_tree):
    """The smallest whole site (tests/factories: site_tree), beside nothing else: made
    once for the module, each test with its own copy. For rolled-back tests; a
    transactional one calls factories.site_tree() itself."""
    return module_data.for_the_test(module_tree)


@pytest.fixture
def event(tree):
    """An in-person focus group two weeks ahead, with 10 places, published."""
    from tests import factories

    return factories.focus_group(tree.focus_groups, contact=tree.contact)


@pytest.fixture
def queue_only():
    """Emails are recorded and queued, never sent: for tests of the rules alone."""
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        yield


@pytest.fixture
def demo(db):
    """The shipped demo content, loaded as `make run` loads it.

    Loaded once for the session (django_db_setup above), and given back to a
    transactional test by serialized_rollback; loaded here only for a transactional
    test without serialized_rollback.
    """
    from home.models import HomePage  # not installed in the host-site suite

    if not HomePage.objects.exists():
        load_demo_content()
    # The English originals; each has a Welsh translation (page.get_translation(locale)).
    english = {"locale": Locale.get_default()}
    home = HomePage.objects.get(**english)
    return SimpleNamespace(
        home=home,
        site=home.get_site(),
        organisation=OrganisationSettings.for_site(home.get_site()),
        contact=Contact.objects.get(**english),
        programme=ProgrammePage.objects.get(**english),
        key_messages=KeyMessagesPage.objects.get(tool_reference="4.3", **english),
        glossary=GlossaryPage.objects.get(**english),
        focus_groups=FocusGroupIndexPage.objects.get(**english),
        events=list(FocusGroupEventPage.objects.filter(**english).order_by("start")),
    )
