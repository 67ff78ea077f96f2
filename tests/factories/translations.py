"""Welsh translations through wagtail-localize, as a translator makes them with a PO file.

welsh_translation (tests/factories/focus_groups.py) copies a page into Welsh with
Wagtail's copy_for_translation; these are wagtail-localize's synced translations,
as `load_initial_data` makes the demo content's: "Sync translated pages" updates
them, the translation editor opens on them, and the synchronised fields of a page
(a focus group's start, capacity, contact) stay the English page's.
"""

from wagtail.models import Locale, Page


def welsh():
    return Locale.objects.get_or_create(language_code="cy")[0]


def localized(instance, strings=None):
    """The instance's Welsh translation, made through wagtail-localize and published.

    `strings` maps English strings of the instance to their Welsh; the others stay in
    English, as wagtail-localize leaves a string nobody has translated yet. A page's
    parent must have its Welsh translation first (make them from the home page down).
    """
    from home.management.commands.load_initial_data import translate_with

    locale = welsh()
    translate_with(strings or {}, instance, locale)
    translated = instance.get_translation(locale)
    return translated.specific if isinstance(instance, Page) else translated


# The Welsh of the strings bilingual_site() makes (the others stay in English).
WELSH = {
    "Culture and leadership": "Diwylliant ac arweinyddiaeth",
    "{organisation} is taking part in the {programme}.": (
        "Mae {organisation} yn cymryd rhan yn y {programme}."
    ),
    "Key messages": "Negeseuon allweddol",
    "Messages to use when talking with colleagues about the programme.": (
        "Negeseuon i'w defnyddio wrth siarad â chydweithwyr am y rhaglen."
    ),
    "The Culture and Leadership Programme": "Y Rhaglen Diwylliant ac Arweinyddiaeth",
    "{organisation} is running a programme on culture.": (
        "Mae {organisation} yn cynnal rhaglen ar ddiwylliant."
    ),
    "Why we are asking": "Pam rydym yn gofyn",
    "Everyone's voice matters.": "Mae llais pawb yn bwysig.",
    "How to take part": "Sut i gymryd rhan",
    "Sign up for a focus group.": "Cofrestrwch ar gyfer grŵp ffocws.",
    "Glossary": "Geirfa",
    "Culture focus groups": "Grwpiau ffocws diwylliant",
    "Culture and leadership programme lead": "Arweinydd y rhaglen diwylliant ac arweinyddiaeth",
    "Culture": "Diwylliant",
    "The values lived by an organisation's staff every day.": (
        "Y gwerthoedd y mae staff sefydliad yn byw bob dydd."
    ),
}


def bilingual_site():
    """The smallest whole site (site_tree) with a page of each type beside its home page,
    programme page and focus-group index (tool 4.3's key messages in three sections, the
    glossary, a focus group) and a definition, all translated into Welsh through
    wagtail-localize: the snippets first, so that the Welsh pages link the Welsh contact
    and definition, then the pages from the home page down, as `load_initial_data`
    translates the demo content.

    The programme page's introduction has the {organisation} and {programme} tokens,
    its title stays in English; the focus group's title has its Welsh.
    """
    from tests.factories.focus_groups import focus_group
    from tests.factories.programme import (
        definition,
        glossary_page,
        key_messages_page,
        site_tree,
    )

    site = site_tree()
    site.programme.intro = "<p>{organisation} is taking part in the {programme}.</p>"
    site.programme.save()
    site.key_messages = key_messages_page(
        site.programme,
        body=[
            {
                "type": "key_message_section",
                "value": {"heading": heading, "body": f"<p>{paragraph}</p>"},
            }
            for heading, paragraph in [
                (
                    "The Culture and Leadership Programme",
                    "{organisation} is running a programme on culture.",
                ),
                ("Why we are asking", "Everyone's voice matters."),
                ("How to take part", "Sign up for a focus group."),
            ]
        ],
    )
    site.glossary = glossary_page(site.programme)
    site.event = focus_group(site.focus_groups, contact=site.contact)
    site.definition = definition()
    welsh_title = site.event.title.replace("Culture focus group", "Grŵp ffocws diwylliant")
    strings = {**WELSH, site.event.title: welsh_title}
    for instance in (
        site.contact,
        site.definition,
        site.home,
        site.programme,
        site.key_messages,
        site.glossary,
        site.focus_groups,
        site.event,
    ):
        localized(instance, strings)
        instance.refresh_from_db()
    return site
