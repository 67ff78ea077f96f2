"""Every page type, snippet and the organisation settings, edited through the Wagtail admin.

The admin is driven the way an editor drives it: form data posted to the add and
edit views, built with wagtail.test.utils.form_data.
"""

import datetime
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Locale, Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from culture_cms.focus_groups.models import FocusGroupEventPage, FocusGroupIndexPage
from culture_cms.organisation.models import Contact, OrganisationSettings
from culture_cms.programme.models import (
    CulturalElement,
    Definition,
    GlossaryPage,
    KeyMessagesPage,
    ProgrammePage,
)
from home.models import HomePage
from tests.factories import sign_up

ADMIN_DATETIME = "%Y-%m-%d %H:%M"


def section(heading, html):
    """Form data for a key message section block."""
    return ("key_message_section", {"heading": heading, "body": rich_text(html)})


def definition_list(heading, definitions):
    """Form data for a definition list block: a heading and a ListBlock of snippet choosers."""
    return (
        "definition_list",
        {
            "heading": heading,
            "definitions": streamfield([("item", definition.pk) for definition in definitions]),
        },
    )


def plain(rich_text_value):
    """The words of a rich text value; Draftail adds its own block keys to the HTML."""
    return strip_tags(getattr(rich_text_value, "source", rich_text_value))


def in_admin_format(moment):
    return timezone.localtime(moment).strftime(ADMIN_DATETIME)


def load_demo_content():
    """The demo tree, as the `demo` fixture (tests/conftest.py) gives it: loaded once for
    the session's test database already, loaded here only if it is missing."""
    if not HomePage.objects.exists():
        call_command("load_initial_data", stdout=StringIO())


class AdminTestCase(WagtailPageTestCase):
    """The demo tree, and a superuser signed in to the admin."""

    @classmethod
    def setUpTestData(cls):
        load_demo_content()
        english = {"locale": Locale.get_default()}  # the originals, not their Welsh
        cls.home = HomePage.objects.get(**english)
        cls.programme = ProgrammePage.objects.get(**english)
        cls.key_messages = KeyMessagesPage.objects.get(tool_reference="4.3", **english)
        cls.glossary = GlossaryPage.objects.get(**english)
        cls.focus_groups = FocusGroupIndexPage.objects.get(**english)
        cls.event = FocusGroupEventPage.objects.filter(**english).order_by("start").first()
        cls.contact = Contact.objects.get(**english)
        cls.definitions = list(Definition.objects.filter(**english).order_by("term"))

    def setUp(self):
        self.user = self.login()

    def add_url(self, model, parent):
        return reverse(
            "wagtailadmin_pages:add",
            args=[model._meta.app_label, model._meta.model_name, parent.pk],
        )

    def publish_edit(self, page, data):
        """Post the edit form with the publish button; the response after its redirect."""
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        response = self.client.post(url, {**data, "action-publish": "action-publish"})
        self.assertRedirects(response, reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
        return response

    def created(self, model, parent, slug):
        """The page the admin just made, read back from the database."""
        return model.objects.child_of(parent).get(slug=slug)


class HomePageAdminTests(AdminTestCase):
    def data(self, **fields):
        return nested_form_data(
            {
                "title": "Culture at Northtown",
                "slug": "northtown",
                "intro": rich_text("<p>How we are changing our culture.</p>"),
                "featured_key_messages": streamfield([("page", self.key_messages.pk)]),
                "body": streamfield([section("Why culture matters", "<p>It shapes care.</p>")]),
                **fields,
            }
        )

    def test_home_page_is_created_and_published_through_the_admin(self):
        root = Page.get_first_root_node()
        self.assertCanCreate(root, HomePage, self.data())

        home = self.created(HomePage, root, "northtown")
        self.assertTrue(home.live)
        self.assertEqual(plain(home.intro), "How we are changing our culture.")
        self.assertEqual(home.featured_key_messages[0].value.specific, self.key_messages)
        self.assertEqual(home.body[0].value["heading"], "Why culture matters")

    def test_home_page_is_edited_through_the_admin(self):
        self.publish_edit(
            self.home,
            self.data(
                title="Our culture", slug=self.home.slug, featured_key_messages=streamfield([])
            ),
        )

        home = HomePage.objects.get(pk=self.home.pk)
        self.assertEqual(home.title, "Our culture")
        self.assertEqual(len(home.featured_key_messages), 0)
        self.assertEqual(home.live_revision, home.latest_revision)


class ProgrammePageAdminTests(AdminTestCase):
    def data(self, **fields):
        return nested_form_data(
            {
                "title": "Our culture programme",
                "slug": "our-culture-programme",
                "intro": rich_text("<p>{organisation} is listening.</p>"),
                "body": streamfield(
                    [
                        section("What we are doing", "<p>Running focus groups.</p>"),
                        ("inset_text", {"body": rich_text("<p>It takes 90 minutes.</p>")}),
                    ]
                ),
                **fields,
            }
        )

    def test_programme_page_is_created_and_published_through_the_admin(self):
        self.assertCanCreate(self.home, ProgrammePage, self.data())

        programme = self.created(ProgrammePage, self.home, "our-culture-programme")
        self.assertTrue(programme.live)
        self.assertEqual(plain(programme.intro), "{organisation} is listening.")
        self.assertEqual(
            [block.block_type for block in programme.body], ["key_message_section", "inset_text"]
        )
        self.assertEqual(plain(programme.body[1].value["body"]), "It takes 90 minutes.")

    def test_programme_page_can_be_created_anywhere_in_a_host_tree(self):
        root = Page.get_first_root_node()
        # Outside any Site there are no organisation settings to fill tokens from.
        data = self.data(slug="host-programme", intro=rich_text("<p>Our programme.</p>"))
        self.assertCanCreate(root, ProgrammePage, data)
        self.assertTrue(self.created(ProgrammePage, root, "host-programme").live)

    def test_programme_page_is_edited_through_the_admin(self):
        self.publish_edit(
            self.programme,
            self.data(
                title="Culture programme at {organisation}",
                slug=self.programme.slug,
                body=streamfield([section("Next steps", "<p>Design phase.</p>")]),
            ),
        )

        programme = ProgrammePage.objects.get(pk=self.programme.pk)
        self.assertEqual(programme.title, "Culture programme at {organisation}")
        self.assertEqual(programme.body[0].value["heading"], "Next steps")
        self.assertEqual(plain(programme.body[0].value["body"]), "Design phase.")


class KeyMessagesPageAdminTests(AdminTestCase):
    def data(self, **fields):
        return nested_form_data(
            {
                "title": "Key messages for managers",
                "slug": "key-messages-for-managers",
                "tool_reference": "4.4",
                "contact": self.contact.pk,
                "summary": "What to say to your team.",
                "facilitator_note": rich_text("<p>Not a script: adapt to your needs.</p>"),
                "body": streamfield(
                    [
                        section("Why we ask", "<p>Ask {contact_name} about it.</p>"),
                        definition_list("Words we use", self.definitions[:2]),
                    ]
                ),
                "source": "NHS England",
                **fields,
            }
        )

    def test_key_messages_page_is_created_and_published_through_the_admin(self):
        self.assertCanCreate(self.programme, KeyMessagesPage, self.data())

        page = self.created(KeyMessagesPage, self.programme, "key-messages-for-managers")
        self.assertTrue(page.live)
        self.assertEqual(page.heading, "Tool 4.4: Key messages for managers")
        self.assertEqual(page.contact, self.contact)
        self.assertEqual(plain(page.facilitator_note), "Not a script: adapt to your needs.")
        self.assertEqual(plain(page.body[0].value["body"]), "Ask {contact_name} about it.")
        self.assertEqual(list(page.body[1].value["definitions"]), self.definitions[:2])
        self.assertEqual(page.source, "NHS England")

    def test_key_messages_page_is_edited_through_the_admin(self):
        self.publish_edit(
            self.key_messages,
            self.data(
                title="Key messages",
                slug=self.key_messages.slug,
                tool_reference="4.3",
                summary="Adapted for Northtown.",
                body=streamfield([definition_list("Definitions", self.definitions[2:])]),
            ),
        )

        page = KeyMessagesPage.objects.get(pk=self.key_messages.pk)
        self.assertEqual(page.summary, "Adapted for Northtown.")
        self.assertEqual(len(page.body), 1)
        self.assertEqual(list(page.body[0].value["definitions"]), self.definitions[2:])


class GlossaryPageAdminTests(AdminTestCase):
    def test_glossary_page_is_created_and_published_through_the_admin(self):
        self.assertCanCreate(
            self.programme,
            GlossaryPage,
            nested_form_data({"title": "Words we use", "intro": rich_text("<p>From A to Z.</p>")}),
        )

        glossary = self.created(GlossaryPage, self.programme, "words-we-use")
        self.assertTrue(glossary.live)
        self.assertEqual(plain(glossary.intro), "From A to Z.")

    def test_glossary_page_is_edited_through_the_admin(self):
        self.publish_edit(
            self.glossary,
            nested_form_data(
                {
                    "title": "Glossary",
                    "slug": self.glossary.slug,
                    "intro": rich_text("<p>The words of {programme}.</p>"),
                }
            ),
        )

        glossary = GlossaryPage.objects.get(pk=self.glossary.pk)
        self.assertEqual(plain(glossary.intro), "The words of {programme}.")
        self.assertEqual(glossary.live_revision, glossary.latest_revision)


class FocusGroupIndexPageAdminTests(AdminTestCase):
    def test_focus_group_index_is_created_and_published_through_the_admin(self):
        self.assertCanCreate(
            self.programme,
            FocusGroupIndexPage,
            nested_form_data(
                {"title": "Join a focus group", "intro": rich_text("<p>Have your say.</p>")}
            ),
        )

        index = self.created(FocusGroupIndexPage, self.programme, "join-a-focus-group")
        self.assertTrue(index.live)
        self.assertEqual(plain(index.intro), "Have your say.")

    def test_focus_group_index_is_edited_through_the_admin(self):
        self.publish_edit(
            self.focus_groups,
            nested_form_data(
                {
                    "title": "Culture focus groups",
                    "slug": self.focus_groups.slug,
                    "intro": rich_text("<p>Book a place.</p>"),
                }
            ),
        )

        index = FocusGroupIndexPage.objects.get(pk=self.focus_groups.pk)
        self.assertEqual(index.title, "Culture focus groups")
        self.assertEqual(plain(index.intro), "Book a place.")


class FocusGroupEventPageAdminTests(AdminTestCase):
    def data(self, start, **fields):
        return nested_form_data(
            {
                "title": "Focus group for estates staff",
                "slug": "estates",
                "start": in_admin_format(start),
                "end": in_admin_format(start + datetime.timedelta(hours=2)),
                "venue": "Boardroom, Main Building",
                "joining_link": "",
                "joining_details": "",
                "capacity": "10",
                "signup_opens": in_admin_format(start - datetime.timedelta(days=20)),
                "signup_closes": in_admin_format(start - datetime.timedelta(days=2)),
                "audience": "Estates and facilities staff",
                "facilitators": "Alex and Priya",
                "contact": self.contact.pk,
                "description": streamfield(
                    [
                        (
                            "confidentiality_statement",
                            {"heading": "Confidentiality", "body": rich_text("<p>Anonymous.</p>")},
                        )
                    ]
                ),
                **fields,
            }
        )

    def start(self, days):
        return (timezone.localtime() + datetime.timedelta(days=days)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )

    def test_focus_group_is_created_and_published_through_the_admin(self):
        start = self.start(days=30)
        self.assertCanCreate(self.focus_groups, FocusGroupEventPage, self.data(start))

        event = self.created(FocusGroupEventPage, self.focus_groups, "estates")
        self.assertTrue(event.live)
        self.assertEqual(event.start, start)
        self.assertEqual(event.end, start + datetime.timedelta(hours=2))
        self.assertEqual(event.signup_closes, start - datetime.timedelta(days=2))
        self.assertEqual(event.capacity, 10)
        self.assertEqual(event.contact, self.contact)
        self.assertEqual(event.description[0].block_type, "confidentiality_statement")

    def test_focus_group_is_edited_through_the_admin(self):
        start = self.start(days=40)
        self.publish_edit(
            self.event,
            self.data(
                start,
                title=self.event.title,
                slug=self.event.slug,
                venue="",
                joining_link="https://meet.example.nhs.uk/culture",
                joining_details="Meeting ID 123",
                capacity="20",
            ),
        )

        event = FocusGroupEventPage.objects.get(pk=self.event.pk)
        self.assertEqual(event.start, start)
        self.assertEqual(event.joining_link, "https://meet.example.nhs.uk/culture")
        self.assertEqual(event.venue, "")
        self.assertEqual(event.capacity, 20)

    def test_focus_group_without_venue_or_link_is_refused_by_the_admin(self):
        start = self.start(days=30)
        url = self.add_url(FocusGroupEventPage, self.focus_groups)
        response = self.client.post(
            url, {**self.data(start, venue=""), "action-publish": "action-publish"}
        )

        self.assertEqual(response.status_code, 200)
        self.assertFormError(
            response.context["form"], "venue", "Give a venue, an online joining link, or both."
        )
        self.assertFalse(FocusGroupEventPage.objects.filter(slug="estates").exists())

    def test_a_focus_group_without_places_is_refused_by_the_admin(self):
        url = self.add_url(FocusGroupEventPage, self.focus_groups)
        response = self.client.post(
            url, {**self.data(self.start(days=30), capacity="0"), "action-publish": "1"}
        )

        self.assertEqual(response.status_code, 200)
        self.assertFormError(
            response.context["form"], "capacity", "A focus group needs at least 1 place."
        )
        self.assertFalse(FocusGroupEventPage.objects.filter(slug="estates").exists())

    def test_places_cannot_go_below_the_people_confirmed(self):
        for name in ["Ann Able", "Bob Brown", "Cat Cole"]:
            sign_up(self.event, name)
        url = reverse("wagtailadmin_pages:edit", args=[self.event.pk])
        data = self.data(
            self.start(days=40), title=self.event.title, slug=self.event.slug, capacity="2"
        )
        revisions = self.event.revisions.count()

        response = self.client.post(url, {**data, "action-publish": "1"})

        self.assertEqual(response.status_code, 200)
        self.assertFormError(
            response.context["form"],
            "capacity",
            "3 people have a confirmed place, so there must be at least 3 places. To have "
            "fewer, cancel places or move people to another focus group first (Signups, in "
            "the menu).",
        )
        self.event.refresh_from_db()
        self.assertNotEqual(self.event.capacity, 2)
        self.assertEqual(self.event.revisions.count(), revisions)  # no draft saved either
        self.client.post(url, {**data, "capacity": "3", "action-publish": "1"})
        self.assertEqual(FocusGroupEventPage.objects.get(pk=self.event.pk).capacity, 3)


class SnippetAdminTests(AdminTestCase):
    def create_snippet(self, model, data):
        """Post the snippet's add view; the listing it redirects to, fetched afresh."""
        viewset = model.snippet_viewset
        response = self.client.post(reverse(viewset.get_url_name("add")), data)
        listing = (
            f"{reverse(viewset.get_url_name('list'))}?locale={Locale.get_default().language_code}"
        )
        self.assertRedirects(response, listing)
        return self.client.get(listing)

    def test_definition_is_created_through_the_admin_and_listed(self):
        response = self.create_snippet(
            Definition,
            {
                "term": "Psychological safety",
                "definition": "Feeling able to speak up without fear.",
                "source": "Amy Edmondson",
            },
        )

        definition = Definition.objects.get(term="Psychological safety")
        self.assertEqual(definition.source, "Amy Edmondson")
        self.assertContains(response, "Feeling able to speak up without fear.")

    def test_cultural_element_is_created_through_the_admin_and_listed(self):
        response = self.create_snippet(
            CulturalElement,
            {
                "name": "Teamwork",
                "description": "Teams work well together.",
                "icon": "group",
                "colour": "purple",
                "order": "7",
            },
        )

        element = CulturalElement.objects.get(name="Teamwork")
        self.assertEqual((element.colour, element.order), ("purple", 7))
        self.assertContains(response, "Teamwork")

    def test_contact_is_created_through_the_admin_and_listed(self):
        response = self.create_snippet(
            Contact,
            {
                "name": "Jo Bloggs",
                "role": "Organisational development lead",
                "email": "jo.bloggs@example.nhs.uk",
                "phone": "01632 960 456",
            },
        )

        contact = Contact.objects.get(name="Jo Bloggs")
        self.assertEqual(contact.email, "jo.bloggs@example.nhs.uk")
        self.assertContains(response, "jo.bloggs@example.nhs.uk")


class OrganisationSettingsAdminTests(AdminTestCase):
    def test_organisation_settings_are_edited_through_the_settings_admin(self):
        site = HomePage.objects.get(locale=Locale.get_default()).get_site()
        url = reverse(
            "wagtailsettings:edit", args=["culture_organisation", "organisationsettings", site.pk]
        )
        response = self.client.post(
            url,
            {
                "organisation_name": "Northtown Community NHS Trust",
                "programme_name": "Our culture",
                "current_phase": "design",
                "plans_date": "2031-03-31",
                "default_contact": self.contact.pk,
                "privacy_notice_url": "https://northtown.example.nhs.uk/privacy",
            },
        )

        self.assertRedirects(response, url)
        organisation = OrganisationSettings.objects.get(site=site)
        self.assertEqual(organisation.organisation_name, "Northtown Community NHS Trust")
        self.assertEqual(organisation.current_phase, "design")
        self.assertEqual(organisation.plans_date, datetime.date(2031, 3, 31))
        self.assertEqual(organisation.default_contact, self.contact)


class EditorPermissionTests(WagtailPageTestCase):
    """A member of Wagtail's Editors group can look after the programme's snippets and settings."""

    @classmethod
    def setUpTestData(cls):
        load_demo_content()
        cls.editor = get_user_model().objects.create_user("comms", password="pw")
        cls.editor.groups.add(Group.objects.get(name="Editors"))

    def setUp(self):
        self.client.force_login(self.editor)

    def test_editor_can_add_a_definition(self):
        viewset = Definition.snippet_viewset
        response = self.client.post(
            reverse(viewset.get_url_name("add")),
            {"term": "Civility", "definition": "Treating each other with respect."},
        )

        self.assertEqual(response.status_code, 302)
        self.assertTrue(Definition.objects.filter(term="Civility").exists())

    def test_editor_can_open_the_organisation_settings(self):
        site = HomePage.objects.get(locale=Locale.get_default()).get_site()
        url = reverse(
            "wagtailsettings:edit", args=["culture_organisation", "organisationsettings", site.pk]
        )

        self.assertEqual(self.client.get(url).status_code, 200)

    def test_user_outside_the_groups_cannot_open_the_contacts(self):
        outsider = get_user_model().objects.create_user("outsider", password="pw")
        outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
        self.client.force_login(outsider)

        response = self.client.get(reverse(Contact.snippet_viewset.get_url_name("list")))

        self.assertNotEqual(response.status_code, 200)
