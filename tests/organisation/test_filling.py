"""Filling tokens in the text an editor wrote, never in the markup around it.

The unit tests use unsaved settings; the page tests publish the demo's Tool 4.3
page with a token inside a link's attributes and read what an anonymous reader gets.
"""

import datetime

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe
from wagtail.rich_text import RichText
from wagtail.test.utils import WagtailTestUtils

from culture_cms.organisation.models import OrganisationSettings
from culture_cms.organisation.tokens.filling import (
    fill_html,
    fill_rich_text,
    fill_text,
    fill_value,
)
from culture_cms.organisation.tokens.values import token_values
from culture_cms.programme.models import KeyMessagesPage

STREAM = KeyMessagesPage._meta.get_field("body").stream_block
LINK = (
    '<a href="https://example.org/?trust={organisation}" title="About {organisation}">'
    "Read about {organisation}</a>"
)


@pytest.fixture
def values():
    return token_values(
        OrganisationSettings(
            organisation_name="A & B <Trust>",
            programme_name="Culture and Leadership Programme",
            plans_date=datetime.date(2031, 3, 7),
        )
    )


def soup(html):
    return WagtailTestUtils.get_soup(str(html))


# Unit tests: fill_html, fill_text, fill_rich_text, fill_value


def test_fill_html_leaves_a_token_inside_an_attribute_as_written(values):
    link = soup(fill_html(LINK, values)).a

    assert link["href"] == "https://example.org/?trust={organisation}"
    assert link["title"] == "About {organisation}"
    assert link.get_text() == "Read about A & B <Trust>"


def test_fill_html_never_puts_a_gap_inside_an_attribute(values):
    html = '<a href="/plans/" title="Plans by {contact_name}">By {contact_name}</a>'

    filled = fill_html(html, values)

    assert filled.startswith('<a href="/plans/" title="Plans by {contact_name}">By <mark ')
    assert soup(filled).a.mark.get_text() == "[not set: the contact's name]"


def test_fill_html_reads_an_attribute_holding_a_closing_angle_bracket_as_markup(values):
    html = '<a title="a > {organisation}" href="/">{organisation}</a>'

    assert fill_html(html, values) == (
        '<a title="a > {organisation}" href="/">A &amp; B &lt;Trust&gt;</a>'
    )


def test_fill_html_leaves_a_comment_as_written(values):
    assert fill_html("<!-- {organisation} --><p>{programme}</p>", values) == (
        "<!-- {organisation} --><p>Culture and Leadership Programme</p>"
    )


def test_fill_html_escapes_the_value_it_inserts(values):
    assert fill_html("<p>{organisation}</p>", values) == "<p>A &amp; B &lt;Trust&gt;</p>"


def test_fill_text_escapes_the_text_and_the_value(values):
    assert fill_text("Tom & {organisation}", values) == "Tom &amp; A &amp; B &lt;Trust&gt;"


def test_fill_rich_text_fills_before_links_expand(demo, values):
    stored = f'<p><a linktype="page" id="{demo.glossary.pk}">{{organisation}} words</a></p>'

    link = soup(fill_rich_text(RichText(stored), values).__html__()).a

    assert link["href"] == demo.glossary.url
    assert link.get_text() == "A & B <Trust> words"


def test_fill_value_fills_every_text_in_a_nested_block(values):
    block = STREAM.child_blocks["details"]
    value = block.to_python(
        {
            "title": "At {organisation}",
            "body": [{"type": "richtext", "value": f"<p>{LINK}</p>"}],
        }
    )

    filled = fill_value(block, value, values)

    assert filled["title"] == "At A &amp; B &lt;Trust&gt;"
    link = soup(filled["body"][0].value.__html__()).a
    assert link["title"] == "About {organisation}"
    assert link.get_text() == "Read about A & B <Trust>"


def test_fill_value_leaves_a_url_alone(values):
    block = STREAM.child_blocks["action_link"]
    value = block.to_python(
        {"text": "Join {organisation}", "external_url": "https://example.org/{organisation}"}
    )

    filled = fill_value(block, value, values)

    assert filled["text"] == "Join A &amp; B &lt;Trust&gt;"
    assert filled["external_url"] == "https://example.org/{organisation}"


def test_fill_tokens_tag_escapes_plain_text_and_fills_html_text_only(values):
    template = Template("{% load culture_tokens %}{% fill_tokens text %}|{% fill_tokens html %}")
    html = mark_safe(LINK)  # noqa: S308 — a literal
    context = Context({"token_values": values, "text": "<b>{organisation}</b>", "html": html})

    text, html = template.render(context).split("|")

    assert text == "&lt;b&gt;A &amp; B &lt;Trust&gt;&lt;/b&gt;"
    assert soup(html).a["title"] == "About {organisation}"


# What an anonymous reader gets


@pytest.fixture
def tool_with_a_token_in_a_link(demo):
    """Tool 4.3 with a link whose href and title hold a token, in a key message section
    and in a paragraph, for an organisation named A & B <Trust>."""
    demo.organisation.organisation_name = "A & B <Trust>"
    demo.organisation.save()
    page = demo.key_messages
    page.body.append(
        (
            "key_message_section",
            {"heading": "At {organisation}", "body": RichText(f"<p>{LINK}</p>")},
        )
    )
    page.body.append(("paragraph", RichText(f"<p>{LINK}</p>")))
    page.save_revision().publish()
    return page


def test_a_token_in_a_links_attributes_reaches_the_page_as_written(
    client, tool_with_a_token_in_a_link
):
    html = client.get(tool_with_a_token_in_a_link.url).content.decode()

    links = soup(html).select('a[href^="https://example.org/"]')
    assert len(links) == 2
    for link in links:
        assert link["href"] == "https://example.org/?trust={organisation}"
        assert link["title"] == "About {organisation}"
        assert link.get_text() == "Read about A & B <Trust>"


def test_a_filled_organisation_name_is_escaped_on_the_page(client, tool_with_a_token_in_a_link):
    html = client.get(tool_with_a_token_in_a_link.url).content.decode()

    assert "<h2>At A &amp; B &lt;Trust&gt;</h2>" in html
    assert "Read about A &amp; B &lt;Trust&gt;</a>" in html
    assert "<Trust>" not in html
