from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from culture_cms.organisation.models import Contact, OrganisationSettings
from culture_cms.programme.models import (
    FocusGroupEventPage,
    FocusGroupIndexPage,
    GlossaryPage,
    KeyMessagesPage,
    ProgrammePage,
)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counts and cached lists from one test never reach the next."""
    cache.clear()


@pytest.fixture
def queue_only():
    """Emails are recorded and queued, never sent: for tests of the rules alone."""
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        yield


@pytest.fixture
def demo(db):
    """The shipped demo content, loaded as `make run` loads it."""
    from home.models import HomePage  # not installed in the host-site suite

    call_command("load_initial_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    home = HomePage.objects.get()
    return SimpleNamespace(
        home=home,
        site=home.get_site(),
        organisation=OrganisationSettings.for_site(home.get_site()),
        contact=Contact.objects.get(),
        programme=ProgrammePage.objects.get(),
        key_messages=KeyMessagesPage.objects.get(tool_reference="4.3"),
        glossary=GlossaryPage.objects.get(),
        focus_groups=FocusGroupIndexPage.objects.get(),
        events=list(FocusGroupEventPage.objects.order_by("start")),
    )
