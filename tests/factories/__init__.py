"""Test data made through the same rules the site uses, one module per app.

Each test builds what it tests and no more: a minimal page tree (site_tree), a
contact, a focus group, a signup through the booking service. The shipped demo
content (load_initial_data) is for the tests of the demo content itself; see the
`demo` fixture in tests/conftest.py.
"""

from tests.factories.accounts import account
from tests.factories.focus_groups import focus_group, focus_group_index, sign_up
from tests.factories.organisation import contact, organisation_settings
from tests.factories.programme import (
    cultural_element,
    definition,
    glossary_page,
    home_page,
    key_messages_page,
    programme_page,
    site_tree,
)

__all__ = [
    "account",
    "contact",
    "cultural_element",
    "definition",
    "focus_group",
    "focus_group_index",
    "glossary_page",
    "home_page",
    "key_messages_page",
    "organisation_settings",
    "programme_page",
    "sign_up",
    "site_tree",
]
