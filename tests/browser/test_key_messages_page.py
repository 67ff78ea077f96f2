"""The Tool 4.3 page, seeded by load_initial_data, as a reader's browser shows it."""

import pytest
from playwright.sync_api import Page, expect
from wagtail.models import Locale

from culture_cms.organisation.models import OrganisationSettings
from culture_cms.programme.models import KeyMessagesPage

SEED_SENTENCE = (
    "This work should help improve the health and wellbeing of staff "
    "and lead to better health outcomes for patients."
)

# The live server needs committed data; the rollback keeps the migrations' rows
# (locales, root page, groups) for the transactional tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_tool_4_3_page_shows_its_key_messages_under_the_organisation_name(
    demo, live_server, page: Page
):
    key_messages = KeyMessagesPage.objects.live().get(
        tool_reference="4.3", locale=Locale.get_default()
    )
    site = key_messages.get_site()
    organisation_name = OrganisationSettings.for_site(site).organisation_name
    assert organisation_name, "the demo content should name an organisation"

    page.goto(live_server.url + key_messages.get_url(current_site=site))

    expect(page.get_by_role("heading", level=1, name="Tool 4.3: Key messages")).to_be_visible()
    expect(page.get_by_text(SEED_SENTENCE)).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text(organisation_name)
