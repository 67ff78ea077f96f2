"""Filling tokens in the text an editor wrote, before it becomes HTML.

Only text is filled, never markup: a plain value is escaped and then filled; in
rich text only the text between tags is, so a token in a link's href or title
stays as written. Every value is escaped where it goes into HTML. Anything that
cannot be filled (a token with no value, an unknown token, an "[insert …]"
placeholder) shows as a marked gap, for the editor previewing the page.
"""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.rich_text import RichText

from .values import PLACEHOLDER_RE, TOKEN_RE, TOKENS

# A tag or a comment. A quoted attribute value may hold ">", so it is matched whole.
MARKUP_RE = re.compile(r"(<!--.*?-->|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>)", re.DOTALL)


def _gap(text):
    return format_html('<mark class="cc-token-gap">{}</mark>', text)


def _may_hold_tokens(text):
    """Whether text could hold a token or a placeholder: most text cannot, and is left alone."""
    return "{" in text or "[" in text


def _fill_escaped(text, values):
    """Fill one run of escaped text, which holds no markup."""
    if not _may_hold_tokens(text):
        return text

    def replace_token(match):
        name = match.group(1)
        if values.get(name):
            return escape(values[name])
        if name in TOKENS:
            return _gap(_("[not set: %(token)s]") % {"token": TOKENS[name]})
        return _gap(match.group(0))

    # Placeholders first: a token's gap says "[not set: …]", itself in brackets.
    text = PLACEHOLDER_RE.sub(lambda match: _gap(match.group(0)), text)
    return TOKEN_RE.sub(replace_token, text)


def fill_text(text, values):
    """Plain text as HTML: escaped, with its tokens filled (their values escaped too)."""
    return mark_safe(_fill_escaped(str(escape(text)), values))  # noqa: S308


def fill_html(html, values):
    """HTML with the tokens in its text filled; tags, attributes and comments as they were."""
    html = str(html)
    if not _may_hold_tokens(html):
        return mark_safe(html)  # noqa: S308
    parts = MARKUP_RE.split(html)
    # split() with one group alternates text and markup: the text is every other part.
    parts[::2] = [_fill_escaped(text, values) for text in parts[::2]]
    return mark_safe("".join(parts))  # noqa: S308


def fill_rich_text(value, values):
    """A rich text value (RichText or its stored HTML) with its tokens filled, as RichText.

    The stored HTML is filled before Wagtail expands its links and embeds, so
    nothing those add is ever taken for a token.
    """
    source = value.source if isinstance(value, RichText) else (value or "")
    return RichText(fill_html(source, values))


def fill_value(block, value, values):
    """A block's value with the tokens filled in every text it holds.

    Text (CharBlock, TextBlock) becomes safe HTML, rich text a filled RichText;
    streams, structs and lists are filled child by child, and any other value
    (a number, a URL, a chosen snippet) is left as it is: block templates fill
    a snippet's own text with {% fill_tokens %}. A value with nothing to fill
    is returned as it is, not copied.
    """
    if isinstance(block, blocks.StreamBlock):
        children = [(child, fill_value(child.block, child.value, values)) for child in value]
        if all(filled is child.value for child, filled in children):
            return value
        return blocks.StreamValue(
            block, [(child.block_type, filled, child.id) for child, filled in children]
        )
    if isinstance(block, blocks.StructBlock):
        items = [
            (name, value.get(name), fill_value(child_block, value.get(name), values))
            for name, child_block in block.child_blocks.items()
        ]
        if all(filled is original for _name, original, filled in items):
            return value
        return block.meta.value_class(block, [(name, filled) for name, _, filled in items])
    if isinstance(block, blocks.ListBlock):
        items = [(item, fill_value(block.child_block, item, values)) for item in value]
        if all(filled is item for item, filled in items):
            return value
        return blocks.list_block.ListValue(block, values=[filled for _item, filled in items])
    if isinstance(block, blocks.RichTextBlock) and isinstance(value, RichText):
        return fill_rich_text(value, values) if _may_hold_tokens(value.source) else value
    if isinstance(block, (blocks.CharBlock, blocks.TextBlock)) and isinstance(value, str):
        return fill_text(value, values) if _may_hold_tokens(value) else value
    return value
