"""Tokens such as {organisation} that adapt the programme's material to one trust.

Editors write tokens in headings and rich text; pages fill them from the site's
OrganisationSettings (and the page's own contact, where it has one). Content is
not ready to publish while it still holds the template's "[insert …]"
placeholders, an unknown token, or a token with no value configured.
"""

import re

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.template.defaultfilters import date as format_date
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.rich_text import RichText

TOKENS = {
    "organisation": gettext_lazy("the organisation name"),
    "programme": gettext_lazy("the programme name"),
    "phase": gettext_lazy("the current phase"),
    "plans_date": gettext_lazy("the date plans will be published by"),
    "contact_name": gettext_lazy("the contact's name"),
    "contact_role": gettext_lazy("the contact's role"),
    "contact_email": gettext_lazy("the contact's email"),
    "contact_phone": gettext_lazy("the contact's phone number"),
    "contact_details": gettext_lazy("the contact's email and phone number"),
}

# {word} is a token; "[insert ...]" is the template's own placeholder, left unadapted.
TOKEN_RE = re.compile(r"\{([A-Za-z_]+)\}")
PLACEHOLDER_RE = re.compile(r"\[\s*insert\b[^\]]*\]?", re.IGNORECASE)


def token_values(organisation_settings, contact=None):
    """The value of every token for one site, and optionally one page's own contact.

    A token with nothing configured has the value None.
    """
    contact = contact or organisation_settings.default_contact
    values = dict.fromkeys(TOKENS)
    values.update(
        organisation=organisation_settings.organisation_name or None,
        programme=organisation_settings.programme_name or None,
        phase=organisation_settings.get_current_phase_display() or None,
        plans_date=format_date(organisation_settings.plans_date, "j F Y") or None,
    )
    if contact:
        values.update(
            contact_name=contact.name,
            contact_role=contact.role or None,
            contact_email=contact.email,
            contact_phone=contact.phone or None,
            contact_details=str(contact.details),
        )
    return values


def _gap(text):
    return format_html('<mark class="cc-token-gap">{}</mark>', text)


def fill(html, values):
    """Fill the tokens in a piece of HTML; anything unfilled shows as a marked gap."""

    def replace_token(match):
        name = match.group(1)
        if values.get(name):
            return escape(values[name])
        if name in TOKENS:
            return _gap(_("[not set: %(token)s]") % {"token": TOKENS[name]})
        return _gap(match.group(0))

    html = TOKEN_RE.sub(replace_token, html)
    return mark_safe(PLACEHOLDER_RE.sub(lambda match: _gap(match.group(0)), html))  # noqa: S308


def _quote(text, start, end):
    """The problem in its surrounding words, for a message."""
    before = Truncator(text[:start][::-1]).chars(40, truncate="…")[::-1]
    after = Truncator(text[end:]).chars(40, truncate="…")
    return f"“{before}{text[start:end]}{after}”"


def problems(text, values):
    """Why this text is not ready to publish, as messages that quote it; [] if it is."""
    text = " ".join(strip_tags(text).split())
    found = []
    for match in PLACEHOLDER_RE.finditer(text):
        found.append(
            _(
                "Replace the placeholder in %(quote)s with your own words or a token such as "
                "{organisation}."
            )
            % {"quote": _quote(text, *match.span())}
        )
    for match in TOKEN_RE.finditer(text):
        name = match.group(1)
        if name not in TOKENS:
            found.append(
                _("%(token)s in %(quote)s is not a known token. Known tokens: %(known)s.")
                % {
                    "token": match.group(0),
                    "quote": _quote(text, *match.span()),
                    "known": ", ".join(f"{{{known}}}" for known in TOKENS),
                }
            )
        elif not values.get(name):
            found.append(
                _(
                    "%(token)s in %(quote)s has no value: set %(what)s in Settings › "
                    "Organisation settings, or give the page a contact."
                )
                % {
                    "token": match.group(0),
                    "quote": _quote(text, *match.span()),
                    "what": TOKENS[name],
                }
            )
    return found


def value_errors(block, value, values, label=""):
    """A ValidationError shaped like the block's value, for each text not ready to publish.

    The error sits next to the exact field inside a StreamField, and its message
    names the block it is in. Returns None when everything is ready.
    """
    if isinstance(block, blocks.StreamBlock):
        errors = {}
        for index, child in enumerate(value):
            error = value_errors(
                child.block, child.value, values, f"{child.block.label} {index + 1}"
            )
            if error:
                errors[index] = error
        return StreamBlockValidationError(block_errors=errors) if errors else None
    if isinstance(block, blocks.StructBlock):
        errors = {}
        for name, child_block in block.child_blocks.items():
            error = value_errors(
                child_block, value.get(name), values, f"{label} › {child_block.label}"
            )
            if error:
                errors[name] = error
        return StructBlockValidationError(block_errors=errors) if errors else None
    if isinstance(block, blocks.ListBlock):
        errors = {}
        for index, item in enumerate(value):
            error = value_errors(block.child_block, item, values, f"{label} {index + 1}")
            if error:
                errors[index] = error
        return ListBlockValidationError(block_errors=errors) if errors else None
    return text_errors(value, values, label)


def text_errors(value, values, label=""):
    """A ValidationError for a plain or rich text value, or None; other values pass."""
    if isinstance(value, RichText):
        value = value.source
    if not isinstance(value, str):
        return None
    found = problems(value, values)
    if not found:
        return None
    prefix = f"{label}: " if label else ""
    return ValidationError(ErrorList([ValidationError(prefix + message) for message in found]))
