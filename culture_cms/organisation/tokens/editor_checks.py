"""Why a text is not ready to publish, as errors next to the editor's own fields.

ProgrammePageForm calls these when an editor publishes or submits a page:
`text_errors` for a plain or rich text field, `value_errors` for a StreamField,
one message for each problem, in the block it is in. `problems` is the messages
themselves, shared with the translation checks. `unadapted` is the same check on a
page as saved, for the editors' dashboard.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.html import strip_tags
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
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


def value_errors(block, value, values):
    """A StreamBlockValidationError for a StreamField's value, or None when it is ready.

    One message for each problem, each naming the block as the editor sees it (by
    its heading, else as "the 2nd paragraph", counting only paragraphs) and the
    field inside it. Wagtail runs the messages of one field together in a single
    paragraph, but lists those of a StructBlock, ListBlock or StreamBlock one by
    one: so they sit at the top of the block they are in (the StreamField's own
    top for a block that is a single field, such as a paragraph).
    """
    block_errors, non_block_errors = {}, []
    seen = {}
    for index, child in enumerate(value):
        seen[child.block_type] = position = seen.get(child.block_type, 0) + 1
        name = _block_name(child, position)
        messages = [
            _message(name, fields, problem)
            for fields, problem in _problems_in(child.block, child.value, values)
        ]
        if not messages:
            continue
        if isinstance(child.block, blocks.StructBlock):
            block_errors[index] = StructBlockValidationError(non_block_errors=messages)
        elif isinstance(child.block, blocks.ListBlock):
            block_errors[index] = ListBlockValidationError(non_block_errors=messages)
        elif isinstance(child.block, blocks.StreamBlock):
            block_errors[index] = StreamBlockValidationError(non_block_errors=messages)
        else:
            non_block_errors.extend(messages)
    if not (block_errors or non_block_errors):
        return None
    return StreamBlockValidationError(block_errors=block_errors, non_block_errors=non_block_errors)


def _problems_in(block, value, values, fields=()):
    """(the labels of the fields down to the text, the problem) for each problem in a
    block's value, in the order the editor sees them."""
    if isinstance(block, blocks.StreamBlock):
        seen = {}
        for child in value:
            seen[child.block_type] = position = seen.get(child.block_type, 0) + 1
            yield from _problems_in(
                child.block, child.value, values, (*fields, _block_name(child, position))
            )
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            yield from _problems_in(
                child_block, value.get(name), values, (*fields, str(child_block.label))
            )
    elif isinstance(block, blocks.ListBlock):
        for index, item in enumerate(value):
            item_fields = (*fields[:-1], f"{fields[-1]} {index + 1}") if fields else ()
            yield from _problems_in(block.child_block, item, values, item_fields)
    else:
        for problem in problems(_text(value), values):
            yield fields, problem


def _block_name(child, position):
    """A StreamField block as the editor sees it: its heading, where it has one, else
    its position among the blocks of its kind ("the 2nd key message section")."""
    label = str(child.block.label)
    label = label[:1].lower() + label[1:]
    heading = child.value.get("heading") if isinstance(child.value, blocks.StructValue) else ""
    if isinstance(heading, str) and heading.strip():
        return _("the %(block)s “%(heading)s”") % {
            "block": label,
            "heading": Truncator(" ".join(heading.split())).chars(60, truncate="…"),
        }
    return _("the %(position)s %(block)s") % {"position": _ordinal(position), "block": label}


def _ordinal(number):
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st: a position as an editor counts."""
    if number % 100 in (11, 12, 13):
        ending = pgettext("ordinal 11, 12, 13", "%(number)sth")
    elif number % 10 == 1:
        ending = pgettext("ordinal 1", "%(number)sst")
    elif number % 10 == 2:
        ending = pgettext("ordinal 2", "%(number)snd")
    elif number % 10 == 3:
        ending = pgettext("ordinal 3", "%(number)srd")
    else:
        ending = pgettext("ordinal 0, 4-9", "%(number)sth")
    return ending % {"number": number}


def _message(block_name, fields, problem):
    """One problem, prefixed with where it is: the block, then the field inside it."""
    if fields:
        return _("In %(block)s, %(field)s: %(problem)s") % {
            "block": block_name,
            "field": " › ".join(fields),
            "problem": problem,
        }
    return _("In %(block)s: %(problem)s") % {"block": block_name, "problem": problem}


def text_errors(value, values):
    """A ValidationError for a plain or rich text value, or None; other values pass.

    A form field lists its messages one by one."""
    found = problems(_text(value), values)
    if not found:
        return None
    return ValidationError(ErrorList([ValidationError(message) for message in found]))


def _text(value):
    """The text of a plain or rich text value; "" for any other value."""
    if isinstance(value, RichText):
        return value.source
    return value if isinstance(value, str) else ""


def unadapted(instance, values):
    """Why a page as saved (or a revision of it) is not ready to publish: the messages
    of the publish check on each of its `token_fields`, in order; [] if it is ready."""
    found = []
    for name in instance.token_fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        block = getattr(field, "stream_block", None)
        if block is not None:
            error = value_errors(block, value, values)
        else:
            error = text_errors(value, values)
            if error:
                label = capfirst(field.verbose_name)
                found.extend(f"{label}: {message}" for message in error.messages)
                continue
        if error:
            found.extend(_messages(error))
    return found


def _messages(error):
    """The messages of a ValidationError from value_errors, however deep in the blocks."""
    if isinstance(error, ErrorList):
        return [message for item in error.as_data() for message in _messages(item)]
    nested = getattr(error, "block_errors", None)
    if nested is None:
        return error.messages
    found = _messages(error.non_block_errors)
    for child in nested.values():
        found.extend(_messages(child))
    return found
