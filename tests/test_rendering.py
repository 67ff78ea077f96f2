"""What readers get: every block, the facilitator note, filled tokens, each site, each page type.

The tests of each class read one small site built for the class (built_tree); those of
the demo content, outside any class, read the demo content alone.
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from culture_cms.focus_groups.models import FocusGroupEventPage, FocusGroupIndexPage
from culture_cms.organisation.models import OrganisationSettings
from culture_cms.programme.models import (
    FACILITATORS,
    CulturalElement,
    Definition,
    KeyMessagesPage,
    ProgrammePage,
)
from home.models import HomePage
from tests import factories
from tests.factories.module_data import for_the_test, made_once

STREAM = KeyMessagesPage._meta.get_field("body").stream_block
TOKEN = re.compile(r"\{[A-Za-z_]+\}")
NOTE_BLOCK_TEXT = "Ask each person what they would change first."
NOTE_FIELD_TEXT = "They are not intended as a ‘script’."


# The site the tests read ---------------------------------------------------------------


def build_tree():
    """A minimal site with each page type: home, programme, a Tool 4.3 page with tokens and
    a facilitator note, a glossary with three definitions, a cultural element, and three
    focus groups ahead (the first 10am to 11:30am), in the order they start."""
    home = factories.home_page()
    site = Site.objects.get(is_default_site=True)
    contact = factories.contact()
    organisation = factories.organisation_settings(
        site, default_contact=contact, plans_date=datetime.date(2031, 3, 7)
    )
    programme = factories.programme_page(
        home, intro="<p>{organisation} is taking part in the {programme}.</p>"
    )
    key_messages = factories.key_messages_page(
        programme,
        facilitator_note=f"<p>Examples of messages for facilitators. {NOTE_FIELD_TEXT}</p>",
        body=[
            {
                "type": "key_message_section",
                "value": {
                    "heading": "Culture focus groups",
                    "body": "<p>We would like to hear from everyone who works in "
                    "{organisation}.</p><p>We aim to publish these plans by {plans_date}.</p>",
                },
            },
            {
                "type": "confidentiality_statement",
                "value": {
                    "heading": "Confidentiality",
                    "body": "<p>If you would like more information please get in touch with "
                    "{contact_name} at {contact_details}.</p>",
                },
            },
        ],
    )
    glossary = factories.glossary_page(programme)
    focus_groups = factories.focus_group_index(programme)
    events = [
        factories.focus_group(
            focus_groups,
            days_from_today=days,
            contact=contact,
            facilitators="Two trained facilitators from the programme team",
        )
        for days in (14, 21, 35)
    ]
    return SimpleNamespace(
        home=home,
        site=site,
        contact=contact,
        organisation=organisation,
        programme=programme,
        key_messages=key_messages,
        glossary=glossary,
        focus_groups=focus_groups,
        events=events,
        definitions=[
            factories.definition(term=term, definition=f"What {term.lower()} means here.")
            for term in ("Collective leadership", "Culture", "Focus group")
        ],
        cultural_elements=[factories.cultural_element()],
    )


@pytest.fixture(scope="class")
def built_tree(django_db_setup, django_db_blocker):
    """build_tree(), once for a class of tests, as Django's setUpTestData does: each test
    runs in a savepoint inside the transaction it was built in, and what one test
    changes is gone before the next (tests/factories/module_data.py). Once a class, not
    once a module: the demo content's tests below must not see this tree."""
    yield from made_once(django_db_blocker, build_tree)


@pytest.fixture
def tree(db, built_tree):
    """The class's tree, the test's own copies of its objects."""
    return for_the_test(built_tree)


# Every block, rendered on its own -------------------------------------------------------


def definitions(tree):
    return sorted(tree.definitions, key=lambda definition: definition.term)


# For each block: its stored value, and what must show when it renders.
BLOCKS = {
    "key_message_section": (
        lambda tree: {"heading": "Why we are asking", "body": "<p>Every voice counts.</p>"},
        lambda tree: ["Why we are asking", "<p>Every voice counts.</p>"],
    ),
    "paragraph": (
        lambda tree: "<p>A plain paragraph of key messages.</p>",
        lambda tree: ["<p>A plain paragraph of key messages.</p>"],
    ),
    "definition": (
        lambda tree: {"definition": definitions(tree)[0].pk},
        lambda tree: [
            definitions(tree)[0].term,
            definitions(tree)[0].definition,
            f'id="{definitions(tree)[0].anchor}"',
        ],
    ),
    "definition_list": (
        lambda tree: {
            "heading": "Words we use",
            "definitions": [definition.pk for definition in definitions(tree)],
        },
        lambda tree: ["Words we use"] + [definition.term for definition in definitions(tree)],
    ),
    "contact_card": (
        lambda tree: {"heading": "Who to ask", "contact": tree.contact.pk},
        lambda tree: ["Who to ask", tree.contact.name, tree.contact.email, tree.contact.phone],
    ),
    "confidentiality_statement": (
        lambda tree: {"heading": "Confidentiality", "body": "<p>Reported anonymously.</p>"},
        lambda tree: ["Confidentiality", "<p>Reported anonymously.</p>"],
    ),
    "facilitator_note": (
        lambda tree: {"body": f"<p>{NOTE_BLOCK_TEXT}</p>"},
        lambda tree: [NOTE_BLOCK_TEXT],
    ),
    "cultural_elements_grid": (
        lambda tree: {"heading": "What makes our culture"},
        lambda tree: (
            ["What makes our culture"]
            + [element.name for element in CulturalElement.objects.filter(locale=tree.home.locale)]
        ),
    ),
    "upcoming_focus_groups": (
        lambda tree: {"heading": "Come to a focus group", "limit": 3},
        lambda tree: ["Come to a focus group"] + [event.title for event in tree.events],
    ),
    "inset_text": (
        lambda tree: {"body": "<p>Focus groups last about 90 minutes.</p>"},
        lambda tree: ["nhsuk-inset-text", "Focus groups last about 90 minutes."],
    ),
    "warning_callout": (
        lambda tree: {
            "title": "Before you come",
            "heading_level": 3,
            "body": "<p>Tell us about any access needs.</p>",
        },
        lambda tree: ["nhsuk-card--warning", "Before you come", "Tell us about any access needs."],
    ),
    "details": (
        lambda tree: {
            "title": "What happens in a focus group?",
            "body": [{"type": "richtext", "value": "<p>A facilitator asks open questions.</p>"}],
        },
        lambda tree: [
            "nhsuk-details",
            "What happens in a focus group?",
            "A facilitator asks open questions.",
        ],
    ),
    "action_link": (
        lambda tree: {"text": "Sign up to a focus group", "external_url": "https://example.org/"},
        lambda tree: [
            "nhsuk-action-link",
            "Sign up to a focus group",
            'href="https://example.org/"',
        ],
    ),
    "card": (
        lambda tree: {
            "heading": "Have your say",
            "heading_level": 3,
            "body": "<p>Everyone who works here is welcome.</p>",
        },
        lambda tree: ["nhsuk-card", "Have your say", "Everyone who works here is welcome."],
    ),
}


def test_every_block_in_the_stream_has_a_rendering_test():
    assert set(BLOCKS) == set(STREAM.child_blocks)


@pytest.fixture
def page_context(tree):
    request = RequestFactory().get(tree.key_messages.url)
    request.user = AnonymousUser()
    return {"request": request, "page": tree.key_messages, "is_facilitator": True}


@pytest.fixture
def page_with_every_block(tree):
    body = [{"type": name, "value": raw(tree)} for name, (raw, _) in BLOCKS.items()]
    page = tree.programme.add_child(
        instance=KeyMessagesPage(title="Every block", slug="every-block", body=body)
    )
    page.save_revision().publish()
    return page


class TestBlocks:
    """Each block on its own, and all of them in one page's body."""

    @pytest.mark.parametrize("name", sorted(BLOCKS))
    def test_block_renders_its_content(self, name, tree, page_context):
        raw, expected = BLOCKS[name]
        block = STREAM.child_blocks[name]

        html = block.render(block.to_python(raw(tree)), context=page_context)

        missing = [text for text in expected(tree) if text not in html]
        assert not missing, f"{name} rendered without {missing}:\n{html}"

    def test_upcoming_focus_groups_block_shows_no_more_than_its_limit(self, tree, page_context):
        block = STREAM.child_blocks["upcoming_focus_groups"]

        html = block.render(block.to_python({"heading": "Next", "limit": 2}), context=page_context)

        assert tree.events[1].title in html
        assert tree.events[2].title not in html

    def test_page_renders_every_block_in_its_body(
        self, client, tree, page_with_every_block, facilitator
    ):
        client.force_login(facilitator)

        html = client.get(page_with_every_block.url).content.decode()

        missing = {
            name: [text for text in expected(tree) if text not in html]
            for name, (_, expected) in BLOCKS.items()
        }
        assert not {name: texts for name, texts in missing.items() if texts}


# The facilitator note ------------------------------------------------------------------


@pytest.fixture
def facilitator(django_user_model):
    user = django_user_model.objects.create_user("facilitator", password="not-used")
    user.groups.add(Group.objects.get(name=FACILITATORS))
    return user


@pytest.fixture
def colleague(django_user_model):
    """Signed in, but not in the Facilitators group."""
    user = django_user_model.objects.create_user("colleague", password="not-used")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def tool_with_notes(tree):
    """Tool 4.3 with its facilitator note field and a facilitator note block in its body."""
    page = tree.key_messages
    page.body.append(("facilitator_note", {"body": f"<p>{NOTE_BLOCK_TEXT}</p>"}))
    page.save_revision().publish()
    return page


class TestFacilitatorNote:
    """Only the Facilitators group reads the facilitator notes."""

    def test_facilitator_note_block_renders_nothing_for_others(self, page_context):
        block = STREAM.child_blocks["facilitator_note"]
        value = block.to_python({"body": f"<p>{NOTE_BLOCK_TEXT}</p>"})

        html = block.render(value, context={**page_context, "is_facilitator": False})

        assert html.strip() == ""

    def test_facilitator_notes_are_absent_for_anonymous_readers(self, client, tool_with_notes):
        html = client.get(tool_with_notes.url).content.decode()

        assert NOTE_BLOCK_TEXT not in html
        assert NOTE_FIELD_TEXT not in html
        assert "cc-facilitator-note" not in html

    def test_facilitator_notes_are_absent_for_staff_outside_the_facilitators_group(
        self, client, tool_with_notes, colleague
    ):
        client.force_login(colleague)

        html = client.get(tool_with_notes.url).content.decode()

        assert NOTE_BLOCK_TEXT not in html
        assert NOTE_FIELD_TEXT not in html
        assert "cc-facilitator-note" not in html

    def test_facilitator_notes_show_for_facilitators(self, client, tool_with_notes, facilitator):
        client.force_login(facilitator)

        html = client.get(tool_with_notes.url).content.decode()

        assert NOTE_BLOCK_TEXT in html
        assert NOTE_FIELD_TEXT in html


# Tokens --------------------------------------------------------------------------------


class TestTokens:
    """Tokens filled from the organisation settings."""

    def test_tool_4_3_page_fills_tokens_from_the_organisation_settings(self, client, tree):
        html = client.get(tree.key_messages.url).content.decode()

        organisation = tree.organisation
        assert f"everyone who works in {organisation.organisation_name}." in html
        plans_date = organisation.plans_date
        assert f"publish these plans by {plans_date.day} {plans_date:%B %Y}." in html
        assert f"get in touch with {tree.contact.name} at {tree.contact.email} or " in html


# Of the shipped demo content itself: every demo page has its tokens filled. Outside any
# class, so no class's tree is built beside the demo content (built_tree).
@pytest.mark.parametrize(
    "name", ["home", "programme", "key_messages", "glossary", "focus_groups", "event"]
)
def test_demo_page_leaves_no_token_unfilled(client, demo, name):
    page = demo.events[0] if name == "event" else getattr(demo, name)

    html = client.get(page.url).content.decode()

    assert not TOKEN.findall(html)
    assert "cc-token-gap" not in html


# Two sites, two organisations ----------------------------------------------------------

OTHER_HOST = "otherton.example.nhs.uk"
OTHER_NAME = "Otherton Community Health NHS Trust"


@pytest.fixture
def other_site(tree):
    """A second trust on the same install, with its own home, programme and settings."""
    home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Otherton culture", slug="otherton")
    )
    site = Site.objects.create(hostname=OTHER_HOST, port=80, root_page=home)
    programme = home.add_child(
        instance=ProgrammePage(
            title="Our programme",
            slug="culture-and-leadership",
            intro="<p>{organisation} is taking part.</p>",
        )
    )
    OrganisationSettings.objects.create(site=site, organisation_name=OTHER_NAME)
    return programme


class TestTwoSites:
    """Two trusts on one install: each site its own organisation."""

    @pytest.mark.parametrize("path", ["/", "/culture-and-leadership/"])
    def test_each_site_shows_its_own_organisation_name(self, client, tree, other_site, path):
        ours = client.get(path, HTTP_HOST=tree.site.hostname).content.decode()
        theirs = client.get(path, HTTP_HOST=OTHER_HOST).content.decode()

        assert tree.organisation.organisation_name in ours
        assert OTHER_NAME not in ours
        assert OTHER_NAME in theirs
        assert tree.organisation.organisation_name not in theirs

    def test_each_site_fills_tokens_with_its_own_organisation_name(self, client, tree, other_site):
        ours = client.get("/culture-and-leadership/", HTTP_HOST=tree.site.hostname)
        theirs = client.get("/culture-and-leadership/", HTTP_HOST=OTHER_HOST)

        assert ours.context["page"] == tree.programme
        assert theirs.context["page"] == other_site
        assert f"{OTHER_NAME} is taking part." in theirs.content.decode()
        assert f"{tree.organisation.organisation_name} is taking part" in ours.content.decode()

    def test_each_site_lists_only_its_own_upcoming_focus_groups(self, client, tree, other_site):
        theirs = client.get("/", HTTP_HOST=OTHER_HOST).content.decode()
        ours = client.get("/", HTTP_HOST=tree.site.hostname).content.decode()

        assert tree.events[0].title in ours
        assert tree.events[0].title not in theirs


# Every page type -----------------------------------------------------------------------


def add_events(index, count, days_from_now, prefix):
    """`count` live focus groups, a day apart, starting `days_from_now` days from now."""
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days_from_now)
    events = []
    for number in range(count):
        when = start + datetime.timedelta(days=number)
        events.append(
            index.add_child(
                instance=FocusGroupEventPage(
                    title=f"{prefix} focus group {number + 1}",
                    slug=f"{prefix.lower()}-{number + 1}",
                    start=when,
                    end=when + datetime.timedelta(hours=1),
                    venue="Seminar room 1",
                )
            )
        )
    return events


class TestPageTypes:
    """Each page type as readers get it."""

    @pytest.mark.parametrize(
        "name", ["home", "programme", "key_messages", "glossary", "focus_groups", "event"]
    )
    def test_page_type_renders(self, client, tree, name):
        page = tree.events[0] if name == "event" else getattr(tree, name)

        response = client.get(page.url)

        assert response.status_code == 200
        assert response.context["page"] == page

    def test_glossary_has_an_anchor_for_every_term(self, client, tree):
        html = client.get(tree.glossary.url).content.decode()

        terms = list(Definition.objects.filter(locale=tree.home.locale))
        assert len(tree.definitions) == 3 and set(tree.definitions) <= set(terms)
        for definition in terms:
            assert f'id="{definition.anchor}"' in html
            assert definition.term in html

    def test_focus_group_index_shows_upcoming_and_past_separately(self, client, tree):
        past = add_events(tree.focus_groups, 2, -30, "Past")

        html = client.get(tree.focus_groups.url).content.decode()

        upcoming_html, past_html = html.split('id="past-focus-groups"')
        assert upcoming_html.index('id="upcoming-focus-groups"') < upcoming_html.index(
            tree.events[0].title
        )
        for event in tree.events:
            assert event.title in upcoming_html
            assert event.title not in past_html
        for event in past:
            assert event.title in past_html
            assert event.title not in upcoming_html

    def test_focus_group_index_paginates_upcoming_events(self, client, tree):
        add_events(tree.focus_groups, 9, 60, "Later")  # 12 upcoming: 10 on a page

        first = client.get(tree.focus_groups.url)
        second = client.get(tree.focus_groups.url, {"page": 2})

        assert len(first.context["upcoming"]) == 10
        assert "?page=2" in first.content.decode()
        assert [event.title for event in second.context["upcoming"]] == [
            "Later focus group 8",
            "Later focus group 9",
        ]

    def test_focus_group_index_paginates_past_events_on_their_own(self, client, tree):
        add_events(tree.focus_groups, 11, -40, "Past")  # most recent first

        response = client.get(tree.focus_groups.url, {"past": 2})

        assert [event.title for event in response.context["past"]] == ["Past focus group 1"]
        assert len(response.context["upcoming"]) == 3

    def test_focus_group_event_page_shows_its_details(self, client, tree):
        event = tree.events[0]

        html = client.get(event.url).content.decode()

        for text in [event.title, event.venue, event.audience, event.facilitators]:
            assert text in html
        assert "10am to 11:30am" in html

    def test_search_page_finds_the_tool_4_3_page(self, client, tree):
        response = client.get("/search/", {"query": "key messages"})

        assert response.status_code == 200
        assert tree.key_messages in list(response.context["results"])
        assert "Tool 4.3: Key messages" in response.content.decode()


# Routing, breadcrumbs and sections -----------------------------------------------------


class TestRouting:
    """Which page a path reaches, the breadcrumbs to it, the sections listed."""

    def test_a_path_that_names_no_page_is_not_found(self, client, tree):
        assert client.get(f"{tree.focus_groups.url}no-such-focus-group/").status_code == 404
        assert client.get(f"{tree.programme.url}no-such-section/more/").status_code == 404

    def test_an_unpublished_page_is_not_found(self, client, tree):
        url = tree.events[0].url
        tree.events[0].unpublish()

        assert client.get(url).status_code == 404

    def test_a_page_that_routes_itself_gets_the_rest_of_the_path(self, client, tree):
        # A focus group is a RoutablePage: "signed-up/" is its own route, not a child page.
        response = client.get(f"{tree.events[0].url}signed-up/")

        assert response.status_code == 400  # no booking reference given
        assert response.context["page"] == tree.events[0]
        assert "culture_cms/focus_groups/result.html" in [t.name for t in response.templates]

    def test_a_section_that_routes_itself_decides_for_the_pages_below_it(
        self, client, tree, monkeypatch
    ):
        def route(page, request, path_components):
            return RouteResult(page)  # serves itself, whatever follows

        monkeypatch.setattr(FocusGroupIndexPage, "route", route)

        response = client.get(tree.events[0].url)

        assert response.context["page"] == tree.focus_groups

    def test_breadcrumbs_lead_from_the_home_page_down_to_the_parent(self, client, tree):
        html = client.get(tree.events[0].url).content.decode()

        crumbs = html[html.index('<ol class="nhsuk-breadcrumb__list">') :]
        crumbs = crumbs[: crumbs.index("</ol>")]
        links = re.findall(r'href="([^"]+)">([^<]+)</a>', crumbs)
        assert links == [
            (page.url, page.title) for page in (tree.home, tree.programme, tree.focus_groups)
        ]

    def test_programme_page_lists_its_sections(self, client, tree):
        html = client.get(tree.programme.url).content.decode()

        for section in (tree.key_messages, tree.glossary, tree.focus_groups):
            assert f'href="{section.url}"' in html
        assert "Tool 4.3: Key messages" in html

    def test_programme_page_leaves_out_a_section_with_its_own_view_restriction(self, client, tree):
        PageViewRestriction.objects.create(
            page=tree.glossary, restriction_type=PageViewRestriction.LOGIN
        )

        html = client.get(tree.programme.url).content.decode()

        assert f'href="{tree.glossary.url}"' not in html
        assert f'href="{tree.key_messages.url}"' in html

    def test_programme_page_lists_its_sections_on_a_sign_in_only_intranet(
        self, client, tree, colleague
    ):
        PageViewRestriction.objects.create(
            page=tree.home, restriction_type=PageViewRestriction.LOGIN
        )
        client.force_login(colleague)

        response = client.get(tree.programme.url)

        assert response.status_code == 200
        assert f'href="{tree.glossary.url}"' in response.content.decode()
