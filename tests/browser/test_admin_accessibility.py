"""The admin views the plugin adds, in Chromium, as the people who use them see them: no
WCAG 2.2 A or AA violations (axe-core, as test_accessibility.py runs it), and the
organiser's daily question, who is on tomorrow's waitlist, answered from the dashboard
in one click."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from culture_cms.focus_groups.models import OutboundEmail, Signup
from tests import factories
from tests.browser.test_accessibility import AXE, violations
from tests.factories.translations import localized

pytestmark = [
    # The live server needs committed data; the rollback keeps the migrations' rows.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # As in test_editorial_journey.py: no 25 s pulse of the admin's sidebar badge.
    pytest.mark.browser_context_args(reduced_motion="reduce"),
    pytest.mark.usefixtures("queue_only"),
]


@pytest.fixture
def axe_url(live_server, settings):
    """axe-core as a static file of the live server (as test_accessibility.py serves it)."""
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("axe-core", AXE.parent)]
    return f"{live_server.url}{settings.STATIC_URL}axe-core/{AXE.name}"


@pytest.fixture
def tomorrow():
    """The smallest site with a focus group tomorrow: two places, three people (one
    waiting), a week's later one, and a page that still holds a placeholder."""
    tree = factories.site_tree()
    event = factories.focus_group(
        tree.focus_groups, days_from_today=1, capacity=2, contact=tree.contact
    )
    event.signup_closes = event.start - datetime.timedelta(hours=1)
    event.save_revision().publish()
    factories.focus_group(tree.focus_groups, days_from_today=8, contact=tree.contact)
    for name in ("Ann Able", "Bob Brown", "Cat Cole"):
        factories.sign_up(event, name)
    factories.key_messages_page(tree.programme, summary="For everyone at [insert name].")
    return event


# Wagtail's own listing filter button, on every filtered listing of the admin: its label
# is "Show filters" while it shows how many filters are on ("1"), so the name spoken is
# not the text seen (WCAG 2.5.3). Ours only in that our lists use Wagtail's filters.
WAGTAILS_OWN = [
    {
        "rule": "label-content-name-mismatch",
        "impact": "serious",
        "where": [".w-slim-header-action-button"],
    }
]


def sign_in(page: Page, base_url, username):
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_an_organiser_finds_tomorrows_waitlist_from_the_dashboard_in_one_click(
    tomorrow, live_server, page: Page
):
    factories.account("olu", "Organisers")
    sign_in(page, live_server.url, "olu")

    panel = page.locator("#culture-upcoming-focus-groups-section, [data-upcoming-focus-group]")
    row = page.locator(f"[data-upcoming-focus-group='{tomorrow.pk}']")
    expect(panel.first).to_be_visible()
    expect(row.locator("[data-waitlisted]")).to_have_text("1")
    row.get_by_role("link", name="Signups").click()  # the one click

    rows = page.locator("table.listing > tbody > tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="Cat Cole")).to_contain_text("Waitlisted")


def plugin_admin_urls(event):
    """Every admin view the plugin adds that an organiser opens, for one focus group."""
    signup = Signup.objects.filter(event=event).order_by("pk").first()
    email = OutboundEmail.objects.order_by("pk").first()
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "signups": reverse("culture_focus_groups:index") + f"?event={event.pk}",
        "signup": reverse("culture_focus_groups:inspect", args=[signup.pk]),
        "move": reverse("culture_focus_groups:move", args=[signup.pk]),
        "cancel": reverse("culture_focus_groups:cancel", args=[signup.pk]),
        "cancel focus group": reverse("culture_focus_groups:cancel_focus_group", args=[event.pk]),
        "invite": reverse("culture_focus_groups:invite", args=[event.pk]),
        "report": reverse("culture_focus_groups:report"),
        "focus group report": reverse("culture_focus_groups:report_event", args=[event.pk]),
        "register": reverse("culture_focus_groups:register", args=[event.pk]),
        "emails": reverse("culture_signup_emails:index"),
        "email": reverse("culture_signup_emails:inspect", args=[email.pk]),
    }


def test_the_plugins_admin_views_have_no_accessibility_violations(
    tomorrow, live_server, axe_url, page: Page
):
    factories.account("olu", "Organisers", "Editors")
    sign_in(page, live_server.url, "olu")
    expect(page.locator("[data-still-to-adapt]")).to_have_count(1)  # both panels are shown
    expect(page.locator("[data-upcoming-focus-group]")).to_have_count(2)

    found = {}
    for name, url in plugin_admin_urls(tomorrow).items():
        page.goto(live_server.url + url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if problems := [found for found in violations(page, axe_url) if found not in WAGTAILS_OWN]:
            found[name] = problems
    assert found == {}


def test_the_translation_submit_view_has_no_accessibility_violations(
    live_server, axe_url, page: Page
):
    tree = factories.site_tree()
    localized(tree.home)
    welsh = localized(tree.programme)
    factories.account("casey", "Editors")
    sign_in(page, live_server.url, "casey")

    page.goto(live_server.url + reverse("culture_cms_submit_translation", args=[welsh.pk]))
    expect(page.get_by_role("button", name="Submit")).to_be_visible()
    assert violations(page, axe_url) == []
