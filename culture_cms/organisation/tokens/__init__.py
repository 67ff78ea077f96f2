"""Tokens such as {organisation} that adapt the programme's material to one trust.

Editors write tokens in headings and rich text; pages fill them from the site's
OrganisationSettings (and the page's own contact, where it has one). Content is
not ready to publish while it still holds the template's "[insert …]"
placeholders, an unknown token, or a token with no value configured.

One module per job:

- `values`: the known tokens, how they are written, and their values for a site;
- `filling`: filling them in text, rich text and block values before they become HTML;
- `editor_checks`: why a text is not ready to publish, as errors on the editor's fields;
- `translation_checks`: the same for the strings of a wagtail-localize translation.
"""

from .editor_checks import problems, text_errors, value_errors
from .filling import fill_html, fill_rich_text, fill_text, fill_value
from .translation_checks import translation_errors
from .values import DEFAULT_PROGRAMME_NAME, TOKENS, token_values

__all__ = [
    "DEFAULT_PROGRAMME_NAME",
    "TOKENS",
    "fill_html",
    "fill_rich_text",
    "fill_text",
    "fill_value",
    "problems",
    "text_errors",
    "token_values",
    "translation_errors",
    "value_errors",
]
