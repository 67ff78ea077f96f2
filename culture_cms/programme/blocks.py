"""The blocks that show the programme's snippets, and the StreamBlock page bodies are made of."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.models import Locale
from wagtail.snippets.blocks import SnippetChooserBlock

from blocks import content, nhsuk
from blocks.per_request import once_per_request

DEFINITION = "culture_programme.Definition"


def _first_definition():
    """An existing definition to show in the block picker's preview."""
    from .models import Definition

    return Definition.objects.first()


def cultural_elements(context):
    """All cultural elements in their order, in the page's language (by id: no query),
    or the active one where there is no page."""
    from .models import CulturalElement

    page = context.get("page")
    locale_id = getattr(page, "locale_id", None) or Locale.get_active().pk
    return once_per_request(
        context.get("request"),
        ("elements", get_language()),
        lambda: list(CulturalElement.objects.filter(locale_id=locale_id)),
    )


class DefinitionBlock(blocks.StructBlock):
    """One term and its plain-English definition, from the Definitions snippets."""

    definition = SnippetChooserBlock(DEFINITION, label=_("Definition"))

    class Meta:
        icon = "help"
        label = _("Definition")
        template = "culture_cms/blocks/definition.html"
        description = _("One term from the glossary, with its definition")

    def get_preview_value(self):
        return {"definition": _first_definition()}


class DefinitionListBlock(blocks.StructBlock):
    """Several definitions under one heading."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=255)
    definitions = blocks.ListBlock(SnippetChooserBlock(DEFINITION), label=_("Definitions"))

    class Meta:
        icon = "list-ul"
        label = _("Definition list")
        template = "culture_cms/blocks/definition_list.html"
        description = _("A heading and several terms from the glossary")

    def get_preview_value(self):
        return {"heading": _("Definitions"), "definitions": [_first_definition()]}


class CulturalElementsGridBlock(blocks.StructBlock):
    """The six elements of culture, as a grid of cards."""

    heading = blocks.CharBlock(
        label=_("Heading"), default=_("The six elements of culture"), max_length=255
    )

    class Meta:
        icon = "table"
        label = _("Cultural elements grid")
        template = "culture_cms/blocks/cultural_elements_grid.html"
        description = _("All cultural elements, in their order, as cards")
        preview_value = {"heading": _("The six elements of culture")}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["elements"] = cultural_elements(context)
        return context


class ProgrammeStreamBlock(blocks.StreamBlock):
    """Everything an editor can put in the body of a programme page."""

    key_message_section = content.KeyMessageSectionBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        description=_("Rich text"),
        preview_value=_("<p>This work should help improve the health and wellbeing of staff.</p>"),
        template="culture_cms/blocks/paragraph.html",
    )
    definition = DefinitionBlock()
    definition_list = DefinitionListBlock()
    contact_card = content.ContactCardBlock()
    confidentiality_statement = content.ConfidentialityStatementBlock()
    facilitator_note = content.FacilitatorNoteBlock()
    cultural_elements_grid = CulturalElementsGridBlock()
    upcoming_focus_groups = content.UpcomingFocusGroupsBlock()
    inset_text = nhsuk.InsetTextBlock()
    warning_callout = nhsuk.WarningCalloutBlock()
    details = nhsuk.DetailsBlock()
    action_link = nhsuk.ActionLinkBlock()
    card = nhsuk.CardBlock()
