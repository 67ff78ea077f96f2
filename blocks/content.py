"""The programme's own StreamField blocks. Presentation only: each has one template.

They import no domain app. The blocks that show a programme snippet live with it
(culture_cms/programme/blocks.py); the upcoming focus groups come from the function
the focus-groups app registers under UPCOMING_FOCUS_GROUPS_HOOK.
"""

from django.apps import apps
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import blocks, hooks
from wagtail.snippets.blocks import SnippetChooserBlock

from .per_request import once_per_request

CONTACT = "culture_organisation.Contact"

# Registered by culture_cms.focus_groups (wagtail_hooks.py): a function of the request
# and the page being rendered (or None) that returns the live upcoming focus groups,
# soonest first. A host may register its own; the last one registered is used.
UPCOMING_FOCUS_GROUPS_HOOK = "culture_cms_upcoming_focus_groups"


def _first(model_name):
    """An existing snippet to show in the block picker's preview."""
    return apps.get_model(model_name).objects.first()


class KeyMessageSectionBlock(blocks.StructBlock):
    """A heading and the key messages under it."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=255)
    body = blocks.RichTextBlock(
        label=_("Key messages"),
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Tokens such as {organisation} are filled in from the organisation settings."),
    )

    class Meta:
        icon = "openquote"
        label = _("Key message section")
        template = "culture_cms/blocks/key_message_section.html"
        description = _("A heading with the key messages for one topic")
        preview_value = {
            "heading": _("The Culture and Leadership Programme"),
            "body": _("<p>Our trust is running a programme on culture and leadership.</p>"),
        }


class ContactCardBlock(blocks.StructBlock):
    """Who to ask, and how to reach them."""

    heading = blocks.CharBlock(label=_("Heading"), default=_("Contact"), max_length=255)
    contact = SnippetChooserBlock(CONTACT, label=_("Contact"))

    class Meta:
        icon = "user"
        label = _("Contact card")
        template = "culture_cms/blocks/contact_card.html"
        description = _("A card with a contact's name, role, email and phone")

    def get_preview_value(self):
        return {"heading": _("Contact"), "contact": _first(CONTACT)}


class ConfidentialityStatementBlock(blocks.StructBlock):
    """How what people say in a focus group is used and protected."""

    heading = blocks.CharBlock(label=_("Heading"), default=_("Confidentiality"), max_length=255)
    body = blocks.RichTextBlock(label=_("Statement"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "lock"
        label = _("Confidentiality statement")
        template = "culture_cms/blocks/confidentiality_statement.html"
        description = _("How focus-group information is used and kept anonymous")
        preview_value = {
            "heading": _("Confidentiality"),
            "body": _(
                "<p>Information provided in a focus group will be reported in an anonymised "
                "format.</p>"
            ),
        }


class FacilitatorNoteBlock(blocks.StructBlock):
    """Guidance for facilitators, sent only to signed-in members of the Facilitators group."""

    body = blocks.RichTextBlock(label=_("Note"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "info-circle"
        label = _("Facilitator note")
        template = "culture_cms/blocks/facilitator_note.html"
        description = _("Guidance that only members of the Facilitators group see")
        preview_value = {"body": _("<p>These messages are not a script: adapt them.</p>")}


class UpcomingFocusGroupsBlock(blocks.StructBlock):
    """The next focus groups, found automatically."""

    heading = blocks.CharBlock(
        label=_("Heading"), default=_("Upcoming focus groups"), max_length=255
    )
    limit = blocks.IntegerBlock(label=_("How many"), default=3, min_value=1, max_value=20)

    class Meta:
        icon = "date"
        label = _("Upcoming focus groups")
        template = "culture_cms/blocks/upcoming_focus_groups.html"
        description = _("A list of the next focus groups, kept up to date automatically")
        preview_value = {"heading": _("Upcoming focus groups"), "limit": 3}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["events"] = upcoming_focus_groups(context)[: value["limit"]]
        return context


def upcoming_focus_groups(context):
    """The upcoming focus groups, fetched once per request however many blocks show them."""
    fetchers = hooks.get_hooks(UPCOMING_FOCUS_GROUPS_HOOK)
    if not fetchers:
        return []
    request, page = context.get("request"), context.get("page")
    return once_per_request(
        request, ("upcoming", get_language()), lambda: list(fetchers[-1](request, page))
    )
