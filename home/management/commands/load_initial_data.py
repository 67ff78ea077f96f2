"""Load the demo content: the Tool 4.3 key messages and everything around them, in
English and in Welsh.

Idempotent: what already exists (matched by slug, term or name, or an existing
Welsh translation) is left as it is, so running it twice changes nothing and
never overwrites an editor's or a translator's work.

It also gives the demo site its address from WAGTAILADMIN_BASE_URL, so that the
links in emails and calendar files (made from the site's root URL) reach the
server `make run` serves, not Wagtail's initial http://localhost.
"""

import datetime
import json
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import polib
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site, Workflow, WorkflowPage
from wagtail_localize.models import Translation, TranslationSource

from culture_cms.focus_groups.models import FocusGroupEventPage, FocusGroupIndexPage
from culture_cms.organisation.models import Contact, OrganisationSettings
from culture_cms.programme.models import (
    COMMS_APPROVAL,
    CulturalElement,
    Definition,
    GlossaryPage,
    KeyMessagesPage,
    ProgrammePage,
)
from home.models import HomePage

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo_content.json"
# Each English string of the demo content with its Welsh (a translation memory).
WELSH = Path(settings.BASE_DIR) / "fixtures" / "demo_content.cy.po"
LONDON = ZoneInfo("Europe/London")
# The default site as Wagtail's initial migration makes it.
WAGTAIL_INITIAL_ADDRESS = ("localhost", 80)


class Command(BaseCommand):
    help = "Load the Culture CMS demo content (Tool 4.3 key messages, definitions, focus groups)."

    def handle(self, *args, **options):
        data = json.loads(FIXTURE.read_text(encoding="utf-8"))
        with transaction.atomic():
            welsh, _ = Locale.objects.get_or_create(language_code="cy")
            contact = self.contact(data["contact"])
            definitions = self.definitions(data["definitions"])
            self.cultural_elements(data["cultural_elements"])
            home = self.home(data["home"])
            self.site_address(home.get_site())
            self.organisation(home, data["organisation"], contact)
            programme = self.child(home, ProgrammePage, data["programme"])
            self.assign_workflow(programme)
            key_messages = self.key_messages(programme, data["key_messages"], definitions)
            self.featured(home, key_messages)
            self.child(programme, GlossaryPage, data["glossary"])
            index = self.child(
                programme,
                FocusGroupIndexPage,
                {k: v for k, v in data["focus_groups"].items() if k != "events"},
            )
            for event in data["focus_groups"]["events"]:
                self.event(index, event, contact)
            # Snippets first, so the Welsh pages link the Welsh definitions and contact.
            self.translate(
                welsh,
                [
                    contact,
                    *Definition.objects.filter(locale=Locale.get_default()),
                    *CulturalElement.objects.filter(locale=Locale.get_default()),
                    *home.get_descendants(inclusive=True).specific().order_by("path"),
                ],
            )
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))

    def contact(self, fields):
        contact, _ = Contact.objects.get_or_create(
            email=fields["email"], locale=Locale.get_default(), defaults=fields
        )
        return contact

    def definitions(self, items):
        return {
            item["term"]: Definition.objects.get_or_create(
                term=item["term"], locale=Locale.get_default(), defaults=item
            )[0]
            for item in items
        }

    def cultural_elements(self, items):
        for order, item in enumerate(items, start=1):
            CulturalElement.objects.get_or_create(
                name=item["name"], locale=Locale.get_default(), defaults={**item, "order": order}
            )

    def home(self, fields):
        """Our HomePage as the default site's root, in place of Wagtail's welcome page."""
        site = Site.objects.get(is_default_site=True)
        if isinstance(site.root_page.specific, HomePage):
            return site.root_page.specific
        root = Page.get_first_root_node()
        welcome = site.root_page
        if type(welcome.specific) is Page and welcome.slug == "home":
            welcome.slug = "welcome"
            welcome.save(update_fields=["slug"])
        home = root.add_child(instance=HomePage(slug="home", **fields))
        home.save_revision().publish()
        site.root_page = home
        site.save()
        if type(welcome.specific) is Page:
            welcome.delete()
        return home

    def site_address(self, site):
        """The site's hostname and port from WAGTAILADMIN_BASE_URL (443 for https, 80 for http).

        Only while the site still has Wagtail's initial localhost:80: an address an
        administrator has set since, in Settings › Sites, is theirs and stays.
        """
        if (site.hostname, site.port) != WAGTAIL_INITIAL_ADDRESS:
            return
        base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        port = base.port or (443 if base.scheme == "https" else 80)
        if base.scheme == "https" and port != 443:
            # Wagtail's Site.root_url is https only on port 443: links would be http://.
            self.stderr.write(
                f"Left the demo Site at localhost:80: {settings.WAGTAILADMIN_BASE_URL} is "
                "https on a port other than 443, which a Wagtail Site cannot give."
            )
            return
        site.hostname, site.port = base.hostname, port
        site.save(update_fields=["hostname", "port"])

    def organisation(self, home, fields, contact):
        fields = dict(fields)
        days = fields.pop("plans_date_days_from_today")
        organisation = OrganisationSettings.for_site(home.get_site())
        if not organisation.organisation_name:
            for name, value in fields.items():
                setattr(organisation, name, value)
            organisation.plans_date = timezone.localdate() + datetime.timedelta(days=days)
            organisation.default_contact = contact
            organisation.save()

    def child(self, parent, model, fields):
        """The child page with this slug, made and published if it is missing."""
        existing = parent.get_children().filter(slug=fields["slug"]).first()
        if existing:
            return existing.specific
        page = parent.add_child(instance=model(**fields))
        page.save_revision().publish()
        return page

    def key_messages(self, programme, fields, definitions):
        body = []
        for block in fields["body"]:
            value = dict(block["value"])
            if block["type"] == "definition_list":
                value["definitions"] = [definitions[term].pk for term in value["definitions"]]
            body.append({"type": block["type"], "value": value})
        return self.child(programme, KeyMessagesPage, {**fields, "body": body})

    def featured(self, home, key_messages):
        if not home.featured_key_messages:
            home.featured_key_messages = [("page", key_messages)]
            home.save_revision().publish()

    def assign_workflow(self, page):
        workflow = Workflow.objects.filter(name=COMMS_APPROVAL).first()
        if workflow:
            WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})

    def event(self, index, fields, contact):
        fields = dict(fields)
        day = timezone.localdate() + datetime.timedelta(days=fields.pop("days_from_today"))

        def at(time):
            return datetime.datetime.combine(day, datetime.time.fromisoformat(time), LONDON)

        start, end = at(fields.pop("start")), at(fields.pop("end"))
        self.child(
            index,
            FocusGroupEventPage,
            {
                **fields,
                "start": start,
                "end": end,
                "contact": contact,
                "description": [{"type": "paragraph", "value": fields["description"]}],
                "signup_closes": start - datetime.timedelta(days=1),
            },
        )

    def translate(self, locale, objects):
        """Translate each object that has no translation yet, through wagtail-localize.

        As a translator would with a PO file: export the object's strings, fill
        them in from the Welsh file, import them and publish. The translations
        stay synced with the English, so "Sync translated pages" updates them.
        """
        memory = {entry.msgid: entry.msgstr for entry in polib.pofile(WELSH) if entry.msgstr}
        for instance in objects:
            if not instance.get_translation_or_none(locale):
                translate_with(memory, instance, locale)


def translate_with(memory, instance, locale):
    """Translate the instance through wagtail-localize from memory ({English: Welsh}),
    as a translator does with a PO file, and publish it. A string missing from memory
    stays in English, as wagtail-localize leaves a string nobody has translated yet."""
    source, _ = TranslationSource.get_or_create_from_instance(instance)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    po = translation.export_po()
    for entry in po:
        entry.msgstr = memory.get(entry.msgid, "")
    translation.import_po(po)
    if isinstance(instance, Page):
        # Published here, not when the transaction commits (wagtail-localize's way).
        translation.save_target(publish=False)
        instance.get_translation(locale).get_latest_revision().publish()
    else:
        translation.save_target()
