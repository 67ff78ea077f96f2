"""The Content-Security-Policy as Chromium applies it: no page breaks one of its rules,
and no page fetches anything (fonts included) from another host."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from wagtail.models import Locale

from culture_cms.focus_groups.models import FocusGroupEventPage
from culture_cms.programme.models import KeyMessagesPage
from home.models import HomePage

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # As in test_editorial_journey.py: no 25 s pulse of the admin's sidebar badge for
    # Chromium to draw after each admin page load. An animation fetches nothing and
    # runs no script: the pages keep to the policy or break it the same.
    pytest.mark.browser_context_args(reduced_motion="reduce"),
]

PASSWORD = "csp-walk-2026"  # noqa: S105 — a test user's


def watch(page: Page, host):
    """Collect the console's CSP reports and every host the page fetches from."""
    seen = {"violations": [], "hosts": set()}
    page.on(
        "console",
        lambda message: (
            seen["violations"].append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("request", lambda request: seen["hosts"].add(request.url.split("/")[2]))
    return seen


def public_paths():
    english = Locale.get_default()
    event = FocusGroupEventPage.objects.filter(locale=english).order_by("start").first()
    pages = [
        HomePage.objects.get(locale=english),
        KeyMessagesPage.objects.get(tool_reference="4.3", locale=english),
        event,
        event.get_translation(Locale.objects.get(language_code="cy")),
    ]
    return [page.url for page in pages] + ["/search/?query=culture", "/no-such-page/"]


def test_public_pages_and_the_admin_keep_to_the_policy_and_to_this_host(
    demo, live_server, page: Page
):
    User.objects.create_superuser("csp", "csp@example.nhs.uk", PASSWORD)
    host = live_server.url.split("/")[2]
    seen = watch(page, host)
    tool = KeyMessagesPage.objects.get(tool_reference="4.3", locale=Locale.get_default())

    for path in public_paths():
        page.goto(live_server.url + path)
        expect(page.locator("header.nhsuk-header")).to_be_visible()
    # The signup form's error summary runs the NHS.UK scripts.
    page.goto(live_server.url + public_paths()[2])
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_focused()

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("csp")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    for path in ["/admin/", "/admin/pages/", f"/admin/pages/{tool.pk}/edit/", "/admin/users/"]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
    # Signed in, the public pages carry Wagtail's user bar.
    page.goto(live_server.url + tool.url)
    expect(page.locator("wagtail-userbar")).to_be_attached()

    assert seen["violations"] == []
    assert seen["hosts"] == {host}
