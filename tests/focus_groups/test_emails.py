"""Each signup email: who gets it, Reply-To, subject, both bodies, the .ics and the cancel link.

The test settings send through the immediate task backend into Django's locmem
outbox, so every email a booking queues is in mail.outbox when the call returns.
"""

import datetime
import email
import email.policy
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import resolve, reverse
from django.utils import timezone
from icalendar import Calendar

from culture_cms.focus_groups import emails, services
from culture_cms.focus_groups.models import FocusGroupEventPage, OutboundEmail, Signup
from culture_cms.organisation.models import Contact
from tests import factories
from tests.factories.focus_groups import (
    ABOUT_THE_PROGRAMME,
    NAMING_NOBODY,
    email_of_kind,
    online_focus_group,
)
from tests.factories.module_data import built_once

LONDON = ZoneInfo("Europe/London")
Kind = OutboundEmail.Kind
# To a person with a place, about it (the waitlist gets no event).
PARTICIPANT_KINDS_WITH_CALENDAR = ["confirmed", "promoted", "moved", "reminder", "changed"]
# Taking the focus group out of the person's calendar.
PARTICIPANT_KINDS_WITH_CANCELLATION = ["cancelled", "group_cancelled"]


def build():
    tree = factories.site_tree()
    return SimpleNamespace(
        tree=tree,
        event=factories.focus_group(tree.focus_groups, capacity=2, contact=tree.contact),
        online=online_focus_group(tree.focus_groups, contact=tree.contact),
    )


# Made once for the module (tests/factories/module_data.py); each test has its copy.
built, made = built_once(build)


@pytest.fixture
def tree(made):
    """The smallest whole site (tests/factories: site_tree)."""
    return made.tree


@pytest.fixture
def event(made):
    """An in-person focus group (10am to 11:30am, in a seminar room), with two places."""
    return made.event


@pytest.fixture
def online(made):
    """An online focus group a week after the first, with a joining link and details."""
    return made.online


def book(event, name, **overrides):
    fields = {
        "full_name": name,
        "email": f"{name.split()[0].lower()}@example.nhs.uk",
        "staff_group": "nursing",
        "language": "en-gb",
        **overrides,
    }
    return services.sign_up(event, **fields).signup


def sent(to, subject_start=""):
    """The one email in the outbox to this address whose subject starts so."""
    found = [m for m in mail.outbox if m.to == [to] and m.subject.startswith(subject_start)]
    assert len(found) == 1, [(m.to, m.subject) for m in mail.outbox]
    return found[0]


def html(message):
    [(body, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return body


def when(event):
    """The 10am to 11:30am focus group, in words."""
    start = timezone.localtime(event.start, LONDON)
    return f"{start:%A} {start.day} {start:%B %Y}, 10am to 11:30am"


class Outline(HTMLParser):
    """The parts of an HTML email that accessibility depends on."""

    def __init__(self, body):
        super().__init__()
        self.lang, self.headings, self.links = None, [], []
        self._open = None
        self.feed(body)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("h1", "h2", "a"):
            self._open = [tag, attrs.get("href"), ""]

    def handle_data(self, data):
        if self._open:
            self._open[2] += data

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            tag, href, text = self._open
            if tag == "a":
                self.links.append((" ".join(text.split()), href))
            else:
                self.headings.append((tag, " ".join(text.split())))
            self._open = None


# The participant's emails


def test_confirmed_email_tells_the_participant_where_and_when(event, tree):
    signup = book(event, "Ada Lovelace")

    message = sent("ada@example.nhs.uk", "Place confirmed")
    assert message.subject == f"Place confirmed: {event.title}"
    assert message.reply_to == []
    for body in (message.body, html(message)):
        assert "Ada Lovelace" in body
        assert "Your place is confirmed" in body
        assert when(event) in body
        assert event.venue in body
        assert tree.contact.name in body
        assert tree.contact.email in body
        assert event.get_full_url() in body
    [cancel_link] = [h for t, h in Outline(html(message)).links if t == "Cancel your place"]
    assert cancel_link in message.body
    assert services.signup_for_cancel_token(cancel_token(cancel_link)) == signup


def cancel_token(url):
    return resolve(urlsplit(url).path).kwargs["token"]


def admin_list(event):
    return f"{reverse('culture_focus_groups:index')}?event={event.pk}"


def test_waitlisted_email_gives_the_place_in_line(event):
    book(event, "Ada Lovelace")
    book(event, "Grace Hopper")
    book(event, "Mary Seacole")
    book(event, "Alan Turing")

    for address, position in (("mary@example.nhs.uk", 1), ("alan@example.nhs.uk", 2)):
        message = sent(address, "On the waitlist")
        assert message.subject == f"On the waitlist: {event.title}"
        for body in (message.body, html(message)):
            assert f"You are number {position} on the waitlist" in body
            assert when(event) in body
            assert "Leave the waitlist" in body or "leave the waitlist" in body


def test_promoted_email_says_the_place_is_now_theirs(event):
    ada = book(event, "Ada Lovelace")
    book(event, "Grace Hopper")
    book(event, "Mary Seacole")

    services.cancel(ada)

    message = sent("mary@example.nhs.uk", "You have a place")
    assert message.subject == f"You have a place: {event.title}"
    for body in (message.body, html(message)):
        assert "a place has become free at this focus group, and it is yours" in body
        assert when(event) in body
        assert "Cancel your place" in body or "cancel your place" in body


def test_moved_email_gives_the_new_focus_groups_details(event, online):
    signup = book(event, "Ada Lovelace")

    services.move(signup, online)

    message = sent("ada@example.nhs.uk", "Your focus group has changed")
    assert message.subject == f"Your focus group has changed: {online.title}"
    for body in (message.body, html(message)):
        assert "We have moved your booking to a different focus group" in body
        assert "You have a place at this focus group" in body
        assert online.title in body
        assert online.joining_link in body
        assert online.joining_details in body
    assert "Joining link for this focus group</a>" in html(message)


def test_cancelled_email_confirms_the_cancellation_to_the_participant(event):
    signup = book(event, "Ada Lovelace")

    services.cancel(signup)

    message = sent("ada@example.nhs.uk", "Cancelled")
    assert message.subject == f"Cancelled: {event.title}"
    for body in (message.body, html(message)):
        assert "Your booking for this focus group has been cancelled" in body
        assert when(event) in body
    # Out of their calendar: the event cancelled, its UID, a SEQUENCE above the invitation's.
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("cancelled-focus-group.ics", "text/calendar; method=CANCEL")
    [vevent] = Calendar.from_ical(content).walk("VEVENT")
    invitation = Calendar.from_ical(sent("ada@example.nhs.uk", "Place confirmed").attachments[0][1])
    assert vevent["UID"] == invitation.walk("VEVENT")[0]["UID"]
    assert vevent["SEQUENCE"] > invitation.walk("VEVENT")[0]["SEQUENCE"]


# The contact's emails


def test_contact_hears_of_each_signup_with_reply_to_the_participant(event, tree):
    book(
        event,
        "Ada Lovelace",
        job_role="Staff nurse",
        department="Ward 7, Anytown General",
        access_needs="A hearing loop, please",
    )

    message = sent(tree.contact.email, "New signup")
    assert message.subject == f"New signup: Ada Lovelace, {event.title}"
    assert message.reply_to == ["ada@example.nhs.uk"]
    assert message.attachments == []
    for body in (message.body, html(message)):
        for shown in (
            "Ada Lovelace",
            "ada@example.nhs.uk",
            "Nursing and midwifery",
            "Staff nurse",
            "Ward 7, Anytown General",
            "A hearing loop, please",
            "Confirmed",
            "1 confirmed of 2, 0 on the waitlist",
            admin_list(event),
            "Reply to this email to write to Ada Lovelace",
        ):
            assert shown in body, shown


def test_contact_hears_of_a_waitlist_signup_with_its_position_and_the_counts(event, tree):
    for name in ("Ada Lovelace", "Grace Hopper", "Mary Seacole"):
        book(event, name)

    message = sent(tree.contact.email, "Waitlist signup: Mary Seacole")
    assert message.reply_to == ["mary@example.nhs.uk"]
    for body in (message.body, html(message)):
        assert "On the waitlist, number 1" in body
        assert "2 confirmed of 2, 1 on the waitlist" in body


def test_contact_hears_of_a_cancellation(event, tree):
    signup = book(event, "Ada Lovelace")

    services.cancel(signup)

    message = sent(tree.contact.email, "Cancellation")
    assert message.subject == f"Cancellation: Ada Lovelace, {event.title}"
    assert message.reply_to == ["ada@example.nhs.uk"]
    for body in (message.body, html(message)):
        assert "The booking for Ada Lovelace" in body
        assert "has been cancelled" in body
        assert "0 confirmed of 2, 0 on the waitlist" in body
        assert admin_list(event) in body


def test_the_contact_is_the_events_own(event, tree):
    own = Contact.objects.create(
        name="Priya Shah", email="priya.shah@example.nhs.uk", locale=tree.contact.locale
    )
    event.contact = own
    event.save()

    book(event, "Ada Lovelace")

    assert sent("priya.shah@example.nhs.uk", "New signup").reply_to == ["ada@example.nhs.uk"]
    assert not [m for m in mail.outbox if tree.contact.email in m.to]
    participant = sent("ada@example.nhs.uk")
    assert "Priya Shah" in participant.body
    assert "priya.shah@example.nhs.uk" in html(participant)


def test_without_its_own_contact_the_organisation_default_is_told(event, tree):
    FocusGroupEventPage.objects.filter(pk=event.pk).update(contact=None)
    event.refresh_from_db()

    book(event, "Ada Lovelace")

    assert sent(tree.organisation.default_contact.email, "New signup")
    assert tree.organisation.default_contact.name in sent("ada@example.nhs.uk").body


# Every kind


def every_kind(event):
    """One email of each kind for one signup, rendered as the send task renders it."""
    signup = Signup.objects.create(
        event=event,
        status=Signup.Status.CONFIRMED,
        full_name="Ada Lovelace",
        email="ada@example.nhs.uk",
        staff_group="nursing",
    )
    return {kind: emails.build_message(email_of_kind(kind, signup)) for kind in Kind.values}


def test_every_kind_has_a_one_line_subject_and_both_bodies_in_the_nhs_layout(event, tree):
    for kind, message in every_kind(event).items():
        body = html(message)
        outline = Outline(body)
        assert message.subject and "\n" not in message.subject, kind
        if kind not in NAMING_NOBODY:
            assert "Ada Lovelace" in message.body and "Ada Lovelace" in body, kind
        if kind not in ABOUT_THE_PROGRAMME:
            assert event.title in message.body and event.title in body, kind
        assert tree.organisation.organisation_name in message.body, kind
        assert 'width="600"' in body and "background-color: #005eb8" in body, kind
        assert "<style" not in body, kind
        assert outline.lang == "en-gb", kind
        assert outline.headings[0][0] == "h1", kind
        for text, href in outline.links:
            assert href and text, (kind, href)
            assert text.lower() not in ("click here", "here", "link") and text != href, (kind, text)
        assert "{%" not in message.body + body and "{{" not in message.body + body, kind


def test_participant_emails_carry_the_focus_group_as_an_invitation(event):
    for kind, message in every_kind(event).items():
        calendars = [a for a in message.attachments if a[2].startswith("text/calendar")]
        if kind in PARTICIPANT_KINDS_WITH_CANCELLATION:
            [(filename, content, mimetype)] = calendars
            assert mimetype == "text/calendar; method=CANCEL", kind
            [vevent] = Calendar.from_ical(content).walk("VEVENT")
            assert str(vevent["STATUS"]) == "CANCELLED", kind
            continue
        if kind not in PARTICIPANT_KINDS_WITH_CALENDAR:
            assert calendars == [], kind
            continue
        [(filename, content, mimetype)] = calendars
        assert filename.endswith(".ics"), kind
        assert mimetype == "text/calendar; method=REQUEST", kind
        calendar = Calendar.from_ical(content)
        assert str(calendar["METHOD"]) == "REQUEST", kind
        [vevent] = calendar.walk("VEVENT")
        assert str(vevent["SUMMARY"]) == event.title, kind
        assert vevent.decoded("DTSTART") == event.start, kind
        assert str(vevent["ATTENDEE"]) == "mailto:ada@example.nhs.uk", kind
        assert vevent["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED", kind
        assert str(vevent["ORGANIZER"]).startswith("mailto:"), kind
        assert vevent["SEQUENCE"] == 0, kind


def test_moved_onto_a_waitlist_the_person_gets_no_calendar_event(event, tree):
    full = factories.focus_group(tree.focus_groups, days_from_today=21, capacity=1)
    book(full, "Grace Hopper")
    ada = book(event, "Ada Lovelace")
    mail.outbox.clear()

    services.move(ada, full)

    moved = sent("ada@example.nhs.uk")
    assert [a.filename for a in moved.attachments] == ["cancelled-focus-group.ics"]
    assert "If a place becomes yours" in moved.body


def test_a_move_takes_the_old_focus_group_out_of_the_calendar_and_puts_the_new_one_in(event, tree):
    other = factories.focus_group(tree.focus_groups, days_from_today=21)
    ada = book(event, "Ada Lovelace")
    mail.outbox.clear()

    services.move(ada, other)

    moved = sent("ada@example.nhs.uk")
    files = {a.filename: (a.mimetype, Calendar.from_ical(a.content)) for a in moved.attachments}
    assert set(files) == {"focus-group.ics", "cancelled-focus-group.ics"}
    mimetype, new = files["focus-group.ics"]
    assert (mimetype, str(new["METHOD"])) == ("text/calendar; method=REQUEST", "REQUEST")
    [new_event] = new.walk("VEVENT")
    assert new_event.decoded("DTSTART") == other.start
    mimetype, old = files["cancelled-focus-group.ics"]
    assert (mimetype, str(old["METHOD"])) == ("text/calendar; method=CANCEL", "CANCEL")
    [old_event] = old.walk("VEVENT")
    assert str(old_event["UID"]) == f"focus-group-{event.translation_key}@culture-cms"
    assert str(old_event["STATUS"]) == "CANCELLED"
    assert old_event["SEQUENCE"] > 0
    assert str(old_event["ATTENDEE"]) == "mailto:ada@example.nhs.uk"
    assert "take the old one out" in moved.body


def test_the_waitlist_gets_no_calendar_event(event):
    FocusGroupEventPage.objects.filter(pk=event.pk).update(capacity=1)
    book(event, "Ada Lovelace")
    book(event, "Grace Hopper")

    assert sent("grace@example.nhs.uk").attachments == []


def test_the_html_email_has_the_language_of_the_signup(event):
    book(event, "Ada Lovelace", language="cy")

    assert Outline(html(sent("ada@example.nhs.uk"))).lang == "cy"


# The cancel link


def test_the_cancel_link_in_the_email_opens_the_cancel_page_for_that_signup(event, client):
    signup = book(event, "Ada Lovelace")
    [cancel_link] = [
        href
        for text, href in Outline(html(sent("ada@example.nhs.uk"))).links
        if text == "Cancel your place"
    ]
    assert cancel_link in sent("ada@example.nhs.uk").body

    assert services.signup_for_cancel_token(cancel_token(cancel_link)) == signup

    response = client.get(urlsplit(cancel_link).path)
    assert response.status_code == 200
    # Mail scanners open links: opening one must not cancel anything.
    signup.refresh_from_db()
    assert signup.status == Signup.Status.CONFIRMED


# Reminders


def starting_in(event, hours):
    start = timezone.now() + datetime.timedelta(hours=hours)
    FocusGroupEventPage.objects.filter(pk=event.pk).update(
        start=start, end=start + datetime.timedelta(minutes=90)
    )
    event.refresh_from_db()
    return start


def test_send_reminders_reminds_each_confirmed_person_of_tomorrows_focus_group(event):
    book(event, "Ada Lovelace")
    book(event, "Grace Hopper")
    book(event, "Mary Seacole")  # waitlisted: no reminder
    start = starting_in(event, 23)
    mail.outbox.clear()

    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.nhs.uk", "grace@example.nhs.uk"]
    message = sent("ada@example.nhs.uk")
    day = "today" if timezone.localdate(start) == timezone.localdate() else "tomorrow"
    assert message.subject == f"{day.capitalize()}: {event.title}"
    for body in (message.body, html(message)):
        assert f"Your focus group is {day}" in body
        assert event.venue in body
        assert "cancel your place" in body.lower()
    assert [a[2] for a in message.attachments] == ["text/calendar; method=REQUEST"]


def test_send_reminders_twice_sends_each_reminder_once(event):
    book(event, "Ada Lovelace")
    starting_in(event, 20)
    mail.outbox.clear()

    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert [m.to for m in mail.outbox] == [["ada@example.nhs.uk"]]
    assert OutboundEmail.objects.filter(kind=Kind.REMINDER).count() == 1


def test_no_reminder_for_a_focus_group_more_than_a_day_away(event):
    book(event, "Ada Lovelace")
    starting_in(event, 25)
    mail.outbox.clear()

    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert mail.outbox == []


def test_no_reminder_for_a_focus_group_that_is_not_live(event):
    book(event, "Ada Lovelace")
    starting_in(event, 20)
    event.unpublish()
    mail.outbox.clear()

    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert mail.outbox == []


def test_the_reminder_of_an_online_focus_group_carries_its_joining_details(tree):
    online = online_focus_group(tree.focus_groups, contact=tree.contact)
    book(online, "Ada Lovelace")
    starting_in(online, 20)
    mail.outbox.clear()

    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115

    message = sent("ada@example.nhs.uk")
    for body in (message.body, html(message)):
        assert online.joining_link in body
        assert online.joining_details in body


def joining_shown(message, event):
    """Whether the joining link and details are in the email's bodies and its .ics."""
    [(body, _type)] = message.alternatives
    parts = [message.body, body] + [
        str(vevent["DESCRIPTION"])
        for _name, content, _type in message.attachments
        for vevent in Calendar.from_ical(content).walk("VEVENT")
    ]
    secrets = [event.joining_link, event.joining_details]
    found = {secret in part for part in parts for secret in secrets}
    assert len(found) == 1, "in some parts and not in others"
    return found.pop()


def test_the_joining_details_go_to_people_with_a_place_and_to_nobody_else(tree):
    online = online_focus_group(tree.focus_groups, contact=tree.contact, capacity=1)
    ada = book(online, "Ada Lovelace")
    book(online, "Grace Hopper")  # waitlisted
    assert joining_shown(sent("ada@example.nhs.uk"), online)
    assert not joining_shown(sent("grace@example.nhs.uk"), online)
    mail.outbox.clear()

    services.cancel(ada)  # Grace gets the place

    assert not joining_shown(sent("ada@example.nhs.uk"), online)  # her cancellation
    assert joining_shown(sent("grace@example.nhs.uk"), online)  # promoted


# Bad input


def test_html_in_a_name_is_escaped_in_html_bodies_and_kept_as_typed_in_text(event, tree):
    name = "<script>alert(1)</script> O'Brien & Co"
    book(event, name, email="evil@example.nhs.uk", access_needs="<img src=x onerror=alert(2)>")

    for message in (sent("evil@example.nhs.uk"), sent(tree.contact.email)):
        body = html(message)
        assert "<script>" not in body and "<img" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt; O&#x27;Brien &amp; Co" in body
        assert name in message.body
    assert "&lt;img src=x onerror=alert(2)&gt;" in html(sent(tree.contact.email))
    assert sent(tree.contact.email).subject == f"New signup: {name}, {event.title}"


def test_a_newline_in_a_name_cannot_reach_the_headers(event, tree):
    book(event, "Ada Lovelace\r\nBcc: victim@example.com", email="ada@example.nhs.uk")

    message = sent(tree.contact.email)
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    assert "Bcc" not in parsed
    assert parsed["Subject"].startswith("New signup: Ada Lovelace Bcc: victim@example.com,")
    assert message.recipients() == [tree.contact.email]


def test_the_contacts_email_states_the_places_as_they_were_at_the_signup(event, queue_only):
    """Sent later (a worker behind, an outage), it still says how things stood then."""
    book(event, "Ada Lovelace")
    for name in ["Grace Hopper", "Mary Seacole"]:
        book(event, name)
    FocusGroupEventPage.objects.filter(pk=event.pk).update(capacity=20)
    first = OutboundEmail.objects.filter(kind=Kind.CONTACT_SIGNUP).order_by("pk").first()

    message = emails.build_message(first)

    for body in (message.body, html(message)):
        assert "1 confirmed of 2, 0 on the waitlist" in body


def test_an_email_keeps_its_message_id_on_every_send(event, queue_only):
    signup = book(event, "Ada Lovelace")
    confirmed, to_contact = OutboundEmail.objects.filter(signup=signup).order_by("pk")

    first = emails.build_message(confirmed).message()["Message-ID"]
    again = emails.build_message(confirmed).message()["Message-ID"]

    assert first == again
    assert first.endswith("@example.nhs.uk>")
    assert emails.build_message(to_contact).message()["Message-ID"] != first


def test_the_sweep_leaves_a_new_email_to_its_own_task(event, queue_only, settings):
    settings.CULTURE_CMS_EMAIL_SENDING_LEASE = 600
    signup = book(event, "Ada Lovelace")
    queued_at = signup.created_at

    assert emails.send_due(now=queued_at + datetime.timedelta(seconds=599)) == 0
    # Never tried for longer than a claim lasts: its task was lost, so the sweep sends it.
    assert emails.send_due(now=queued_at + datetime.timedelta(seconds=601)) == 2


def test_the_sweep_picks_up_an_email_whose_worker_died_holding_it(event, queue_only, settings):
    settings.CULTURE_CMS_EMAIL_SENDING_LEASE = 60
    signup = book(event, "Ada Lovelace")
    email = OutboundEmail.objects.filter(signup=signup).first()
    claimed_at = signup.created_at
    # A worker's claim, as deliver() makes it, then the worker was killed.
    OutboundEmail.objects.filter(pk=email.pk).update(
        attempts=1, next_attempt_at=claimed_at + datetime.timedelta(seconds=60)
    )

    assert emails.send_due(now=claimed_at + datetime.timedelta(seconds=59)) == 0
    assert emails.send_due(now=claimed_at + datetime.timedelta(seconds=60)) == 1
