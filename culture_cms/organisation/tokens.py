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

# OrganisationSettings.programme_name's default, which has translations.
DEFAULT_PROGRAMME_NAME = "Culture and Leadership Programme"

# {word} is a token. Square brackets round words are a placeholder left unadapted: the
# template's own "[insert ...]" (even unclosed), and the same in any language, such as a
# translator's "[mewnosod ...]" copied from a Welsh template. "[1]" has no words, so passes.
TOKEN_RE = re.compile(r"\{([A-Za-z_]+)\}")
PLACEHOLDER_RE = re.compile(
    r"\[\s*insert\b[^\]]*\]?|\[[^\[\]\n]*[^\W\d_][^\[\]\n]*\]", re.IGNORECASE
)


def token_values(organisation_settings, contact=None):
    """The value of every token for one site, and optionally one page's own contact.

    A token with nothing configured has the value None.
    """
    contact = contact or organisation_settings.default_contact
    values = dict.fromkeys(TOKENS)
    programme = organisation_settings.programme_name
    if programme == DEFAULT_PROGRAMME_NAME:
        programme = _(DEFAULT_PROGRAMME_NAME)  # the default name, in the reader's language
    values.update(
        organisation=organisation_settings.organisation_name or None,
        programme=programme or None,
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

    # Placeholders first: a token's gap says "[not set: …]", itself in brackets.
    html = PLACEHOLDER_RE.sub(lambda match: _gap(match.group(0)), html)
    return mark_safe(TOKEN_RE.sub(replace_token, html))  # noqa: S308


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


def translation_errors(instance, field_names, values):
    """Problems in a translated object's strings, keyed by wagtail-localize's path for each.

    A path such as "title" or "body.<block id>.heading" is the one
    wagtail-localize's translation editor uses, so the message shows next to
    the string a translator typed. Paragraphs of one rich text share a path,
    and the editor cannot tell them apart: their messages are the object's own.
    """
    from django.core.exceptions import NON_FIELD_ERRORS
    from wagtail_localize.segments import StringSegmentValue
    from wagtail_localize.segments.extract import extract_segments

    segments = [
        segment
        for segment in extract_segments(instance)
        if isinstance(segment, StringSegmentValue) and segment.path.split(".")[0] in field_names
    ]
    paths = [segment.path for segment in segments]
    errors = {}
    for segment in segments:
        found = problems(segment.string.render_text(), values)
        if found:
            key = segment.path if paths.count(segment.path) == 1 else NON_FIELD_ERRORS
            errors.setdefault(key, []).extend(found)
    return errors
