"""The booking rules in culture_cms/focus_groups/services.py.

The task backend here is the dummy one: emails are queued (recorded) but not
sent, so these tests are about the rules alone.
"""

import datetime
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from culture_cms.focus_groups import services
from culture_cms.focus_groups.models import OutboundEmail, Signup
from tests import factories
from tests.factories import sign_up as book

pytestmark = pytest.mark.usefixtures("queue_only")

Status = Signup.Status
Kind = OutboundEmail.Kind


@pytest.fixture
def event(tree):
    """A focus group with three places."""
    return factories.focus_group(tree.focus_groups, capacity=3, contact=tree.contact)


@pytest.fixture
def other_event(tree):
    """Another focus group, a week after the first, with places free."""
    return factories.focus_group(tree.focus_groups, days_from_today=21, contact=tree.contact)


def kinds(signup):
    return sorted(signup.emails.values_list("kind", flat=True))


def test_places_are_confirmed_up_to_capacity_then_waitlisted_in_order(event):
    signups = [book(event, f"Person {n}").signup for n in range(5)]

    assert [s.status for s in signups] == [Status.CONFIRMED] * 3 + [Status.WAITLISTED] * 2
    assert [s.waitlist_position for s in signups[3:]] == [1, 2]


def test_a_new_signup_queues_the_participant_and_contact_emails(event):
    confirmed = book(event, "Ada Lovelace").signup
    event.capacity = 1
    event.save()
    waitlisted = book(event, "Alan Turing").signup

    assert kinds(confirmed) == [Kind.CONFIRMED, Kind.CONTACT_SIGNUP]
    assert kinds(waitlisted) == [Kind.CONTACT_SIGNUP, Kind.WAITLISTED]
    contact_email = confirmed.emails.get(kind=Kind.CONTACT_SIGNUP)
    assert contact_email.recipient == event.contact.email


def test_the_same_email_while_booked_creates_no_second_signup(event):
    first = book(event, "Mary Seacole")
    again = book(event, "Mary S", email="MARY.SEACOLE@example.nhs.uk")

    assert again.already_booked
    assert again.signup == first.signup
    assert Signup.objects.filter(event=event).count() == 1


def test_the_same_email_may_book_again_after_cancelling(event):
    first = book(event, "Mary Seacole").signup
    services.cancel(first)

    again = book(event, "Mary Seacole")

    assert again.created
    assert again.signup.status == Status.CONFIRMED


def test_cancelling_a_confirmed_place_promotes_the_first_on_the_waitlist(event):
    signups = [book(event, f"Person {n}").signup for n in range(5)]

    services.cancel(signups[1])

    statuses = [Signup.objects.get(pk=s.pk).status for s in signups]
    assert statuses == [
        Status.CONFIRMED,
        Status.CANCELLED,
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
    ]
    assert Kind.PROMOTED in kinds(signups[3])
    assert Kind.PROMOTED not in kinds(signups[4])
    assert Signup.objects.get(pk=signups[4].pk).waitlist_position == 1


def test_cancelling_tells_the_participant_and_the_contact(event):
    signup = book(event, "Edith Cavell").signup

    services.cancel(signup)

    assert Kind.CANCELLED in kinds(signup)
    assert Kind.CONTACT_CANCELLATION in kinds(signup)


def test_cancelling_a_waitlisted_signup_promotes_nobody(event):
    signups = [book(event, f"Person {n}").signup for n in range(5)]

    services.cancel(signups[3])

    assert Signup.objects.get(pk=signups[4].pk).status == Status.WAITLISTED
    assert Signup.objects.get(pk=signups[4].pk).waitlist_position == 1


def test_cancelling_twice_is_refused(event):
    signup = book(event, "Florence Nightingale").signup
    services.cancel(signup)

    with pytest.raises(services.SignupRefused, match="already been cancelled"):
        services.cancel(signup)


def test_raising_capacity_promotes_the_waitlist(event):
    signups = [book(event, f"Person {n}").signup for n in range(5)]
    event.capacity = 4
    event.save()

    promoted = services.promote_waitlist(event)

    assert promoted == [signups[3]]
    assert Signup.objects.get(pk=signups[4].pk).status == Status.WAITLISTED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start": -1}, "already started"),
        ({"signup_opens": +1}, "Signup opens on"),
        ({"signup_closes": -1}, "has closed"),
    ],
)
def test_signup_outside_the_window_is_refused_and_nothing_saved(event, change, message):
    now = timezone.now()
    for field, hours in change.items():
        setattr(event, field, now + datetime.timedelta(hours=hours))
    if "start" in change:
        event.end = event.start + datetime.timedelta(hours=1)
        event.signup_closes = None
    event.save()

    with pytest.raises(services.SignupRefused, match=message):
        book(event, "Too Late")
    assert not Signup.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_move_to_a_full_group_joins_its_waitlist_and_frees_the_old_place(event, other_event):
    target = other_event
    target.capacity = 1
    target.save()
    book(target, "Already There")
    signups = [book(event, f"Person {n}").signup for n in range(4)]

    moved = services.move(signups[0], target)

    assert (moved.event_id, moved.status) == (target.pk, Status.WAITLISTED)
    assert Kind.MOVED in kinds(moved)
    assert Signup.objects.get(pk=signups[3].pk).status == Status.CONFIRMED


def test_move_to_a_closed_group_is_refused(event, other_event):
    target = other_event
    target.signup_closes = timezone.now() - datetime.timedelta(minutes=1)
    target.save()
    signup = book(event, "Person").signup

    with pytest.raises(services.SignupRefused, match="has closed"):
        services.move(signup, target)
    assert Signup.objects.get(pk=signup.pk).event_id == event.pk


def test_move_is_refused_when_the_person_is_already_booked_there(event, other_event):
    target = other_event
    signup = book(event, "Double Booked").signup
    book(target, "Double Booked")

    with pytest.raises(services.SignupRefused, match="already booked"):
        services.move(signup, target)


def test_cancel_token_finds_its_signup(event):
    signup = book(event, "Token Holder").signup

    assert services.signup_for_cancel_token(services.cancel_token(signup)) == signup


def test_forged_cancel_token_is_refused(event):
    signup = book(event, "Token Holder").signup
    token = services.cancel_token(signup)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    with pytest.raises(services.CancelLinkInvalid, match="not valid"):
        services.signup_for_cancel_token(forged)


def test_expired_cancel_token_is_refused(event):
    signup = book(event, "Token Holder").signup
    token = services.cancel_token(signup)

    with (
        override_settings(CULTURE_CMS_CANCEL_LINK_MAX_AGE=-1),
        pytest.raises(services.CancelLinkInvalid, match="expired"),
    ):
        services.signup_for_cancel_token(token)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_people_at_once_for_five_places():
    event = factories.focus_group(factories.site_tree().focus_groups, capacity=5)
    start = threading.Barrier(50)
    errors = []

    def sign_up(n):
        try:
            start.wait()
            book(event, f"Person {n}")
        except Exception as error:  # noqa: BLE001 — any error fails the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    signups = Signup.objects.filter(event=event)
    assert signups.filter(status=Status.CONFIRMED).count() == 5
    assert signups.filter(status=Status.WAITLISTED).count() == 45
    positions = sorted(s.waitlist_position for s in signups.filter(status=Status.WAITLISTED))
    assert positions == list(range(1, 46))


def test_publishing_more_places_promotes_the_waitlist(event):
    signups = [book(event, f"Person {n}").signup for n in range(5)]
    event.capacity = 5

    event.save_revision().publish()

    assert {Signup.objects.get(pk=s.pk).status for s in signups} == {Status.CONFIRMED}


def test_a_participant_cannot_cancel_once_the_focus_group_has_started(event):
    signup = book(event, "Late Canceller").signup
    started = event.start + datetime.timedelta(minutes=1)

    with pytest.raises(services.SignupRefused, match="already started"):
        services.cancel(signup, now=started)
    assert Signup.objects.get(pk=signup.pk).status == Status.CONFIRMED


def test_an_organiser_can_cancel_after_the_focus_group_has_started(event):
    signup = book(event, "No Show").signup

    services.cancel(signup, now=event.start + datetime.timedelta(minutes=1), by_organiser=True)

    assert Signup.objects.get(pk=signup.pk).status == Status.CANCELLED


def test_after_the_start_a_cancellation_emails_nobody_and_promotes_nobody(event):
    """The session is under way or over: a no-show's place is no use to the waitlist."""
    no_show = book(event, "No Show").signup
    for n in range(2):
        book(event, f"Person {n}")
    waiting = book(event, "Wai Ting").signup
    assert waiting.status == Status.WAITLISTED
    started = event.start + datetime.timedelta(minutes=10)
    before = OutboundEmail.objects.count()

    services.cancel(no_show, now=started, by_organiser=True)
    services.promote_waitlist(event, now=started)  # as a change of places would

    assert Signup.objects.get(pk=waiting.pk).status == Status.WAITLISTED
    assert OutboundEmail.objects.count() == before
