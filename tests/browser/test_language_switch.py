"""A reader switches the Tool 4.3 page to Welsh with the language switcher, and back."""

import pytest
from playwright.sync_api import Page, expect
from wagtail.models import Locale

from culture_cms.programme.models import KeyMessagesPage

# The live server needs committed data; the rollback keeps the migrations' rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_tool_4_3_switches_to_welsh_and_back(demo, live_server, page: Page):
    english = KeyMessagesPage.objects.get(tool_reference="4.3", locale=Locale.get_default())
    welsh = english.get_translation(Locale.objects.get(language_code="cy"))

    page.goto(live_server.url + english.url)
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    switcher = page.get_by_role("navigation", name="Language")
    switcher.get_by_role("link", name="Cymraeg").click()

    expect(page).to_have_url(live_server.url + welsh.url)
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_contain_text(welsh.title)
    page.get_by_role("navigation", name="Iaith").get_by_role("link", name="English").click()

    expect(page).to_have_url(live_server.url + english.url)
    expect(page.get_by_role("heading", level=1, name="Tool 4.3: Key messages")).to_be_visible()
