"""The content pages and snippets (culture_cms.programme, and home's HomePage)."""

from types import SimpleNamespace

from django.utils import timezone
from wagtail.models import Locale, Page, Site, Workflow, WorkflowPage

from culture_cms.programme.models import (
    COMMS_APPROVAL,
    CulturalElement,
    Definition,
    GlossaryPage,
    KeyMessagesPage,
    ProgrammePage,
)
from tests.factories.organisation import contact, organisation_settings


def publish(parent, page):
    """Add the page under its parent, live, as a published page reads.

    No revision and no page_published signal: a quarter of the cost of publishing. A
    test of publishing itself publishes a revision (`page.save_revision().publish()`).
    """
    page.live = True
    page.first_published_at = page.last_published_at = timezone.now()
    parent.add_child(instance=page)
    return page


def home_page(slug="culture", **fields):
    """A HomePage under the tree's root, made the default site's root page.

    The default site keeps its address (Wagtail's localhost:80, or what a test set).
    """
    from home.models import HomePage  # not installed in the host-site suite

    home = publish(
        Page.get_first_root_node(),
        HomePage(**{"title": "Culture and leadership", "slug": slug, **fields}),
    )
    Site.objects.filter(is_default_site=True).update(root_page=home)
    return home


def programme_page(parent, **fields):
    return publish(
        parent,
        ProgrammePage(
            **{
                "title": "Culture and Leadership Programme",
                "slug": "culture-and-leadership",
                **fields,
            }
        ),
    )


def comms_approval(page):
    """Send the page, and the pages under it, through the "Comms approval" workflow, as
    the admin does for a new programme page (and load_initial_data for the demo's)."""
    workflow = Workflow.objects.get(name=COMMS_APPROVAL)
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def key_messages_page(programme, **fields):
    return publish(
        programme,
        KeyMessagesPage(
            **{
                "title": "Key messages",
                "slug": "key-messages",
                "tool_reference": "4.3",
                "summary": "Messages to use when talking with colleagues about the programme.",
                "body": [
                    {
                        "type": "key_message_section",
                        "value": {
                            "heading": "The Culture and Leadership Programme",
                            "body": "<p>{organisation} is running a programme on culture.</p>",
                        },
                    }
                ],
                **fields,
            }
        ),
    )


def glossary_page(programme, **fields):
    return publish(programme, GlossaryPage(**{"title": "Glossary", "slug": "glossary", **fields}))


def definition(**fields):
    return Definition.objects.create(
        **{
            "term": "Culture",
            "definition": "The values lived by an organisation's staff every day.",
            "locale": Locale.get_default(),
            **fields,
        }
    )


def cultural_element(**fields):
    return CulturalElement.objects.create(
        **{
            "name": "Vision and values",
            "description": "Everyone knows what we are trying to achieve for patients.",
            "colour": "blue",
            "icon": "view",
            "locale": Locale.get_default(),
            **fields,
        }
    )


def site_tree():
    """The smallest whole site: root, HomePage, ProgrammePage, and the programme's
    focus-group index, with the organisation's settings and default contact filled in.

    Returns the pieces by name; add key messages, a glossary or focus groups with the
    other factories.
    """
    from tests.factories.focus_groups import focus_group_index

    home = home_page()
    site = Site.objects.get(is_default_site=True)
    default_contact = contact()
    programme = programme_page(home)
    return SimpleNamespace(
        home=home,
        site=site,
        contact=default_contact,
        organisation=organisation_settings(site, default_contact=default_contact),
        programme=programme,
        focus_groups=focus_group_index(programme),
    )
