"""The plugin inside a host intranet that has its own home page and its own chrome."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from culture_cms.organisation.models import Contact, OrganisationSettings
from culture_cms.programme.models import KeyMessagesPage, ProgrammePage
from tests.hostsite.intranet.models import IntranetHomePage, IntranetSectionPage

ORGANISATION = "Anytown Hospitals NHS Foundation Trust"


@pytest.fixture
def intranet(db):
    """Intranet home > Our organisation > Culture programme > Tool 4.3."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=IntranetHomePage(title="Anytown Intranet", slug="intranet"))
    Site.objects.update(root_page=home)
    section = home.add_child(
        instance=IntranetSectionPage(title="Our organisation", slug="our-organisation")
    )
    programme = section.add_child(
        instance=ProgrammePage(
            title="Culture and Leadership Programme",
            slug="culture",
            intro="<p>{organisation} is taking part in the {programme}.</p>",
        )
    )
    tool = programme.add_child(
        instance=KeyMessagesPage(
            title="Key messages",
            slug="key-messages",
            tool_reference="4.3",
            body=[
                {
                    "type": "key_message_section",
                    "value": {
                        "heading": "Process of the culture focus groups",
                        "body": "<p>We would like to hear from everyone who works in "
                        "{organisation}. We aim to publish these plans by {plans_date}.</p>",
                    },
                }
            ],
        )
    )
    contact = Contact.objects.create(name="Sam Okafor", email="culture@example.nhs.uk")
    organisation = OrganisationSettings.for_site(home.get_site())
    organisation.organisation_name = ORGANISATION
    organisation.plans_date = datetime.date(2027, 3, 31)
    organisation.default_contact = contact
    organisation.save()
    return home, programme, tool


def test_tool_4_3_is_served_under_the_hosts_tree(client, intranet):
    response = client.get("/our-organisation/culture/key-messages/")

    assert response.status_code == 200
    assert response.context["page"].specific == intranet[2]


def test_tool_4_3_renders_inside_the_hosts_base_template(client, intranet):
    response = client.get("/our-organisation/culture/key-messages/")

    names = [template.name for template in response.templates]
    assert "culture_cms/base.html" in names
    assert "intranet/base.html" in names
    html = response.content.decode()
    assert '<div id="intranet-chrome">' in html
    assert "Tool 4.3: Key messages" in html


def test_tool_4_3_fills_tokens_from_the_hosts_organisation_settings(client, intranet):
    html = client.get("/our-organisation/culture/key-messages/").content.decode()

    assert f"everyone who works in {ORGANISATION}." in html
    assert "publish these plans by 31 March 2027." in html
    assert "{organisation}" not in html
    assert "{plans_date}" not in html


def test_programme_page_renders_inside_the_hosts_base_template(client, intranet):
    response = client.get("/our-organisation/culture/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<div id="intranet-chrome">' in html
    assert f"{ORGANISATION} is taking part in the Culture and Leadership Programme." in html


def test_the_hosts_own_home_page_is_untouched(client, intranet):
    response = client.get("/")

    assert response.status_code == 200
    assert response.context["page"].specific_class is IntranetHomePage


def test_search_works_under_the_hosts_urls(client, intranet):
    response = client.get("/culture/search/", {"query": "messages"})

    assert response.status_code == 200
    assert '<div id="intranet-chrome">' in response.content.decode()
    assert intranet[2] in list(response.context["results"])


def test_the_plugins_migrations_need_nothing_from_the_standalone_site(db):
    """Every model of the plugin and the host is migrated, with no `home` app installed."""
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_the_plugins_welsh_translations_reach_the_host():
    """Installing "culture_cms" brings its catalogue (culture_cms/locale), no LOCALE_PATHS."""
    from django.conf import settings
    from django.utils import translation

    assert not getattr(settings, "LOCALE_PATHS", [])
    with translation.override("cy"):
        assert translation.gettext("Skip to main content") != "Skip to main content"
