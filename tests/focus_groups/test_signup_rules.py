"""The rules every part asks for, written once on the signups' queryset: availability
and the waitlist's order (culture_cms/focus_groups/models/signups.py)."""

import pytest

from culture_cms.focus_groups.models import Signup
from tests.factories import sign_up


@pytest.fixture
def event(event, queue_only):
    """The shared focus group (tests/conftest.py), with two places."""
    event.capacity = 2
    event.save()
    return event


def test_availability_counts_places_and_the_waitlist(event):
    for name in ["Ada Lovelace", "Grace Hopper", "Mary Seacole"]:
        sign_up(event, name)

    counts = Signup.objects.for_focus_group(event).availability(event.capacity)

    assert counts == {"confirmed": 2, "waitlisted": 1, "left": 0, "full": True}


def test_availability_of_no_signups_is_every_place(event):
    counts = Signup.objects.none().availability(event.capacity)

    assert counts == {"confirmed": 0, "waitlisted": 0, "left": 2, "full": False}


def test_a_signup_and_the_admin_listing_agree_on_each_place_in_line(event):
    names = ["Ada Lovelace", "Grace Hopper", "Mary Seacole", "Rosalind Franklin", "Edith Cavell"]
    for name in names:
        sign_up(event, name)

    listing = Signup.objects.for_focus_group(event).with_place_in_line().order_by("pk")

    assert [(s.place_in_line, s.waitlist_position) for s in listing] == [
        (None, None),
        (None, None),
        (1, 1),
        (2, 2),
        (3, 3),
    ]
