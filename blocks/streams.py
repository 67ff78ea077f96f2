"""The StreamBlocks that page bodies are made of."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import content, nhsuk


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
    definition = content.DefinitionBlock()
    definition_list = content.DefinitionListBlock()
    contact_card = content.ContactCardBlock()
    confidentiality_statement = content.ConfidentialityStatementBlock()
    facilitator_note = content.FacilitatorNoteBlock()
    cultural_elements_grid = content.CulturalElementsGridBlock()
    upcoming_focus_groups = content.UpcomingFocusGroupsBlock()
    inset_text = nhsuk.InsetTextBlock()
    warning_callout = nhsuk.WarningCalloutBlock()
    details = nhsuk.DetailsBlock()
    action_link = nhsuk.ActionLinkBlock()
    card = nhsuk.CardBlock()
