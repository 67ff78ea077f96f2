"""Where each page type may go in the tree, and what a focus group's dates must satisfy."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from culture_cms.focus_groups.models import FocusGroupEventPage, FocusGroupIndexPage
from culture_cms.programme.models import GlossaryPage, KeyMessagesPage, ProgrammePage
from home.models import HomePage

PROGRAMME_SECTIONS = {KeyMessagesPage, GlossaryPage, FocusGroupIndexPage}


class HomePageRulesTests(WagtailPageTestCase):
    def test_home_page_goes_at_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_home_page_holds_only_the_programme(self):
        self.assertAllowedSubpageTypes(HomePage, {ProgrammePage})

    def test_programme_sections_cannot_go_straight_under_home(self):
        for section in PROGRAMME_SECTIONS | {FocusGroupEventPage}:
            with self.subTest(section=section.__name__):
                self.assertCanNotCreateAt(HomePage, section)

    def test_home_page_cannot_go_under_another_home_page(self):
        self.assertCanNotCreateAt(HomePage, HomePage)


class ProgrammePageRulesTests(WagtailPageTestCase):
    def test_programme_page_can_go_anywhere_in_a_host_tree(self):
        self.assertCanCreateAt(Page, ProgrammePage)
        self.assertCanCreateAt(HomePage, ProgrammePage)

    def test_programme_page_only_allows_parents_that_accept_it(self):
        self.assertAllowedParentPageTypes(ProgrammePage, {Page, HomePage})

    def test_programme_page_holds_key_messages_glossary_and_focus_groups(self):
        self.assertAllowedSubpageTypes(ProgrammePage, PROGRAMME_SECTIONS)

    def test_programme_page_cannot_nest_or_hold_events_directly(self):
        self.assertCanNotCreateAt(ProgrammePage, ProgrammePage)
        self.assertCanNotCreateAt(ProgrammePage, FocusGroupEventPage)


class ProgrammeSectionRulesTests(WagtailPageTestCase):
    def test_sections_only_go_under_a_programme_page(self):
        for section in PROGRAMME_SECTIONS:
            with self.subTest(section=section.__name__):
                self.assertAllowedParentPageTypes(section, {ProgrammePage})
                self.assertCanNotCreateAt(Page, section)

    def test_key_messages_page_has_no_children(self):
        self.assertAllowedSubpageTypes(KeyMessagesPage, set())

    def test_glossary_page_has_no_children(self):
        self.assertAllowedSubpageTypes(GlossaryPage, set())

    def test_focus_group_index_holds_only_focus_groups(self):
        self.assertAllowedSubpageTypes(FocusGroupIndexPage, {FocusGroupEventPage})


class FocusGroupEventRulesTests(WagtailPageTestCase):
    def test_focus_group_only_goes_under_a_focus_group_index(self):
        self.assertAllowedParentPageTypes(FocusGroupEventPage, {FocusGroupIndexPage})
        self.assertCanCreateAt(FocusGroupIndexPage, FocusGroupEventPage)
        self.assertCanNotCreateAt(Page, FocusGroupEventPage)

    def test_focus_group_has_no_children(self):
        self.assertAllowedSubpageTypes(FocusGroupEventPage, set())


# FocusGroupEventPage.clean(): each rule refuses with its own message on its own field.


@pytest.fixture
def event(demo):
    """A valid demo focus group: in person, two hours, signup open until the day before."""
    event = demo.events[0]
    event.venue = "Seminar room 2, Education Centre"
    event.joining_link = ""
    event.end = event.start + datetime.timedelta(hours=2)
    event.signup_opens = event.start - datetime.timedelta(days=14)
    event.signup_closes = event.start - datetime.timedelta(days=1)
    return event


def errors_of(event):
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    return refused.value.message_dict


def test_valid_focus_group_passes_clean(event):
    event.full_clean()


def test_online_only_focus_group_passes_clean(event):
    event.venue = ""
    event.joining_link = "https://meet.example.nhs.uk/culture"
    event.full_clean()


def test_focus_group_ending_before_it_starts_is_refused_on_end(event):
    event.end = event.start - datetime.timedelta(minutes=30)
    assert errors_of(event) == {"end": ["The end must be after the start."]}


def test_focus_group_ending_as_it_starts_is_refused_on_end(event):
    event.end = event.start
    assert errors_of(event) == {"end": ["The end must be after the start."]}


def test_focus_group_without_venue_or_joining_link_is_refused_on_venue(event):
    event.venue = ""
    event.joining_link = ""
    assert errors_of(event) == {"venue": ["Give a venue, an online joining link, or both."]}


def test_signup_closing_before_it_opens_is_refused_on_signup_closes(event):
    event.signup_closes = event.signup_opens - datetime.timedelta(days=1)
    assert errors_of(event) == {"signup_closes": ["Signup must close after it opens."]}


def test_signup_closing_after_the_start_is_refused_on_signup_closes(event):
    event.signup_closes = event.start + datetime.timedelta(minutes=1)
    assert errors_of(event) == {
        "signup_closes": ["Signup must close before the focus group starts."]
    }
