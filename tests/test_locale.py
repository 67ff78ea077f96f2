"""The Welsh catalogues: complete, and every translation keeps what the software fills in."""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from culture_cms.organisation.tokens import problems

UI = Path(settings.BASE_DIR) / "culture_cms" / "locale" / "cy" / "LC_MESSAGES" / "django.po"
DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo_content.cy.po"

PLACEHOLDER = re.compile(r"%\([^)]+\)[a-z]|%[a-z%]")
TOKEN = re.compile(r"\{[A-Za-z_]+\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def signature(text):
    """The %(name)s placeholders, {tokens} and HTML tags in a text, counted."""
    return [Counter(pattern.findall(text)) for pattern in (PLACEHOLDER, TOKEN, TAG)]


def pairs(entry):
    """(English, Welsh) for each form of an entry."""
    if entry.msgid_plural:
        return [
            (entry.msgid_plural if index else entry.msgid, text)
            for index, text in sorted(entry.msgstr_plural.items())
        ]
    return [(entry.msgid, entry.msgstr)]


@pytest.mark.parametrize("path", [UI, DEMO], ids=["interface", "demo content"])
def test_every_string_is_translated_and_keeps_its_placeholders(path):
    po = polib.pofile(str(path))
    found = [f"fuzzy: {entry.msgid!r}" for entry in po if "fuzzy" in entry.flags]
    for entry in po:
        for english, welsh in pairs(entry):
            if not welsh:
                found.append(f"untranslated: {english!r}")
            elif signature(english) != signature(welsh):
                found.append(f"changed placeholders: {english!r} -> {welsh!r}")

    assert len(po) > 0
    assert found == []


def test_welsh_uses_the_four_plural_forms_of_welsh():
    po = polib.pofile(str(UI))

    assert po.metadata["Language"] == "cy"
    assert po.metadata["Plural-Forms"].startswith("nplurals=4;")
    assert all(len(entry.msgstr_plural) == 4 for entry in po if entry.msgid_plural)


def test_the_demo_content_in_welsh_has_no_leftover_placeholders():
    values = dict.fromkeys(["organisation", "programme", "phase", "plans_date"], "x")
    values |= dict.fromkeys(["contact_name", "contact_role", "contact_email"], "x")
    values |= dict.fromkeys(["contact_phone", "contact_details"], "x")

    found = {
        entry.msgstr: problems(entry.msgstr, values)
        for entry in polib.pofile(str(DEMO))
        if problems(entry.msgstr, values)
    }

    assert found == {}


def test_the_compiled_catalogue_is_in_use():
    with translation.override("cy"):
        assert translation.gettext("Skip to main content") != "Skip to main content"
