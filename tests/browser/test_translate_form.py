"""wagtail-localize's "Translate this page" form, with the plugin's admin script."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect
from wagtail.models import Locale

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_only_other_language_is_already_ticked(live_server, page: Page):
    tree = factories.site_tree()  # in English only
    Locale.objects.get_or_create(language_code="cy")
    get_user_model().objects.create_superuser("translator", "t@example.nhs.uk", "pass-2026")
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.get_by_label("Username").fill("translator")
    page.get_by_label("Password").fill("pass-2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(
        live_server.url + reverse("wagtail_localize:submit_page_translation", args=[tree.home.pk])
    )

    welsh = page.get_by_role("checkbox", name="Welsh")
    expect(welsh).to_be_checked()
