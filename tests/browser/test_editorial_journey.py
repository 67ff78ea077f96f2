"""An editor adapts Tool 4.3 in the Wagtail admin and a second person approves it."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect
from wagtail.models import Locale

from culture_cms.programme.models import KeyMessagesPage

pytestmark = [
    # The live server needs committed data; the rollback keeps the migrations' rows.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # After each page load the admin's sidebar badge pulses for 25 s (Wagtail's
    # ping-warning animation, shown only under prefers-reduced-motion: no-preference),
    # and Chromium draws every frame of it, the whole journey long. Editors who ask
    # for reduced motion see none; nothing this test checks moves.
    pytest.mark.browser_context_args(reduced_motion="reduce"),
]

PASSWORD = "journey-pass-2026"  # noqa: S105 — a test user's
PLACEHOLDER = "[insert name of organisation]"
NEW_NAME = "Northshire Community Health NHS Trust"


def person(username, group):
    user = User.objects.create_user(username, f"{username}@example.nhs.uk", PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def sign_in(page: Page, base_url, username):
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def choose_action(page: Page, name):
    """The page editor's footer: open the actions menu, then press the action."""
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name=name).click()


def test_editor_fills_a_placeholder_and_a_moderator_approves_it(
    demo, live_server, page: Page, new_context
):
    tool = KeyMessagesPage.objects.get(tool_reference="4.3", locale=Locale.get_default())
    # A draft still holding the template's placeholder, as an editor left it.
    draft = tool.get_latest_revision_as_object()
    draft.summary = f"Messages for everyone who works at {PLACEHOLDER}."
    draft.save_revision()
    person("casey", "Editors")
    person("morgan", "Moderators")
    site_id = tool.get_site().pk

    sign_in(page, live_server.url, "casey")
    page.goto(
        live_server.url + f"/admin/settings/culture_organisation/organisationsettings/{site_id}/"
    )
    page.get_by_label("Organisation name").fill(NEW_NAME)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Organisation settings updated")

    page.goto(live_server.url + f"/admin/pages/{tool.pk}/edit/")
    summary = page.get_by_role("textbox", name="Summary")
    expect(summary).to_have_value(f"Messages for everyone who works at {PLACEHOLDER}.")
    choose_action(page, "Submit to Comms approval")
    expect(page.get_by_text("Replace the placeholder", exact=False).first).to_be_visible()
    # The refused form is autosaved as a draft at once. A person reads the error
    # while that save finishes; a test that submits inside that half-second has
    # the draft land after its submission, as the newer revision.
    autosave = page.locator("#w-autosave-indicator")
    expect(autosave).to_have_attribute("data-w-autosave-state-value", "saved")
    summary.fill("Messages for everyone who works at {organisation}.")
    choose_action(page, "Submit to Comms approval")
    expect(page.get_by_role("status")).to_contain_text("has been submitted for moderation")

    # A browser of their own. pytest-playwright's new_context closes it after the
    # test, as it does `page`'s; one from browser.new_context() stayed open, its
    # admin page live in Chromium, until the session ended.
    reviewer = new_context().new_page()
    sign_in(reviewer, live_server.url, "morgan")
    reviewer.goto(live_server.url + f"/admin/pages/{tool.pk}/edit/")
    submitted = tool.revisions.order_by("-created_at", "-pk").values_list("pk", flat=True)
    [submitted_pk] = submitted[:1]
    choose_action(reviewer, "Approve and Publish")
    expect(reviewer.get_by_role("status")).to_contain_text("has been updated")
    # Approving from the edit view, changing nothing, publishes the revision submitted:
    # no second, identical one.
    tool.refresh_from_db()
    assert tool.live_revision_id == submitted_pk
    assert list(submitted[:1]) == [submitted_pk]

    page.goto(live_server.url + tool.url)
    expect(page.get_by_text(f"Messages for everyone who works at {NEW_NAME}.")).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text(NEW_NAME)
