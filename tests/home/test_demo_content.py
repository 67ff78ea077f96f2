"""The demo content: `load_initial_data` is idempotent and ships the Tool 4.3 text faithfully."""

import re
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.template.defaultfilters import date as format_date
from django.test import override_settings
from wagtail.models import Locale, Page, Revision, Site, WorkflowPage

from culture_cms.organisation.models import Contact, OrganisationSettings
from culture_cms.programme.models import FACILITATORS, CulturalElement, Definition

# A copy of ../shared/seeds/tool-4.3-key-messages.txt, so the check never depends on shared/.
SEED = Path(settings.BASE_DIR) / "fixtures" / "tool-4.3-key-messages.txt"


def load():
    call_command("load_initial_data", stdout=StringIO())


def counts():
    models = [Page, Revision, Contact, Definition, CulturalElement, OrganisationSettings]
    models += [Site, Locale, WorkflowPage]
    return {model.__name__: model.objects.count() for model in models}


def state():
    """Everything the command could change, as plain values."""
    return {
        "pages": list(
            Page.objects.order_by("pk").values_list(
                "pk", "slug", "latest_revision_id", "live_revision_id", "last_published_at"
            )
        ),
        "contacts": list(Contact.objects.order_by("pk").values()),
        "definitions": list(Definition.objects.order_by("pk").values()),
        "elements": list(CulturalElement.objects.order_by("pk").values()),
        "settings": list(OrganisationSettings.objects.order_by("pk").values()),
        "sites": list(Site.objects.order_by("pk").values()),
    }


def test_loading_twice_creates_nothing_new(demo):
    before = counts()
    load()
    assert counts() == before


def test_loading_twice_modifies_nothing(demo):
    before = state()
    load()
    assert state() == before


def test_loading_again_keeps_an_editors_changes(demo):
    demo.organisation.organisation_name = "Otherton Community Health NHS Trust"
    demo.organisation.save()
    demo.key_messages.title = "Our key messages"
    demo.key_messages.save_revision().publish()
    load()
    demo.key_messages.refresh_from_db()
    assert demo.key_messages.title == "Our key messages"
    assert (
        OrganisationSettings.objects.get(pk=demo.organisation.pk).organisation_name
        == "Otherton Community Health NHS Trust"
    )


# The demo site's address ------------------------------------------------------------------


def as_wagtail_made_it(site):
    """The default site back at the address Wagtail's initial migration gives it."""
    Site.objects.filter(pk=site.pk).update(hostname="localhost", port=80)


@pytest.mark.parametrize(
    ("base_url", "root_url"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("https://intranet.example.nhs.uk", "https://intranet.example.nhs.uk"),
        ("https://intranet.example.nhs.uk/", "https://intranet.example.nhs.uk"),
    ],
)
def test_the_demo_site_takes_its_address_from_wagtailadmin_base_url(demo, base_url, root_url):
    as_wagtail_made_it(demo.site)

    with override_settings(WAGTAILADMIN_BASE_URL=base_url):
        load()

    assert Site.objects.get(pk=demo.site.pk).root_url == root_url


def test_https_on_another_port_is_refused_rather_than_giving_http_links(demo):
    as_wagtail_made_it(demo.site)

    with override_settings(WAGTAILADMIN_BASE_URL="https://127.0.0.1:8443"):
        load()

    assert Site.objects.get(pk=demo.site.pk).root_url == "http://localhost"


def test_loading_again_keeps_an_address_an_administrator_set(demo):
    Site.objects.filter(pk=demo.site.pk).update(hostname="culture.example.nhs.uk", port=443)

    with override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000"):
        load()

    assert Site.objects.get(pk=demo.site.pk).root_url == "https://culture.example.nhs.uk"


# Seed fidelity ---------------------------------------------------------------------------

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "section", "summary", "table", "td", "th", "tr", "ul",
}  # fmt: skip
HIDDEN_TAGS = {"script", "style", "template", "noscript", "head"}


class VisibleText(HTMLParser):
    """The text a reader sees, with a space wherever a block element starts or ends."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_TAGS:
            self.hidden += 1
        elif tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


# A sentence ends at . ! or ? before a capital or an opening quote; the seed has
# "culture.We" with no space, and "england.nhs.uk" is not a sentence end.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘])|(?<=[a-z][.!?])(?=[A-Z‘])")


def seed_sentences(text, replacements):
    for old, new in replacements.items():
        text = text.replace(old, new)
    sentences = []
    for line in text.splitlines():
        line = " ".join(line.split())
        sentences += [sentence for sentence in SENTENCE_END.split(line) if sentence]
    return sentences


def test_seed_splits_into_its_sentences():
    sentences = seed_sentences(SEED.read_text(encoding="utf-8"), {})
    # The seed has "culture.We": two sentences with no space between them.
    discovery = (
        "We are currently in the Discovery phase of this programme – diagnosing our culture."
    )
    assert sentences[sentences.index(discovery) + 1].startswith("We are using resources")
    assert "Culture and leadership programme – england.nhs.uk and improvement.nhs.uk" in sentences
    after_heading = sentences[sentences.index("Definitions") + 1]
    assert after_heading.startswith("Culture: An organisation’s culture can be defined")
    assert "They are not intended as a ‘script’." in sentences
    assert len(sentences) == 31


@pytest.fixture
def facilitator(django_user_model):
    user = django_user_model.objects.create_user("facilitator", password="not-used")
    user.groups.add(Group.objects.get(name=FACILITATORS))
    return user


def test_every_seed_sentence_appears_on_the_tool_4_3_page(demo, client, facilitator):
    organisation, contact = demo.organisation, demo.contact
    replacements = {
        "[insert name of organisation]": organisation.organisation_name,
        "[insert date]": format_date(organisation.plans_date, "j F Y"),
        "[insert name]": contact.name,
        "[insert contact details]": f"{contact.email} or {contact.phone}",
    }
    sentences = seed_sentences(SEED.read_text(encoding="utf-8"), replacements)
    assert not [sentence for sentence in sentences if "[insert" in sentence]
    client.force_login(facilitator)

    response = client.get(demo.key_messages.url)

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    missing = [sentence for sentence in sentences if sentence not in text]
    assert not missing, "Not on the Tool 4.3 page:\n" + "\n".join(missing)
