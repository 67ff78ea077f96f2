"""NHS.UK frontend blocks from wagtail-nhsuk-frontend, with a description and a preview."""

from django.utils.translation import gettext_lazy as _
from wagtailnhsukfrontend import blocks as nhsuk


class InsetTextBlock(nhsuk.InsetTextBlock):
    class Meta:
        label = _("Inset text")
        description = _("Text set apart from the content around it")
        preview_value = {"body": _("<p>Focus groups last about 90 minutes.</p>")}


class WarningCalloutBlock(nhsuk.WarningCalloutBlock):
    class Meta:
        label = _("Warning callout")
        description = _("Something people must know, in a yellow box")
        preview_value = {
            "title": _("Important"),
            "heading_level": 3,
            "body": _("<p>Please tell us about any access needs before the session.</p>"),
        }


class DetailsBlock(nhsuk.DetailsBlock):
    class Meta:
        label = _("Details")
        description = _("A link that expands to show more text")
        preview_value = {
            "title": _("What happens in a focus group?"),
            "body": [
                ("richtext", _("<p>A facilitator asks open questions about our culture.</p>"))
            ],
        }


class ActionLinkBlock(nhsuk.ActionLinkBlock):
    class Meta:
        label = _("Action link")
        description = _("A green arrow link that asks people to do something")
        preview_value = {
            "text": _("Sign up to a focus group"),
            "external_url": "https://example.org/",
        }


class CardBlock(nhsuk.CardBasicBlock):
    class Meta:
        label = _("Card")
        description = _("A heading and text in a box")
        preview_value = {
            "heading": _("Have your say"),
            "heading_level": 3,
            "body": _("<p>Everyone who works here is welcome at a focus group.</p>"),
        }
