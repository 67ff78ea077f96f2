from django import template
from django.utils.safestring import SafeData
from wagtail.rich_text import RichText

from culture_cms.organisation.models import OrganisationSettings
from culture_cms.organisation.tokens.filling import (
    fill_html,
    fill_rich_text,
    fill_text,
    fill_value,
)
from culture_cms.organisation.tokens.values import token_values

register = template.Library()


def _values(context):
    """Pages put `token_values` in their context; elsewhere (a block preview, say)
    the values come from the request's site."""
    values = context.get("token_values")
    if values is None:
        request = context.get("request")
        values = token_values(OrganisationSettings.for_request(request)) if request else {}
    return values


@register.simple_tag(takes_context=True)
def fill_tokens(context, value):
    """Render text, rich text, a stream or a block, its tokens filled from the organisation.

    Tokens are filled in the value's text before it is rendered, never in the
    markup around it. A stream or block is rendered with the page's context (as
    {% include_block %} does), so block templates see request, page and
    is_facilitator.
    """
    values = _values(context)
    if hasattr(value, "stream_block"):  # a whole stream
        value = value.stream_block.bind(value)
    if hasattr(value, "block") and hasattr(value, "value"):  # a block: a stream's child
        filled = fill_value(value.block, value.value, values)
        return value.block.render(filled, context=context.flatten())
    if isinstance(value, RichText):
        return fill_rich_text(value, values).__html__()
    if isinstance(value, SafeData):  # HTML already, from |richtext say
        return fill_html(value, values)
    return fill_text("" if value is None else str(value), values)


@register.simple_tag(takes_context=True, name="fill_rich_text")
def fill_rich_text_tag(context, value):
    """Render a rich text field's stored HTML, its tokens filled before its links expand.

    {% fill_rich_text page.intro %} in place of {% fill_tokens page.intro|richtext %}.
    """
    return fill_rich_text(value, _values(context)).__html__()
