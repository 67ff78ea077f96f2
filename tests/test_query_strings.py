"""No query string makes a page fail: whatever a link, a scanner or a typing mistake puts
after the `?`, every public page and every admin view of the plugin answers below 500.

On PostgreSQL a NUL character in a query is refused by the database, and Django's own
paginators and filters take numbers; each page is asked for with every parameter it
reads (and one it does not) set to each awkward value below.
"""

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from culture_cms.focus_groups import services
from tests import factories

# Each as a browser would send it: percent-encoded where it must be.
AWKWARD = [
    "%00",
    "a%00b",
    "%ff%fe",  # not UTF-8
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "abc",
    quote("<script>alert(1)</script>"),
    quote("' OR 1=1 --"),
    "x" * 3000,
]
PARAMETERS = ["query", "q", "page", "past", "p", "event", "status", "kind", "ref", "already"]
PARAMETERS += ["export", "ordering", "locale", "next", "unknown"]


def query_strings():
    for value in AWKWARD:
        yield "&".join(f"{name}={value}" for name in PARAMETERS)
        yield f"query={value}&query={value}&event={value}&event=1"


def failures(client, paths):
    """{path?query: status} for each answer of 500 or more."""
    client.raise_request_exception = False  # a 500 is a status here, to list them all
    found = {}
    for path in paths:
        for query in query_strings():
            url = f"{path}?{query}"
            status = client.get(url).status_code
            if status >= 500:
                found[url[:120]] = status
    return found


@pytest.fixture
def site(demo):
    event = demo.events[0]
    signup = factories.sign_up(event, "Ada Lovelace").signup
    return event, signup


def test_no_query_string_makes_a_public_page_fail(client, demo, site):
    event, signup = site
    paths = [
        page.url
        for page in [demo.home, demo.programme, demo.key_messages, demo.glossary]
        + [demo.focus_groups, event]
    ]
    paths += [
        event.url + "signed-up/",
        event.url + "calendar/",
        reverse("culture_cms:calendar_feed"),
        reverse("culture_cms:search"),
        reverse("culture_cms:cancel", args=[services.cancel_token(signup)]),
        "/no-such-page/",
    ]

    assert failures(client, paths) == {}


def test_no_query_string_makes_an_admin_view_of_the_plugin_fail(client, demo, site):
    event, signup = site
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.nhs.uk"))
    paths = [
        reverse("culture_focus_groups:index"),
        reverse("culture_focus_groups:index_results"),
        reverse("culture_focus_groups:inspect", args=[signup.pk]),
        reverse("culture_focus_groups:report"),
        reverse("culture_focus_groups:cancel", args=[signup.pk]),
        reverse("culture_focus_groups:move", args=[signup.pk]),
        reverse("culture_signup_emails:index"),
        f"/admin/pages/{event.pk}/edit/",
        "/admin/pages/search/",
        "/admin/",
    ]

    assert failures(client, paths) == {}
