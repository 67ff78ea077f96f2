"""A focus group after its first signups: a published change reaches everyone booked, and
the organiser can cancel the whole focus group (issue 12, points 2, 3, 6 and 11).

The test settings send through the immediate task backend into Django's outbox, so the
emails a change or a cancellation queues are in mail.outbox when the call returns.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from culture_cms.focus_groups import emails, services
from culture_cms.focus_groups.listings import upcoming_focus_groups
from culture_cms.focus_groups.models import FocusGroupEventPage, OutboundEmail, Signup
from tests import factories
from tests.factories.focus_groups import online_focus_group

Kind = OutboundEmail.Kind
DAY = datetime.timedelta(days=1)


def book(event, name, **fields):
    return factories.sign_up(event, name, **fields).signup


@pytest.fixture
def booked(event):
    """Ann and Bob with a place, Cat on the waitlist, of two places."""
    FocusGroupEventPage.objects.filter(pk=event.pk).update(capacity=2)
    event.refresh_from_db()
    people = [book(event, "Ann Able"), book(event, "Bob Brown"), book(event, "Cat Cole")]
    mail.outbox.clear()
    return people


def published(event, **changes):
    """The focus group with these changes, published as an editor publishes it."""
    event = FocusGroupEventPage.objects.get(pk=event.pk)
    for name, value in changes.items():
        setattr(event, name, value)
    event.save_revision().publish()
    return event


def to(address, kind=None):
    """The emails in the outbox to this address (of this kind, by subject, if given)."""
    return [m for m in mail.outbox if m.to == [address] and (kind is None or kind in m.subject)]


def calendars(message):
    """The message's calendar files: {filename: (Content-Type, its VEVENT)}."""
    found = {}
    for filename, content, mimetype in message.attachments:
        calendar = Calendar.from_ical(content)
        found[filename] = (mimetype, str(calendar["METHOD"]), calendar.walk("VEVENT")[0])
    return found


def html(message):
    [(body, _mimetype)] = message.alternatives
    return body


ANN, BOB, CAT = (f"{name}@example.nhs.uk" for name in ("ann.able", "bob.brown", "cat.cole"))


# Point 2: a published change reaches everyone booked ------------------------------------


def test_a_new_time_emails_each_person_booked_once_saying_old_and_new(event, booked):
    old_start = event.start

    published(event, start=event.start + DAY, end=event.end + DAY)

    for address in (ANN, BOB, CAT):
        [message] = to(address)
        assert message.subject == f"Change to your focus group: {event.title}"
        for body in (message.body, html(message)):
            assert "Date and time" in body
            assert f"{(old_start + DAY):%A} " in body and f"(was {old_start:%A} " in body
    assert len(to(event.contact.email)) == 1


def test_the_confirmed_get_the_event_again_with_the_same_uid_and_a_higher_sequence(event, booked):
    ann = booked[0]
    confirmed = OutboundEmail.objects.get(signup=ann, kind=Kind.CONFIRMED)
    [(_, _, invitation)] = calendars(emails.build_message(confirmed)).values()

    published(event, venue="Room 5, Main Building")

    [message] = to(ANN)
    [(mimetype, method, vevent)] = calendars(message).values()
    assert (mimetype, method) == ("text/calendar; method=REQUEST", "REQUEST")
    assert vevent["UID"] == invitation["UID"]
    assert vevent["SEQUENCE"] == invitation["SEQUENCE"] + 1
    assert str(vevent["LOCATION"]) == "Room 5, Main Building"
    # The waitlist has no event in its calendars to update.
    [waitlisted] = to(CAT)
    assert waitlisted.attachments == []


def test_each_change_raises_the_sequence_counted_on_the_server(event, booked):
    published(event)  # no change: nothing to tell
    [as_booked] = FocusGroupEventPage.objects.get(pk=event.pk).revisions.all()
    published(event, venue="Room 5")
    # Publishing the first revision again is a change back, announced like any other: the
    # SEQUENCE is the server's count of changes, not a number the revision carries.
    as_booked.publish()

    sequences = [calendars(m)["focus-group.ics"][2]["SEQUENCE"] for m in to(ANN)]
    assert sequences == [1, 2]
    assert event.state.sequence == 2


def test_edits_to_anything_else_email_nobody(event, booked):
    published(event, audience="Ward staff", facilitators="Dee Dow", title="New title", capacity=5)

    assert [m.subject for m in mail.outbox if "Change" in m.subject] == []
    # Cat promoted to the new place, and the contact told of it: nothing else.
    assert sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox) == [
        (CAT, "You have a place"),
        (event.contact.email, "Place from the waitlist"),
    ]


def test_a_focus_group_nobody_has_booked_emails_nobody_when_changed(event):
    published(event, start=event.start + DAY, end=event.end + DAY)

    assert mail.outbox == []


def test_a_new_joining_link_goes_only_to_people_with_a_place(tree):
    online = online_focus_group(tree.focus_groups, contact=tree.contact, capacity=1)
    book(online, "Ann Able")
    book(online, "Cat Cole")  # waitlisted
    mail.outbox.clear()

    published(online, joining_link="https://meet.example.nhs.uk/new-room")

    [ann] = to(ANN)
    [cat] = to(CAT)
    assert "https://meet.example.nhs.uk/new-room" in ann.body
    assert "changed; the new ones are below" in ann.body
    assert "meet.example.nhs.uk" not in cat.body + html(cat)
    assert "They go to everyone with a place" in cat.body


def test_the_contact_is_told_once_how_many_were_emailed(event, booked):
    published(event, start=event.start + DAY, end=event.end + DAY)

    [message] = to(event.contact.email)
    assert message.subject == f"Changed: {event.title}"
    assert "3 people booked have been emailed the change" in message.body
    assert "2 confirmed of 2, 1 on the waitlist" in message.body


def test_a_change_after_the_start_emails_nobody(tree):
    past = factories.focus_group(tree.focus_groups, days_from_today=-1)
    Signup.objects.create(event=past, status="confirmed", full_name="A", email=ANN)
    services._state_of(past)

    published(past, venue="Room 9")

    assert to(ANN) == []


def test_the_editor_sees_before_publishing_how_many_a_change_emails(client, editor, event, booked):
    client.force_login(editor)

    page = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content.decode()

    assert "data-change-notice" in page
    assert "3 people are booked. Publishing a change to the start" in page
    for person in booked:  # a count, no names
        assert person.full_name not in page


def test_the_public_calendar_carries_the_sequence_and_is_the_same_on_each_download(
    client, event, booked
):
    published(event, venue="Room 5")
    url = event.url + event.reverse_subpage("calendar")

    first, second = client.get(url).content, client.get(url).content

    assert first == second
    [vevent] = Calendar.from_ical(first).walk("VEVENT")
    assert vevent["SEQUENCE"] == 1


# Point 3: cancel a focus group --------------------------------------------------------


def test_cancelling_emails_everyone_booked_a_cancellation_with_the_message(event, booked):
    services.cancel_focus_group(event, message="The facilitator is unwell. Sorry!")

    for address in (ANN, BOB, CAT):
        [message] = to(address)
        assert message.subject == f"Cancelled: {event.title}"
        assert "The facilitator is unwell. Sorry!" in message.body
        assert "The facilitator is unwell. Sorry!" in html(message)
        [(mimetype, method, vevent)] = calendars(message).values()
        assert (mimetype, method) == ("text/calendar; method=CANCEL", "CANCEL")
        assert str(vevent["STATUS"]) == "CANCELLED"
        assert vevent["SEQUENCE"] >= 1
    [contact] = to(event.contact.email)
    assert "2 with a place and 1 on the waitlist" in contact.body


def test_cancelled_signups_are_kept_as_cancelled_by_the_organiser(event, booked):
    services.cancel_focus_group(event, message="Sorry")

    statuses = set(Signup.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == {Signup.Status.GROUP_CANCELLED}
    assert Signup.objects.for_focus_group(event).status_totals()["group_cancelled"] == 3


def test_a_cancelled_focus_group_cannot_be_cancelled_again_or_after_the_start(tree, event):
    services.cancel_focus_group(event, message="Sorry")
    past = factories.focus_group(tree.focus_groups, days_from_today=-1)

    with pytest.raises(services.SignupRefused, match="already cancelled"):
        services.cancel_focus_group(event, message="Again")
    with pytest.raises(services.SignupRefused, match="already started"):
        services.cancel_focus_group(past, message="Too late")


def test_the_page_stays_up_saying_it_is_cancelled_with_no_form(client, event, booked):
    services.cancel_focus_group(event, message="A private reason")

    response = client.get(event.url)
    page = response.content.decode()

    assert response.status_code == 200
    assert "This focus group has been cancelled" in page
    assert 'name="full_name"' not in page
    assert "A private reason" not in page  # the message is for the people booked
    refused = client.post(event.url, {"full_name": "Dan Dell", "email": "dan@example.nhs.uk"})
    assert refused.status_code == 409
    assert Signup.objects.filter(email="dan@example.nhs.uk").count() == 0


def test_the_index_marks_it_cancelled_and_the_upcoming_block_leaves_it_out(client, tree, event):
    other = factories.focus_group(tree.focus_groups)
    services.cancel_focus_group(event, message="Sorry")

    index = client.get(tree.focus_groups.url).content.decode()

    assert index.count("nhsuk-tag--red") == 1
    listed = list(upcoming_focus_groups(None))
    assert other in listed and event not in listed


def test_the_feed_marks_it_cancelled(client, event):
    services.cancel_focus_group(event, message="Sorry")

    feed = Calendar.from_ical(client.get(reverse("culture_cms:calendar_feed")).content)

    [vevent] = [v for v in feed.walk("VEVENT") if str(v["SUMMARY"]) == event.title]
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert vevent["SEQUENCE"] == 1


def test_no_reminders_for_a_cancelled_focus_group(tree):
    soon = factories.focus_group(tree.focus_groups, days_from_today=0, at="23:59")
    FocusGroupEventPage.objects.filter(pk=soon.pk).update(
        start=timezone.now() + datetime.timedelta(hours=20),
        end=timezone.now() + datetime.timedelta(hours=21),
        signup_closes=None,
    )
    soon.refresh_from_db()
    book(soon, "Ann Able")
    kept = factories.focus_group(tree.focus_groups, days_from_today=0, at="23:59")
    FocusGroupEventPage.objects.filter(pk=kept.pk).update(
        start=timezone.now() + datetime.timedelta(hours=20),
        end=timezone.now() + datetime.timedelta(hours=21),
        signup_closes=None,
    )
    kept.refresh_from_db()
    book(kept, "Bob Brown")
    services.cancel_focus_group(soon, message="Sorry")
    mail.outbox.clear()

    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert [m.to for m in mail.outbox] == [[BOB]]


# Point 3 through the admin -------------------------------------------------------------


@pytest.fixture
def organiser(django_user_model):
    user = django_user_model.objects.create_user("organiser", "o@example.nhs.uk", "pw")
    user.groups.add(*Group.objects.filter(name__in=["Organisers", "Editors"]))
    return user


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", "e@example.nhs.uk", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def cancel_url(event):
    return reverse("culture_focus_groups:cancel_focus_group", args=[event.pk])


def test_the_organiser_sees_who_will_be_emailed_then_cancels(client, organiser, event, booked):
    client.force_login(organiser)

    form = client.get(cancel_url(event)).content.decode()
    done = client.post(cancel_url(event), {"message": "Sorry, the room is closed."}, follow=True)

    assert "The 2 people with a place and the 1 on the" in " ".join(form.split())
    assert done.status_code == 200
    assert "is cancelled. 3 people booked have been emailed" in done.content.decode()
    assert event.state.cancellation_message == "Sorry, the room is closed."
    assert event.state.cancelled_by == organiser


def test_cancelling_without_a_message_is_refused_next_to_the_field(
    client, organiser, event, booked
):
    client.force_login(organiser)

    response = client.post(cancel_url(event), {"message": "  "})

    assert response.status_code == 200
    assert "Say why it is cancelled, or what happens next." in response.content.decode()
    assert not FocusGroupEventPage.objects.get(pk=event.pk).is_cancelled
    assert mail.outbox == []


def test_an_editor_cannot_cancel_a_focus_group(client, editor, event, booked):
    client.force_login(editor)

    assert client.get(cancel_url(event)).status_code in (302, 403)
    assert client.post(cancel_url(event), {"message": "x"}).status_code in (302, 403)
    assert not FocusGroupEventPage.objects.get(pk=event.pk).is_cancelled


@pytest.fixture
def moderator(django_user_model):
    """Who may unpublish: a Moderator (Wagtail's group), not an organiser."""
    user = django_user_model.objects.create_user("moderator", "m@example.nhs.uk", "pw")
    user.groups.add(*Group.objects.filter(name__in=["Moderators"]))
    return user


def test_unpublishing_a_booked_focus_group_asks_first_and_offers_to_cancel(
    client, moderator, event, booked
):
    client.force_login(moderator)
    unpublish = reverse("wagtailadmin_pages:unpublish", args=[event.pk])

    asked = client.post(unpublish)

    page = asked.content.decode()
    assert "3 people are booked on this focus group (2 with a place, 1 on the waitlist)" in (
        " ".join(page.split())
    )
    # A moderator who is no organiser is told to ask one; an organiser gets the link.
    assert "ask an organiser" in page
    assert FocusGroupEventPage.objects.get(pk=event.pk).live

    client.post(unpublish, {"unpublish_booked": "1"})

    assert not FocusGroupEventPage.objects.get(pk=event.pk).live
    assert mail.outbox == []  # unpublishing tells nobody, as the page said


def test_an_organiser_unpublishing_is_offered_the_cancel_action(client, organiser, event, booked):
    organiser.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(organiser)

    page = client.post(reverse("wagtailadmin_pages:unpublish", args=[event.pk])).content.decode()

    assert f'href="{cancel_url(event)}"' in page


def test_unpublishing_a_focus_group_nobody_booked_does_not_ask(client, moderator, event):
    client.force_login(moderator)

    client.post(reverse("wagtailadmin_pages:unpublish", args=[event.pk]))

    assert not FocusGroupEventPage.objects.get(pk=event.pk).live
