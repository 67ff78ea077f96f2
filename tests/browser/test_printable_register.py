"""A focus group's printable register in Chromium, as an organiser opens it from the admin:
no WCAG 2.2 A or AA violations (axe-core), valid HTML (the Nu Html Checker), and on A4
when printed. axe-core and the checker come from npm, as in test_accessibility.py."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import AXE, html_errors, violations
from tests.factories import sign_up

pytestmark = [
    # The live server needs committed data; the rollback keeps the migrations' rows.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # As in test_editorial_journey.py: no 25 s pulse of the admin's sidebar badge.
    pytest.mark.browser_context_args(reduced_motion="reduce"),
    pytest.mark.usefixtures("queue_only"),
]

PASSWORD = "register-pass-2026"  # noqa: S105 — a test user's
# A4 in PDF points (1/72 inch): 210 mm by 297 mm.
A4 = (595, 842)


@pytest.fixture
def axe_url(live_server, settings):
    """axe-core as a static file of the live server (as test_accessibility.py serves it)."""
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("axe-core", AXE.parent)]
    return f"{live_server.url}{settings.STATIC_URL}axe-core/{AXE.name}"


def pdf_page_sizes(pdf):
    """Each page's width and height in points, rounded, from the PDF's MediaBoxes."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(round(float(width)), round(float(height))) for width, height in boxes]


def test_printable_register_is_accessible_valid_html_and_a4(
    demo, live_server, axe_url, page: Page, tmp_path
):
    organiser = User.objects.create_user("olu", "olu@example.nhs.uk", PASSWORD)
    organiser.groups.add(Group.objects.get(name="Organisers"))
    event = demo.events[0]
    for name, group in [("Ann Able", "nursing"), ("Bob Brown", "medical"), ("Cat Cole", "ahp")]:
        sign_up(event, name, staff_group=group)

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("olu")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(live_server.url + reverse("culture_focus_groups:register", args=[event.pk]))
    page.get_by_role("link", name="Printable register").first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Register")
    expect(page.locator("[data-booked-people] tr")).to_have_count(3)
    expect(page.locator("[data-booked]")).to_contain_text("3 people with a confirmed place")
    assert violations(page, axe_url) == []
    assert html_errors({"register": page.content()}, tmp_path) == {}
    page.emulate_media(media="print")
    assert pdf_page_sizes(page.pdf(prefer_css_page_size=True)) == [A4]
