"""The focus groups' rules written once on the querysets (culture_cms/focus_groups/models/):
which page is a focus group's booking page, its pages in every language, availability,
the waitlist's place in line and the report's counts."""

import pytest
from wagtail.models import Locale

from culture_cms.focus_groups import services
from culture_cms.focus_groups.models import FocusGroupEventPage, Signup
from tests.factories import sign_up

Status = Signup.Status


@pytest.fixture
def welsh_event(one_place_event):
    services.share_facts_with_translations(one_place_event)  # its capacity, as publishing gives it
    return one_place_event.get_translation(Locale.objects.get(language_code="cy")).specific


def test_for_focus_group_gives_every_language_s_page(one_place_event, welsh_event):
    pages = FocusGroupEventPage.objects.for_focus_group(welsh_event)

    assert set(pages.values_list("pk", flat=True)) == {one_place_event.pk, welsh_event.pk}


def test_the_booking_page_of_a_translation_is_the_original(one_place_event, welsh_event):
    assert FocusGroupEventPage.objects.booking_page_of(welsh_event) == one_place_event
    assert welsh_event.booking_event == one_place_event
    assert one_place_event.booking_event is one_place_event


def test_an_unsaved_focus_group_has_no_booking_page(one_place_event):
    new = FocusGroupEventPage(title="New", start=one_place_event.start, end=one_place_event.end)

    assert FocusGroupEventPage.objects.booking_page_of(new) is None
    assert new.booking_event is new


def test_booking_pages_lists_each_focus_group_once(demo, one_place_event, welsh_event):
    booking_pages = FocusGroupEventPage.objects.booking_pages()

    assert one_place_event in booking_pages
    assert welsh_event not in booking_pages
    assert booking_pages.count() == len(demo.events)


def test_pages_in_two_languages_are_the_same_focus_group(demo, one_place_event, welsh_event):
    assert welsh_event.is_same_focus_group(one_place_event)
    assert not one_place_event.is_same_focus_group(demo.events[1])


def test_availability_of_counts_signups_made_on_any_language_s_page(one_place_event, welsh_event):
    sign_up(welsh_event, "Bryn Bowen", language="cy")
    sign_up(one_place_event, "Ann Able")

    expected = {"confirmed": 1, "waitlisted": 1, "left": 0, "full": True}
    assert Signup.objects.availability_of(welsh_event) == expected
    assert Signup.objects.availability_of(one_place_event) == expected


def test_availability_of_an_unsaved_focus_group_is_every_place(one_place_event):
    new = FocusGroupEventPage(title="New", capacity=5)

    assert Signup.objects.availability_of(new) == {
        "confirmed": 0,
        "waitlisted": 0,
        "left": 5,
        "full": False,
    }


def test_booked_by_finds_an_active_signup_whatever_the_case(one_place_event):
    ann = sign_up(one_place_event, "Ann Able").signup

    assert list(Signup.objects.booked_by("ANN.ABLE@example.nhs.uk")) == [ann]
    services.cancel(ann)
    assert not Signup.objects.booked_by("ann.able@example.nhs.uk").exists()


def test_named_leaves_out_anonymised_signups(one_place_event):
    ann = sign_up(one_place_event, "Ann Able").signup
    bryn = sign_up(one_place_event, "Bryn Bowen").signup
    Signup.objects.filter(pk=bryn.pk).update(anonymised_at=bryn.created_at)

    assert list(Signup.objects.for_focus_group(one_place_event).named()) == [ann]


def test_place_in_line_counts_the_whole_focus_group_whatever_the_filter(one_place_event):
    for name in ["Ann Able", "Bryn Bowen", "Cai Cole"]:
        sign_up(one_place_event, name)

    cai = Signup.objects.filter(full_name="Cai Cole").with_place_in_line().get()

    assert cai.place_in_line == 2 == cai.waitlist_position


def test_status_totals_count_each_status_and_the_anonymised(one_place_event):
    names = ["Ann Able", "Bryn B", "Cai C"]
    _, _, cai = (sign_up(one_place_event, name).signup for name in names)
    services.cancel(cai)
    Signup.objects.filter(pk=cai.pk).update(anonymised_at=cai.created_at)

    totals = Signup.objects.for_focus_group(one_place_event).status_totals()

    assert totals == {
        "confirmed": 1,
        "waitlisted": 1,
        "cancelled": 1,
        "group_cancelled": 0,
        "total": 3,
        "attended": 0,
        "anonymised": 1,
    }


def test_status_totals_by_staff_group(one_place_event):
    sign_up(one_place_event, "Ann Able", staff_group="medical")
    sign_up(one_place_event, "Bryn Bowen", staff_group="nursing")
    sign_up(one_place_event, "Cai Cole", staff_group="nursing")

    by_group = Signup.objects.for_focus_group(one_place_event).status_totals_by_staff_group()

    assert set(by_group) == {"medical", "nursing"}
    assert (by_group["nursing"]["confirmed"], by_group["nursing"]["waitlisted"]) == (0, 2)
    assert by_group["nursing"]["total"] == 2


def test_with_signup_counts_annotates_each_page(one_place_event):
    sign_up(one_place_event, "Ann Able")
    sign_up(one_place_event, "Bryn Bowen")

    counted = FocusGroupEventPage.objects.with_signup_counts().get(pk=one_place_event.pk)

    assert (counted.confirmed, counted.waitlisted, counted.cancelled) == (1, 1, 0)
    assert counted.total == 2
