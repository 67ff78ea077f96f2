from django import template
from django.utils.html import conditional_escape

from culture_cms.organisation.models import OrganisationSettings
from culture_cms.organisation.tokens import fill, token_values

register = template.Library()


@register.simple_tag(takes_context=True)
def fill_tokens(context, value):
    """Render text, rich text, a stream or a block, its tokens filled from the organisation.

    Pages put `token_values` in their context; elsewhere (a block preview, say)
    the values come from the request's site.
    """
    values = context.get("token_values")
    if values is None:
        request = context.get("request")
        values = token_values(OrganisationSettings.for_request(request)) if request else {}
    if hasattr(value, "render_as_block"):
        # A stream or block: render it with the page's context (as {% include_block %}
        # does), so block templates see request, page and is_facilitator.
        value = value.render_as_block(context=context.flatten())
    return fill(str(conditional_escape(value)), values)
