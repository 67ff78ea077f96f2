"""A member of staff signs up for a focus group in Chromium, and later cancels by email.

Mail goes through anymail's real Postmark backend to the fake Postmark on
127.0.0.1 (tests/fake_esp.py); the journey reads what reached it.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from wagtail.models import Locale

from culture_cms.focus_groups.models import FocusGroupEventPage, Signup
from tests.factories import sign_up
from tests.fake_esp import fake_esp_fixture  # noqa: F401 — the `fake_esp` fixture

# The live server needs committed data; the rollback keeps the migrations' rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GRACE = "grace.hopper@example.nhs.uk"


def only(messages):
    assert len(messages) == 1, messages
    return messages[0]


def test_staff_sign_up_after_mistakes_then_cancel_from_the_email(
    demo, live_server, page: Page, fake_esp
):
    event = FocusGroupEventPage.objects.filter(locale=Locale.get_default()).order_by("start")[0]
    event.capacity = 1
    event.save_revision().publish()
    contact = event.contact

    page.goto(live_server.url + event.url)
    page.get_by_role("button", name="Sign up").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter your full name")).to_be_visible()

    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Work email address").fill(GRACE)
    page.get_by_label("Nursing and midwifery").check()
    page.get_by_label("I have read the confidentiality statement and want to take part").check()
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", level=1, name="Your place is confirmed")).to_be_visible()
    confirmation = only(fake_esp.sent_to(GRACE))
    notice = only(fake_esp.sent_to(contact.email))
    assert event.title in confirmation["Subject"]
    assert notice["Subject"] == f"New signup: Grace Hopper, {event.title}"

    # Someone else joins the waitlist for the one place.
    ben = sign_up(event, "Ben Bowen").signup
    assert ben.status == Signup.Status.WAITLISTED

    cancel_link = re.search(r"https?://\S+/signups/cancel/\S+/", confirmation["TextBody"]).group(0)
    page.goto(live_server.url + urlsplit(cancel_link).path)
    page.get_by_role("button", name="Cancel my place").click()

    expect(page.get_by_role("heading", name="Your place has been cancelled")).to_be_visible()
    ben.refresh_from_db()
    assert ben.status == Signup.Status.CONFIRMED
    promoted = [
        m for m in fake_esp.sent_to(ben.email) if m["Subject"].startswith("You have a place")
    ]
    assert len(promoted) == 1
