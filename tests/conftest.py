from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, transaction
from django.test import override_settings
from django.utils import translation
from wagtail.models import Locale

from culture_cms.focus_groups.models import FocusGroupEventPage, FocusGroupIndexPage
from culture_cms.organisation.models import Contact, OrganisationSettings
from culture_cms.programme.models import GlossaryPage, KeyMessagesPage, ProgrammePage


def load_demo_content():
    """`manage.py load_initial_data`, as `make run` runs it (idempotent)."""
    call_command("load_initial_data", stdout=StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated, with the demo content loaded once for the session.

    Every other database test runs in a transaction that is rolled back, so each one
    starts from this same demo content without loading it again. Transactional tests
    (transaction=True) run last and flush the database after each test; those with
    serialized_rollback=True get back the state saved here, demo content included.
    """
    if not apps.is_installed("home"):  # the host-site suite: no demo content there
        return
    with django_db_blocker.unblock():
        with transaction.atomic():
            load_demo_content()
            # As inside a test's rolled-back transaction, on_commit callbacks never run:
            # Wagtail's automatic redirects for changed slugs, for one, are not made.
            transaction.get_connection().run_on_commit = []
        # Django saved the database for serialized_rollback straight after migrating;
        # save it again, so that a restore gives back what the other tests start from.
        for connection in connections.all(initialized_only=True):
            if hasattr(connection, "_test_serialized_contents"):
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()


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

    Loaded once for the session (django_db_setup above); loaded again here only if a
    transactional test before this one flushed it away.
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
