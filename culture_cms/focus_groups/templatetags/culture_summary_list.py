"""One row of a summary list, its markup written once: `{% summary_row key %}value
{% endsummary_row %}` on the site (NHS.UK's summary list) and `{% email_row key %}value
{% endemail_row %}` in an HTML email (a table, styled inline for mail clients)."""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_block_tag
def summary_row(content, key):
    """A row of an NHS.UK summary list (`<dl class="nhsuk-summary-list">`)."""
    return render_to_string(
        "culture_cms/focus_groups/includes/summary_row.html", {"key": key, "value": content}
    )


@register.simple_block_tag
def email_row(content, key):
    """A row of an HTML email's details table."""
    return render_to_string("culture_cms/emails/includes/row.html", {"key": key, "value": content})
