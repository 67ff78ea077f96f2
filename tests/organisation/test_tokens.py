"""Tokens such as {organisation}: their values, filling them in, and refusing to publish gaps.

The unit tests use unsaved settings and contacts; the admin tests edit a Tool 4.3 page
built for them (tests/factories) as a superuser and check that nothing unadapted
reaches the live site.
"""

import datetime
import json

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains
from wagtail.models import WorkflowState
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from culture_cms.organisation.models import Contact, OrganisationSettings, Phase
from culture_cms.organisation.tokens.editor_checks import problems, value_errors
from culture_cms.organisation.tokens.filling import fill_html, fill_text
from culture_cms.organisation.tokens.values import token_values
from culture_cms.programme.blocks import ProgrammeStreamBlock
from culture_cms.programme.models import KeyMessagesPage, ProgrammePage
from tests import factories
from tests.factories.module_data import built_once
from tests.factories.programme import comms_approval

# Unit tests: token_values, fill_html, fill_text, problems


@pytest.fixture
def contact():
    return Contact(
        name="Sam Okafor",
        role="Programme lead",
        email="culture@example.nhs.uk",
        phone="01632 960 123",
    )


@pytest.fixture
def organisation(contact):
    return OrganisationSettings(
        organisation_name="Anytown Hospitals NHS Foundation Trust",
        programme_name="Culture and Leadership Programme",
        current_phase=Phase.DESIGN,
        plans_date=datetime.date(2031, 3, 7),
        default_contact=contact,
    )


def test_token_values_come_from_the_organisation_settings(organisation):
    values = token_values(organisation)

    assert values["organisation"] == "Anytown Hospitals NHS Foundation Trust"
    assert values["programme"] == "Culture and Leadership Programme"
    assert values["phase"] == "Design"
    assert values["plans_date"] == "7 March 2031"


def test_token_values_use_the_default_contact(organisation):
    values = token_values(organisation)

    assert values["contact_name"] == "Sam Okafor"
    assert values["contact_role"] == "Programme lead"
    assert values["contact_email"] == "culture@example.nhs.uk"
    assert values["contact_details"] == "culture@example.nhs.uk or 01632 960 123"


def test_token_values_prefer_the_pages_own_contact(organisation):
    own = Contact(name="Priya Shah", email="priya@example.nhs.uk")

    values = token_values(organisation, own)

    assert values["contact_name"] == "Priya Shah"
    assert values["contact_details"] == "priya@example.nhs.uk"
    assert values["contact_phone"] is None


def test_token_values_are_none_when_nothing_is_configured():
    values = token_values(OrganisationSettings(programme_name=""))

    assert values["organisation"] is None
    assert values["programme"] is None
    assert values["plans_date"] is None
    assert values["contact_name"] is None
    assert values["contact_details"] is None


def test_fill_html_replaces_tokens_with_their_values(organisation):
    html = "<p>{organisation} will publish its plans by {plans_date}.</p>"

    assert fill_html(html, token_values(organisation)) == (
        "<p>Anytown Hospitals NHS Foundation Trust will publish its plans by 7 March 2031.</p>"
    )


def test_fill_text_escapes_values(organisation):
    organisation.organisation_name = "Barts & <The London>"

    assert fill_text("{organisation}", token_values(organisation)) == (
        "Barts &amp; &lt;The London&gt;"
    )


def test_fill_text_escapes_the_text_around_tokens(organisation):
    filled = fill_text("<b>{organisation}</b> & co", token_values(organisation))

    assert filled == "&lt;b&gt;Anytown Hospitals NHS Foundation Trust&lt;/b&gt; &amp; co"


def test_fill_html_escapes_values(organisation):
    organisation.organisation_name = "Barts & <The London>"

    filled = fill_html("<p>{organisation}</p>", token_values(organisation))

    assert filled == "<p>Barts &amp; &lt;The London&gt;</p>"


def test_fill_html_marks_a_token_with_no_value_as_a_gap(organisation):
    organisation.plans_date = None

    filled = fill_html("<p>By {plans_date}.</p>", token_values(organisation))

    gap = '<mark class="cc-token-gap">[not set: the date plans will be published by]</mark>'
    assert filled == f"<p>By {gap}.</p>"


def test_fill_html_marks_an_unknown_token_as_a_gap(organisation):
    filled = fill_html("<p>Staff at {organization}.</p>", token_values(organisation))

    assert filled == '<p>Staff at <mark class="cc-token-gap">{organization}</mark>.</p>'


def test_fill_html_marks_an_insert_placeholder_as_a_gap(organisation):
    filled = fill_html("<p>By [Insert date].</p>", token_values(organisation))

    assert filled == '<p>By <mark class="cc-token-gap">[Insert date]</mark>.</p>'


def test_problems_is_empty_for_adapted_text(organisation):
    text = "<p>{organisation} is listening to {contact_name}.</p>"

    assert problems(text, token_values(organisation)) == []


@pytest.mark.parametrize("placeholder", ["[insert date]", "[INSERT name]", "[Insert trust]"])
def test_problems_finds_an_insert_placeholder_in_any_case(organisation, placeholder):
    text = f"<p>We will publish by {placeholder} this year.</p>"

    assert problems(text, token_values(organisation)) == [
        f"Replace the placeholder in “We will publish by {placeholder} this year.” with your "
        "own words or a token such as {organisation}."
    ]


def test_problems_names_an_unknown_token_and_the_known_ones(organisation):
    [found] = problems("<p>Everyone at {organization}.</p>", token_values(organisation))

    assert found.startswith("{organization} in “Everyone at {organization}.” is not a known token.")
    assert "{organisation}, {programme}, {phase}, {plans_date}" in found


def test_problems_names_a_token_with_no_value(organisation):
    organisation.plans_date = None

    [found] = problems("<p>By {plans_date}.</p>", token_values(organisation))

    assert found == (
        "{plans_date} in “By {plans_date}.” has no value: set the date plans will be "
        "published by in Settings › Organisation settings, or give the page a contact."
    )


def test_problems_quotes_only_the_words_around_the_problem(organisation):
    text = "<p>" + "word " * 30 + "[insert date]" + " more" * 30 + "</p>"

    [found] = problems(text, token_values(organisation))

    quote = found.split("“")[1].split("”")[0]
    assert quote.startswith("…") and quote.endswith("…")
    assert "[insert date]" in quote
    assert len(quote) < 100


def test_value_errors_count_blocks_as_an_editor_does(organisation):
    body = ProgrammeStreamBlock().to_python(
        [{"type": "paragraph", "value": "<p>[insert name]</p>"} for _ in range(23)]
    )

    error = value_errors(ProgrammeStreamBlock(), body, token_values(organisation))

    names = [message.split(":")[0] for message in error.non_block_errors]
    assert [names[n - 1] for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23)] == [
        f"In the {ordinal} paragraph"
        for ordinal in ("1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd")
    ]


# Publishing through the admin


def build():
    tree = factories.site_tree()
    tree.organisation.plans_date = datetime.date(2031, 3, 7)
    tree.organisation.save()
    comms_approval(tree.programme)
    tree.key_messages = factories.key_messages_page(tree.programme)
    return tree


# Made once for the module (tests/factories/module_data.py); each test has its copy.
built, made = built_once(build)


@pytest.fixture
def tree(made):
    """A site whose settings fill every token, with a live Tool 4.3 page under a programme
    page that goes through comms approval."""
    return made


@pytest.fixture
def editor(admin_client):
    """A superuser signed in to the admin."""
    return admin_client


def key_messages_form(
    page, title=None, body_html="<p>Ask {contact_name}.</p>", contact="", body=None
):
    """The Tool 4.3 edit form, with one key message section holding body_html (or the
    blocks of `body`, as streamfield() takes them)."""
    body = body or [("key_message_section", {"heading": "Process", "body": rich_text(body_html)})]
    return nested_form_data(
        {
            "title": title or page.title,
            "slug": page.slug,
            "tool_reference": page.tool_reference,
            "contact": contact,
            "summary": page.summary,
            "facilitator_note": rich_text("<p>Not a script.</p>"),
            "source": page.source,
            "body": streamfield(body),
        }
    )


def post_edit(client, page, data, action="action-publish"):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return client.post(url, {**data, action: action})


def streamfield_errors(response, field_name):
    """The errors a StreamField's widget was rendered with, as its JavaScript receives them."""
    soup = WagtailTestUtils.get_soup(response.content)
    widget = soup.find("div", id=field_name, attrs={"data-controller": "w-block"})
    _value, errors = json.loads(widget["data-w-block-arguments-value"])
    return errors


def block_messages(response, field_name, index):
    """The messages listed, one by one, at the top of one block of a rendered StreamField."""
    errors = streamfield_errors(response, field_name)
    return errors["blockErrors"][str(index)]["messages"]


def assert_not_published(page):
    """The refused post changed nothing: same live and latest revisions, same live content."""
    fresh = type(page).objects.get(pk=page.pk)
    assert fresh.live_revision_id == page.live_revision_id
    assert fresh.latest_revision_id == page.latest_revision_id
    assert fresh.title == page.title
    assert list(fresh.body.raw_data) == list(page.body.raw_data)


PLACEHOLDER_MESSAGE = (
    "In the key message section “Process”, Key messages: Replace the placeholder in "
    "“We will publish by [insert date] at the latest.” with your own words or a token "
    "such as {organisation}."
)


def test_publishing_an_insert_placeholder_in_a_block_is_refused(tree, editor):
    page = tree.key_messages
    data = key_messages_form(
        page, body_html="<p>We will publish by [insert date] at the latest.</p>"
    )

    response = post_edit(editor, page, data)

    assert response.status_code == 200
    assert block_messages(response, "body", 0) == [PLACEHOLDER_MESSAGE]
    assert_not_published(page)


def test_publish_refusal_sits_on_its_block_in_the_form_errors(tree, editor):
    page = tree.key_messages
    data = key_messages_form(
        page, body_html="<p>We will publish by [insert date] at the latest.</p>"
    )

    response = post_edit(editor, page, data)

    [stream_error] = response.context["form"].errors.as_data()["body"]
    assert not stream_error.non_block_errors
    assert set(stream_error.block_errors) == {0}
    struct_error = stream_error.block_errors[0]
    # Listed one by one at the top of the block, naming the field (Wagtail would run
    # a field's own messages together).
    assert struct_error.block_errors == {}
    assert [e.message for e in struct_error.non_block_errors.as_data()] == [PLACEHOLDER_MESSAGE]


def test_publishing_an_upper_case_placeholder_in_the_title_is_refused(tree, editor):
    page = tree.key_messages
    data = key_messages_form(page, title="Key messages for [INSERT name]")

    response = post_edit(editor, page, data)

    assert response.context["form"].errors["title"] == [
        "Replace the placeholder in “Key messages for [INSERT name]” with your own words "
        "or a token such as {organisation}."
    ]
    assertContains(response, "Replace the placeholder in “Key messages for [INSERT name]”")
    assert_not_published(page)


def test_publishing_an_unknown_token_in_the_intro_is_refused(tree, editor):
    page = tree.programme
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": rich_text("<p>Everyone at {organization} is welcome.</p>"),
            "body": streamfield([]),
        }
    )

    response = post_edit(editor, page, data)

    [message] = response.context["form"].errors["intro"]
    assert message.startswith(
        "{organization} in “Everyone at {organization} is welcome.” is not a known token."
    )
    assert message in response.content.decode()
    assert ProgrammePage.objects.get(pk=page.pk).live_revision_id == page.live_revision_id


def test_publishing_a_token_with_no_date_configured_is_refused(tree, editor):
    tree.organisation.plans_date = None
    tree.organisation.save()
    page = tree.key_messages
    data = key_messages_form(page, body_html="<p>Plans by {plans_date}.</p>")

    response = post_edit(editor, page, data)

    assert block_messages(response, "body", 0) == [
        "In the key message section “Process”, Key messages: {plans_date} in “Plans by "
        "{plans_date}.” has no value: set the date plans will be published by in Settings › "
        "Organisation settings, or give the page a contact."
    ]
    assert_not_published(page)


def test_publishing_a_contact_token_with_no_contact_is_refused(tree, editor):
    tree.organisation.default_contact = None
    tree.organisation.save()
    page = tree.key_messages
    data = key_messages_form(page, body_html="<p>Ask {contact_name}.</p>", contact="")

    response = post_edit(editor, page, data)

    [message] = block_messages(response, "body", 0)
    assert message.startswith(
        "In the key message section “Process”, Key messages: {contact_name} in"
    )
    assert "has no value" in message
    assert_not_published(page)


def test_two_problems_in_one_field_are_two_messages_quoting_each(tree, editor):
    page = tree.key_messages
    data = key_messages_form(page, body_html="<p>By [insert date], ask {organization}.</p>")

    response = post_edit(editor, page, data)

    placeholder, token = block_messages(response, "body", 0)
    assert placeholder.startswith(
        "In the key message section “Process”, Key messages: Replace the placeholder in "
        "“By [insert date], ask {organization}.”"
    )
    assert token.startswith(
        "In the key message section “Process”, Key messages: {organization} in "
        "“By [insert date], ask {organization}.” is not a known token."
    )
    assert_not_published(page)


def test_a_block_without_a_heading_is_named_by_its_position_among_its_kind(tree, editor):
    page = tree.key_messages
    note = "<p>Ask [insert name] for the room.</p>"
    body = [
        ("facilitator_note", {"body": rich_text("<p>Not a script.</p>")}),
        ("key_message_section", {"heading": "Process", "body": rich_text("<p>Fine.</p>")}),
        ("facilitator_note", {"body": rich_text(note)}),
    ]

    response = post_edit(editor, page, key_messages_form(page, body=body))

    # The third block, but the second facilitator note.
    assert block_messages(response, "body", 2) == [
        "In the 2nd facilitator note, Note: Replace the placeholder in “Ask [insert name] "
        "for the room.” with your own words or a token such as {organisation}."
    ]
    assert set(streamfield_errors(response, "body")["blockErrors"]) == {"2"}
    assert_not_published(page)


def test_a_single_field_block_lists_its_problems_at_the_top_of_the_field(tree, editor):
    page = tree.key_messages
    body = [
        ("key_message_section", {"heading": "Process", "body": rich_text("<p>Fine.</p>")}),
        ("paragraph", rich_text("<p>Fine too.</p>")),
        ("key_message_section", {"heading": "Why", "body": rich_text("<p>Fine.</p>")}),
        ("paragraph", rich_text("<p>Ask [insert name] or {contact_nmae}.</p>")),
    ]

    response = post_edit(editor, page, key_messages_form(page, body=body))

    # A paragraph is one field, whose own messages Wagtail would run together: its
    # problems are listed one by one at the top of the StreamField, naming it.
    errors = streamfield_errors(response, "body")
    placeholder, token = errors["messages"]
    assert placeholder.startswith("In the 2nd paragraph: Replace the placeholder in “Ask ")
    assert token.startswith("In the 2nd paragraph: {contact_nmae} in “Ask [insert name] or ")
    assert "blockErrors" not in errors
    assert_not_published(page)


def test_the_pages_own_contact_fills_contact_tokens_when_publishing(tree, editor):
    tree.organisation.default_contact = None
    tree.organisation.save()
    page = tree.key_messages
    data = key_messages_form(page, body_html="<p>Ask {contact_name}.</p>", contact=tree.contact.pk)

    response = post_edit(editor, page, data)

    assert response.status_code == 302
    assert KeyMessagesPage.objects.get(pk=page.pk).contact == tree.contact


def test_saving_a_draft_with_a_placeholder_is_allowed(tree, editor):
    page = tree.key_messages
    data = key_messages_form(page, body_html="<p>We will publish by [insert date].</p>")

    response = post_edit(editor, page, data, action="action-save")

    assert response.status_code == 302
    fresh = KeyMessagesPage.objects.get(pk=page.pk)
    assert fresh.live_revision_id == page.live_revision_id
    assert fresh.has_unpublished_changes
    draft = fresh.get_latest_revision_as_object()
    assert "[insert date]" in draft.body[0].value["body"].source
    assert "[insert date]" not in str(fresh.body.raw_data)


def test_publishing_works_once_the_placeholder_is_replaced(tree, editor):
    page = tree.key_messages
    post_edit(editor, page, key_messages_form(page, body_html="<p>By [insert date].</p>"))

    response = post_edit(editor, page, key_messages_form(page, body_html="<p>By {plans_date}.</p>"))

    assert response.status_code == 302
    fresh = KeyMessagesPage.objects.get(pk=page.pk)
    assert fresh.live_revision_id != page.live_revision_id
    assert fresh.live_revision_id == fresh.latest_revision_id
    assert "By {plans_date}." in fresh.body[0].value["body"].source


def test_submitting_a_placeholder_for_moderation_is_refused(tree, editor):
    page = tree.key_messages
    data = key_messages_form(
        page, body_html="<p>We will publish by [insert date] at the latest.</p>"
    )

    response = post_edit(editor, page, data, action="action-submit")

    assert response.status_code == 200
    assert block_messages(response, "body", 0) == [PLACEHOLDER_MESSAGE]
    assert not WorkflowState.objects.filter(object_id=str(page.pk)).exists()
    assert_not_published(page)


def test_submitting_adapted_content_for_moderation_starts_comms_approval(tree, editor):
    page = tree.key_messages

    response = post_edit(
        editor, page, key_messages_form(page, body_html="<p>By {plans_date}.</p>"), "action-submit"
    )

    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.workflow.name == "Comms approval"
    assert KeyMessagesPage.objects.get(pk=page.pk).live_revision_id == page.live_revision_id


def test_preview_shows_an_unfilled_token_and_a_placeholder_as_marked_gaps(tree, editor):
    page = tree.key_messages
    tree.organisation.plans_date = None
    tree.organisation.save()
    data = key_messages_form(page, body_html="<p>By {plans_date}, ask [insert name].</p>")
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])

    assert editor.post(url, data).json()["is_valid"]
    html = editor.get(url).content.decode()

    assert (
        '<mark class="cc-token-gap">[not set: the date plans will be published by]</mark>' in html
    )
    assert '<mark class="cc-token-gap">[insert name]</mark>' in html
