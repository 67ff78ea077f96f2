"""An organiser moves a booked focus group to another day and room in Chromium, then calls
it off: the people booked hear of each, with their calendars updated (issue 12, points 2
and 3, as test_lifecycle.py tests them without a browser).

The test settings send through the immediate task backend into Django's outbox, so what
the live server queues is in mail.outbox as soon as its response arrives.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from culture_cms.focus_groups.models import OutboundEmail, Signup
from tests.browser.test_editorial_journey import choose_action, person, sign_in
from tests.factories import sign_up
from tests.focus_groups.test_lifecycle import ANN, BOB, CAT, calendars, to

pytestmark = [
    # The live server needs committed data; the rollback keeps the migrations' rows.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # As in test_editorial_journey.py: no 25 s pulse of the admin's sidebar badge.
    pytest.mark.browser_context_args(reduced_motion="reduce"),
]

NEW_VENUE = "Room 5, Main Building, Anytown General Hospital"
MESSAGE = "The facilitator is unwell. We will email you when there is a new date."


def day(moment):
    """A date as the emails write it: "Tuesday 8 December 2026"."""
    moment = timezone.localtime(moment)
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def test_organiser_reschedules_then_cancels_a_booked_focus_group(demo, live_server, page: Page):
    event = demo.events[0]
    event.capacity = 2
    event.save_revision().publish()
    ann, bob, cat = (sign_up(event, name).signup for name in ("Ann Able", "Bob Brown", "Cat Cole"))
    assert cat.status == Signup.Status.WAITLISTED
    # The event in the calendars of those with a place, from their confirmation.
    booked = {address: calendars(to(address)[0]) for address in (ANN, BOB)}
    mail.outbox.clear()
    old_start = event.start
    new_start, new_end = (
        old_start + datetime.timedelta(days=1),
        event.end + datetime.timedelta(days=1),
    )
    # Who may publish (a Moderator) and cancel (an Organiser).
    person("olu", "Moderators").groups.add(Group.objects.get(name="Organisers"))

    sign_in(page, live_server.url, "olu")
    edit_url = live_server.url + f"/admin/pages/{event.pk}/edit/"
    page.goto(edit_url)
    expect(page.locator("[data-change-notice]")).to_contain_text("3 people are booked.")
    page.get_by_label("Starts").fill(f"{timezone.localtime(new_start):%Y-%m-%d %H:%M}")
    page.get_by_label("Ends").fill(f"{timezone.localtime(new_end):%Y-%m-%d %H:%M}")
    page.get_by_label("Venue").fill(NEW_VENUE)
    choose_action(page, "Publish")
    expect(page.get_by_role("status")).to_contain_text("has been published")

    for address in (ANN, BOB, CAT):
        [changed] = to(address)
        assert changed.subject == f"Change to your focus group: {event.title}"
        body = " ".join(changed.body.split())
        assert f"Date and time: now {day(new_start)}" in body
        assert f"(was {day(old_start)}" in body
        assert f"Venue: now {NEW_VENUE} (was {event.venue})" in body
    for address in (ANN, BOB):
        [(_, _, booked_vevent)] = booked[address].values()
        [(mimetype, method, vevent)] = calendars(to(address)[0]).values()
        assert (mimetype, method) == ("text/calendar; method=REQUEST", "REQUEST")
        assert vevent["UID"] == booked_vevent["UID"]
        assert vevent["SEQUENCE"] == booked_vevent["SEQUENCE"] + 1
        assert vevent.decoded("DTSTART") == new_start
        assert str(vevent["LOCATION"]) == NEW_VENUE
    assert to(CAT)[0].attachments == []  # the waitlist has no event in its calendars
    assert len(to(event.contact.email)) == 1
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.CHANGED).count() == 3
    uid, sequence = vevent["UID"], vevent["SEQUENCE"]
    mail.outbox.clear()

    page.goto(edit_url)
    page.get_by_role("link", name="Cancel the focus group").click()
    expect(page.locator("[data-cancel-summary]")).to_contain_text("The 2 people with a place")
    page.get_by_label("Message to the people booked").fill(MESSAGE)
    page.get_by_role("button", name="Cancel the focus group and email everyone booked").click()
    expect(page.get_by_role("status")).to_contain_text("3 people booked have been emailed")

    page.goto(live_server.url + event.url)
    expect(page.locator(".nhsuk-warning-callout")).to_contain_text(
        "This focus group has been cancelled."
    )
    expect(page.get_by_label("Full name")).to_have_count(0)
    expect(page.get_by_role("button", name="Sign up")).to_have_count(0)

    for address in (ANN, BOB, CAT):
        [cancelled] = to(address)
        assert cancelled.subject == f"Cancelled: {event.title}"
        assert MESSAGE in cancelled.body
        [(mimetype, method, vevent)] = calendars(cancelled).values()
        assert (mimetype, method) == ("text/calendar; method=CANCEL", "CANCEL")
        assert vevent["UID"] == uid
        assert vevent["SEQUENCE"] > sequence
    statuses = Signup.objects.filter(pk__in=[ann.pk, bob.pk, cat.pk]).values_list(
        "status", flat=True
    )
    assert set(statuses) == {Signup.Status.GROUP_CANCELLED}
