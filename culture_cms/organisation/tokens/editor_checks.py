"""Why a text is not ready to publish, as errors next to the editor's own fields.

ProgrammePageForm calls these when an editor publishes or submits a page:
`text_errors` for a plain or rich text field, `value_errors` for a StreamField,
where each error sits next to the exact field inside its block. `problems` is
the messages themselves, shared with the translation checks.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.rich_text import RichText

from .values import PLACEHOLDER_RE, TOKEN_RE, TOKENS


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
