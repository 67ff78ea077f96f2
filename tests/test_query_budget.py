"""Each page renders in a handful of SQL queries, however many events or blocks it holds."""

import datetime
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale, Page

from culture_cms.focus_groups.models import FocusGroupEventPage, FocusGroupIndexPage
from culture_cms.programme.models import Definition

BUDGET = 12


def queries_for(client, url, data=None):
    """The SQL queries an anonymous reader's request costs once the site is warm.

    The first request after a change fills Wagtail's cache of site root paths
    (two queries); every request after it is measured here.
    """
    client.get(url, data)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data)
    assert response.status_code == 200
    return captured


def report(captured):
    return f"{len(captured)} queries:\n" + "\n".join(
        query["sql"] for query in captured.captured_queries
    )


PAGES = {
    "home": lambda demo: (demo.home.url, None),
    "programme": lambda demo: (demo.programme.url, None),
    "tool 4.3": lambda demo: (demo.key_messages.url, None),
    "glossary": lambda demo: (demo.glossary.url, None),
    "focus group index": lambda demo: (demo.focus_groups.url, None),
    "focus group event": lambda demo: (demo.events[0].url, None),
    "search results": lambda demo: ("/search/", {"query": "culture"}),
}


# The same pages in Welsh: each language's page has its own contact and definitions.
def in_welsh(url_for, demo):
    url, data = url_for(demo)
    if url.startswith("/search/"):
        return "/cy" + url, data
    page = next(page for page in Page.objects.filter(depth__gt=1) if page.url == url)
    return page.get_translation(Locale.objects.get(language_code="cy")).url, data


PAGES.update({f"{name} (cy)": partial(in_welsh, url_for) for name, url_for in list(PAGES.items())})


@pytest.mark.parametrize("name", PAGES)
def test_page_type_renders_within_the_query_budget(client, demo, name):
    url, data = PAGES[name](demo)

    captured = queries_for(client, url, data)

    assert len(captured) <= BUDGET, report(captured)


def test_search_results_page_finds_pages(client, demo):
    """The search measured above is a real one, with results to render."""
    response = client.get("/search/", {"query": "culture"})

    assert response.context["results"].paginator.count >= 3


# Scaled data -------------------------------------------------------------------------


def add_upcoming_events(index, count):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=90)
    for number in range(count):
        when = start + datetime.timedelta(days=number)
        index.add_child(
            instance=FocusGroupEventPage(
                title=f"Extra focus group {number + 1}",
                slug=f"extra-{number + 1}",
                start=when,
                end=when + datetime.timedelta(hours=1),
                venue="Seminar room 1",
            )
        )


def test_focus_group_index_queries_do_not_grow_with_ten_times_the_events(client, demo, monkeypatch):
    # Every event on one page, so all 30 are rendered.
    monkeypatch.setattr(FocusGroupIndexPage, "per_page", 30)
    few = queries_for(client, demo.focus_groups.url)

    add_upcoming_events(demo.focus_groups, 27)
    many = queries_for(client, demo.focus_groups.url)

    assert len(client.get(demo.focus_groups.url).context["upcoming"]) == 30
    assert len(many) == len(few), f"3 events: {report(few)}\n\n30 events: {report(many)}"


def scaled_body(demo, copies):
    """`copies` copies of five blocks, each referring to snippets: 5 blocks, or 50."""
    definitions = list(Definition.objects.values_list("pk", flat=True))
    blocks = [
        {
            "type": "key_message_section",
            "value": {"heading": "Why {organisation} is asking", "body": "<p>{programme}</p>"},
        },
        {"type": "definition_list", "value": {"heading": "Words", "definitions": definitions}},
        {"type": "definition", "value": {"definition": definitions[0]}},
        {"type": "contact_card", "value": {"heading": "Ask", "contact": demo.contact.pk}},
        {
            "type": "confidentiality_statement",
            "value": {"heading": "Confidentiality", "body": "<p>Ask {contact_name}.</p>"},
        },
    ]
    return blocks * copies


def every_block_body(demo, copies):
    """Every kind of block the stream offers, `copies` times over."""
    definitions = list(Definition.objects.values_list("pk", flat=True))
    blocks = scaled_body(demo, 1) + [
        {"type": "paragraph", "value": "<p>{organisation}</p>"},
        {"type": "facilitator_note", "value": {"body": "<p>Not a script.</p>"}},
        {"type": "cultural_elements_grid", "value": {"heading": "Elements"}},
        {"type": "upcoming_focus_groups", "value": {"heading": "Next", "limit": 3}},
        {"type": "inset_text", "value": {"body": "<p>Inset.</p>"}},
        {
            "type": "warning_callout",
            "value": {"title": "Important", "heading_level": 3, "body": "<p>Careful.</p>"},
        },
        {
            "type": "details",
            "value": {"title": "More", "body": [{"type": "richtext", "value": "<p>More.</p>"}]},
        },
        {"type": "action_link", "value": {"text": "Sign up", "external_url": "https://a.org/"}},
        {"type": "card", "value": {"heading": "Card", "heading_level": 3, "body": "<p>C</p>"}},
        {"type": "definition_list", "value": {"heading": "More", "definitions": definitions}},
    ]
    return blocks * copies


def tool_page_queries(client, page, body):
    page.body = body
    page.save_revision().publish()
    return queries_for(client, page.url)


def test_tool_page_queries_do_not_grow_with_ten_times_the_blocks(client, demo):
    page = demo.key_messages

    few = tool_page_queries(client, page, scaled_body(demo, 1))
    many = tool_page_queries(client, page, scaled_body(demo, 10))

    page.refresh_from_db()
    assert len(page.body) == 50
    assert len(many) == len(few), f"5 blocks: {report(few)}\n\n50 blocks: {report(many)}"


def test_page_with_every_kind_of_block_queries_do_not_grow_tenfold(client, demo):
    page = demo.key_messages

    few = tool_page_queries(client, page, every_block_body(demo, 1))
    many = tool_page_queries(client, page, every_block_body(demo, 10))

    assert len(many) == len(few), f"once: {report(few)}\n\nten times: {report(many)}"
