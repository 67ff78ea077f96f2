"""Translation: Welsh through wagtail-localize, one booking across languages, Welsh emails.

The admin is driven the way a translator drives it: "Translate this page",
the translation editor's string API, PO download and upload, "Sync translated
pages", and the editor's Publish button.

Translating from English starts from a site of its own in English only. The tests of a
site already in both languages share one (tests/factories/translations.py:
bilingual_site), made once for them as Django's setUpTestData makes a class's data
(tests/factories/module_data.py), each test in its own rolled-back transaction inside
it. The tests of the shipped Welsh demo content read the demo content.
"""

import re
from html import unescape

import polib
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.models import Locale
from wagtail_localize.fields import get_translatable_fields
from wagtail_localize.models import (
    OverridableSegment,
    StringSegment,
    StringTranslation,
    Translation,
)

from culture_cms.focus_groups import services
from culture_cms.focus_groups.models import FocusGroupEventPage, OutboundEmail, Signup
from culture_cms.organisation.models import Contact
from culture_cms.programme.models import CulturalElement, Definition, KeyMessagesPage
from tests import factories
from tests.factories import sign_up
from tests.factories.module_data import for_the_test, made_once
from tests.factories.translations import bilingual_site

Status = Signup.Status
Kind = OutboundEmail.Kind


@pytest.fixture
def welsh(db):
    return Locale.objects.get(language_code="cy")


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("translator", "t@example.nhs.uk"))
    return client


@pytest.fixture
def english_only(db):
    """A site of its own with tool 4.3's key messages, and a definition: in English only,
    nothing translated yet."""
    tree = factories.site_tree()
    tree.key_messages = factories.key_messages_page(tree.programme)
    tree.definition = factories.definition()
    return tree


def translation_of(page, locale):
    return Translation.objects.get(source__object_id=page.translation_key, target_locale=locale)


def translate_page(client, page, locale, capture):
    """Press "Translate this page" for one language, with its subtree."""
    with capture(execute=True):
        response = client.post(
            reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
            {"locales": [locale.pk], "include_subtree": "on"},
        )
    assert response.status_code == 302
    return page.get_translation(locale).specific


def type_string(client, translation_record, english, welsh_text):
    """Type a translation into the editor for each occurrence of one English string."""
    segments = StringSegment.objects.filter(source=translation_record.source, string__data=english)
    assert segments, f"no string {english!r} on the page"
    for segment in segments:
        response = client.put(
            reverse(
                "wagtail_localize:edit_string_translation", args=[translation_record.pk, segment.pk]
            ),
            f"value={welsh_text}",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code in (200, 201)


def publish(client, page, capture):
    """The translation editor's Publish button."""
    with capture(execute=True):
        return client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]), {"action": "publish"}, follow=True
        )


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


PAGE_TYPES = ["home", "programme", "key_messages", "glossary", "focus_groups", "event"]


def page_of(site, name):
    return getattr(site, name)


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def switcher(html):
    return re.search(r'<nav class="cc-language-switcher".*?</nav>', html, re.S).group(0)


# Translating from English


def test_translating_tool_4_3_and_publishing_it_shows_the_welsh(
    editor, english_only, welsh, django_capture_on_commit_callbacks
):
    home_cy = translate_page(editor, english_only.home, welsh, django_capture_on_commit_callbacks)
    page = english_only.key_messages.get_translation(welsh)
    record = translation_of(english_only.key_messages, welsh)

    type_string(editor, record, "Key messages", "Negeseuon allweddol")
    type_string(editor, record, "The Culture and Leadership Programme", "Y Rhaglen Diwylliant")
    assert not home_cy.live  # a draft until it is published (the tests below)
    for welsh_page in (home_cy, english_only.programme.get_translation(welsh), page):
        publish(editor, welsh_page, django_capture_on_commit_callbacks)

    html = text(editor, page.url)
    assert page.url.startswith("/cy/")
    assert "Offeryn 4.3: Negeseuon allweddol" in html or "Negeseuon allweddol" in html
    assert "Y Rhaglen Diwylliant" in html
    assert '<html lang="cy">' in html


def test_translating_snippets_keeps_a_contact_one_person(
    editor, english_only, welsh, django_capture_on_commit_callbacks
):
    contact = english_only.contact
    definition = english_only.definition
    for snippet in (contact, definition):
        opts = snippet._meta
        with django_capture_on_commit_callbacks(execute=True):
            response = editor.post(
                reverse(
                    "wagtail_localize:submit_snippet_translation",
                    args=[opts.app_label, opts.model_name, snippet.pk],
                ),
                {"locales": [welsh.pk]},
            )
        assert response.status_code == 302
    record = translation_of(contact, welsh)
    type_string(editor, record, contact.role, "Arweinydd y rhaglen")
    with django_capture_on_commit_callbacks(execute=True):
        record.save_target(publish=True)

    welsh_contact = contact.get_translation(welsh)
    assert welsh_contact.role == "Arweinydd y rhaglen"
    assert (welsh_contact.name, welsh_contact.email, welsh_contact.phone) == (
        contact.name,
        contact.email,
        contact.phone,
    )
    assert definition.get_translation(welsh).term == definition.term  # until translated
    kinds = {field.field_name: type(field).__name__ for field in get_translatable_fields(Contact)}
    assert kinds["role"] == "TranslatableField"
    assert kinds["name"] == kinds["email"] == kinds["phone"] == "SynchronizedField"


class TestASiteInEnglishAndWelsh:
    """On a site already in English and Welsh, translated through wagtail-localize."""

    @pytest.fixture(scope="class")
    @classmethod
    def built(cls, django_db_setup, django_db_blocker):
        """The site, made once for the class's tests, rolled back after the last."""
        yield from made_once(django_db_blocker, bilingual_site)

    @pytest.fixture
    def site(self, db, built):
        """The site in both languages, as built, for this test to change as it likes."""
        return for_the_test(built)

    # Translating pages with wagtail-localize

    @pytest.mark.parametrize(
        "name", ["home", "programme", "key_messages", "glossary", "focus_groups", "event"]
    )
    def test_the_translation_editor_opens_for_each_page_type(self, editor, site, welsh, name):
        english = page_of(site, name)

        response = editor.get(
            reverse("wagtailadmin_pages:edit", args=[english.get_translation(welsh).pk])
        )

        assert response.status_code == 200
        assert "translation-editor" in response.content.decode()

    def test_translation_shares_the_synchronised_fields_of_a_focus_group(self, site, welsh):
        english = site.event
        cy = english.get_translation(welsh).specific

        for name in ("start", "end", "capacity", "signup_opens", "signup_closes", "contact_id"):
            assert getattr(cy, name) == getattr(english, name), name
        assert cy.title != english.title

    def test_changing_the_english_and_syncing_keeps_the_existing_welsh(
        self, editor, site, welsh, django_capture_on_commit_callbacks
    ):
        english = KeyMessagesPage.objects.get(pk=site.key_messages.pk)
        cy = english.get_translation(welsh).specific
        kept_welsh = cy.title
        first_section = english.body[0].value
        first_section["heading"] = "What the programme is for"  # changed in place: same block id
        english.save_revision().publish()

        record = translation_of(english, welsh)
        with django_capture_on_commit_callbacks(execute=True):
            response = editor.post(
                reverse("wagtail_localize:update_translations", args=[record.source.pk]),
                {"publish_translations": "on"},
            )
        assert response.status_code == 302

        cy.refresh_from_db()
        assert cy.title == kept_welsh
        # The new English heading waits for its translator; the rest stays Welsh.
        assert cy.body[0].value["heading"] == "What the programme is for"
        untouched = [block.value["heading"] for block in cy.body[1:] if "heading" in block.value]
        english_headings = [
            block.value["heading"] for block in english.body[1:] if "heading" in block.value
        ]
        assert untouched and all(w != e for w, e in zip(untouched, english_headings, strict=True))

    def test_po_round_trip_edits_the_published_welsh_page(
        self, editor, site, welsh, django_capture_on_commit_callbacks
    ):
        cy = site.key_messages.get_translation(welsh)
        record = translation_of(site.key_messages, welsh)

        download = editor.get(reverse("wagtail_localize:download_pofile", args=[record.pk]))
        assert download.status_code == 200
        po = polib.pofile(download.content.decode())
        [entry] = [entry for entry in po if entry.msgctxt == "title"]
        entry.msgstr = "Negeseuon allweddol y rhaglen"
        upload = editor.post(
            reverse("wagtail_localize:upload_pofile", args=[record.pk]),
            {
                "file": SimpleUploadedFile(
                    "tool-4-3-cy.po", str(po).encode(), "text/x-gettext-translation"
                )
            },
        )
        assert upload.status_code == 302
        publish(editor, cy, django_capture_on_commit_callbacks)

        assert "Negeseuon allweddol y rhaglen" in text(editor, cy.url)

    # Tokens and placeholders in every language

    def test_tokens_are_filled_on_the_welsh_page(self, client, site, welsh):
        html = text(client, site.programme.get_translation(welsh).url)

        assert escape(site.organisation.organisation_name) in html
        assert "{organisation}" not in html and "{programme}" not in html
        with translation.override("cy"):  # the default programme name has a Welsh name
            assert translation.gettext("Culture and Leadership Programme") in html

    @pytest.mark.parametrize(
        ("english", "typed"),
        [
            ("Key messages", "Negeseuon [mewnosod enw’r sefydliad]"),  # the title: its own string
            ("Key messages", "Negeseuon {sefydliad}"),  # a token's name translated
        ],
    )
    def test_publishing_a_translation_with_a_leftover_placeholder_is_refused(
        self, editor, site, welsh, english, typed, django_capture_on_commit_callbacks
    ):
        cy = site.key_messages.get_translation(welsh).specific
        live_title = cy.title
        record = translation_of(site.key_messages, welsh)
        type_string(editor, record, english, typed)

        response = publish(editor, cy, django_capture_on_commit_callbacks)

        cy.refresh_from_db()
        assert cy.title == live_title
        assert typed not in text(editor, cy.url)
        assert "validation errors" in response.content.decode()
        error = StringTranslation.objects.get(locale=welsh, data=typed)
        assert error.has_error
        assert re.search(r"placeholder|not a known token", error.field_error)

    def test_a_placeholder_inside_a_welsh_paragraph_is_refused_too(
        self, editor, site, welsh, django_capture_on_commit_callbacks
    ):
        cy = site.key_messages.get_translation(welsh).specific
        record = translation_of(site.key_messages, welsh)
        paragraph = (
            StringSegment.objects.filter(source=record.source, context__path__endswith=".body")
            .select_related("string")
            .first()
        )
        type_string(editor, record, paragraph.string.data, "Cysylltwch â [mewnosod enw] heddiw.")

        publish(editor, cy, django_capture_on_commit_callbacks)

        assert "[mewnosod enw]" not in text(editor, cy.url)

    # One booking in every language

    @pytest.mark.usefixtures("queue_only")
    def test_every_language_shares_one_capacity_and_waitlist(self, site, welsh):
        english = site.event
        english.capacity = 2
        english.save()
        cy = english.get_translation(welsh).specific

        ann = sign_up(english, "Ann Able").signup
        bryn = sign_up(cy, "Bryn Bowen", language="cy").signup
        cai = sign_up(cy, "Cai Cole", language="cy").signup
        dee = sign_up(english, "Dee Dunn").signup

        assert [s.status for s in (ann, bryn, cai, dee)] == [Status.CONFIRMED] * 2 + [
            Status.WAITLISTED
        ] * 2
        assert {s.event_id for s in (ann, bryn, cai, dee)} == {english.pk}
        assert (cai.waitlist_position, dee.waitlist_position) == (1, 2)
        assert sign_up(english, "Bryn Bowen").already_booked  # same person, other language

        services.cancel(ann)
        cai.refresh_from_db()
        assert cai.status == Status.CONFIRMED

    @pytest.mark.usefixtures("queue_only")
    def test_the_admin_lists_both_languages_signups_together_with_their_language(
        self, admin_client, site, welsh
    ):
        english = site.event
        sign_up(english, "Ann Able")
        sign_up(english.get_translation(welsh), "Bryn Bowen", language="cy")

        response = admin_client.get(reverse("culture_focus_groups:index"), {"event": english.pk})

        html = response.content.decode()
        assert "Ann Able" in html and "Bryn Bowen" in html
        rows = {s.full_name: s.language for s in response.context["object_list"]}
        assert rows == {"Ann Able": "en-gb", "Bryn Bowen": "cy"}

    def test_publishing_the_english_focus_group_gives_the_welsh_page_its_new_facts(
        self, site, welsh
    ):
        english = site.event
        english.capacity = 3
        english.venue = "Ystafell 1"  # text: each language keeps its own
        english.save_revision().publish()

        cy = english.get_translation(welsh).specific
        assert cy.capacity == 3
        assert cy.venue != "Ystafell 1"

    def test_the_welsh_page_counts_places_taken_on_the_english_page(self, client, site, welsh):
        english = site.event
        english.capacity = 1
        english.save_revision().publish()
        sign_up(english, "Ann Able")

        response = client.get(english.get_translation(welsh).url)

        assert response.context["availability"]["full"]

    def test_a_welsh_signup_gets_welsh_emails_with_welsh_links(self, client, site, welsh):
        cy = site.event.get_translation(welsh).specific
        response = client.post(
            cy.url,
            {
                "full_name": "Bryn Bowen",
                "email": "bryn.bowen@example.nhs.uk",
                "staff_group": "nursing",
                "consent": "on",
            },
        )
        assert response.status_code == 303
        assert response["Location"].startswith("/cy/")

        signup = Signup.objects.get(email="bryn.bowen@example.nhs.uk")
        assert (signup.language, signup.event_id) == ("cy", site.event.pk)
        [to_person] = [m for m in mail.outbox if m.to == ["bryn.bowen@example.nhs.uk"]]
        [to_contact] = [m for m in mail.outbox if m.to == [site.contact.email]]
        with translation.override("cy"):
            welsh_thanks = translation.gettext("Your place is confirmed")
        assert welsh_thanks != "Your place is confirmed", "the Welsh catalogue is not compiled"
        assert welsh_thanks in to_person.body
        assert cy.title in to_person.subject
        links = re.findall(r"https?://\S+", to_person.body)
        assert any(link.endswith(cy.url) for link in links)
        assert any("/cy/signups/cancel/" in link for link in links)
        html = to_person.alternatives[0][0]
        assert 'lang="cy"' in html
        # The contact hears in the site's default language, with a link to the English page.
        assert to_contact.subject == f"New signup: Bryn Bowen, {site.event.title}"
        assert "/cy/" not in to_contact.body

    @pytest.mark.usefixtures("queue_only")
    def test_the_welsh_result_page_gives_the_place_in_the_shared_waitlist(
        self, client, site, welsh
    ):
        english = site.event
        english.capacity = 1
        english.save_revision().publish()
        sign_up(english, "Ann Able")
        sign_up(english, "Bob Brown")  # first in line
        cy = english.get_translation(welsh).specific
        response = client.post(
            cy.url,
            {
                "full_name": "Cai Cole",
                "email": "cai@example.nhs.uk",
                "staff_group": "nursing",
                "consent": "on",
            },
        )

        result = client.get(response["Location"])

        assert result.status_code == 200
        assert result.context["signup"].waitlist_position == 2
        with translation.override("cy"):
            assert (
                translation.gettext("You are number %(position)s on the waitlist") % {"position": 2}
                in result.content.decode()
            )

    @pytest.mark.usefixtures("queue_only")
    def test_a_welsh_cancel_link_cancels_the_shared_booking(self, client, site, welsh):
        english = site.event
        english.capacity = 1
        english.save()
        bryn = sign_up(english.get_translation(welsh), "Bryn Bowen", language="cy").signup
        cai = sign_up(english, "Cai Cole").signup
        with translation.override("cy"):
            url = reverse("culture_cms:cancel", args=[services.cancel_token(bryn)])
        assert url.startswith("/cy/")

        page = text(client, url)
        assert english.get_translation(welsh).title in page
        client.post(url)

        cai.refresh_from_db()
        assert cai.status == Status.CONFIRMED

    # The language switcher and hreflang

    @pytest.mark.parametrize("name", PAGE_TYPES)
    def test_each_page_type_links_to_its_welsh_and_back(self, client, site, welsh, name):
        english = page_of(site, name)
        cy = english.get_translation(welsh)

        english_html, welsh_html = text(client, english.url), text(client, cy.url)

        assert '<html lang="en-gb">' in english_html and '<html lang="cy">' in welsh_html
        expected = {"en-gb": "http://testserver" + english.url, "cy": "http://testserver" + cy.url}
        assert alternates(english_html) == alternates(welsh_html) == expected
        assert f'href="{cy.url}" hreflang="cy" lang="cy">Cymraeg</a>' in switcher(english_html)
        assert f'href="{english.url}" hreflang="en-gb" lang="en-gb">English</a>' in switcher(
            welsh_html
        )

    def test_search_switches_language_with_its_query(self, client, site):
        html = text(client, "/search/?query=culture")

        assert 'href="/cy/search/?query=culture" hreflang="cy"' in switcher(html)

    def test_a_page_without_a_welsh_version_says_so(self, client, site, welsh):
        site.glossary.get_translation(welsh).delete()

        html = text(client, site.glossary.url)

        assert "This page is not available in Welsh yet." in switcher(html)
        assert list(alternates(html)) == ["en-gb"]


# The shipped Welsh demo content


def test_demo_content_ships_tool_4_3_definitions_and_elements_in_welsh(demo, welsh):
    cy = demo.key_messages.get_translation(welsh)
    assert cy.live and cy.title != demo.key_messages.title
    assert (
        Definition.objects.filter(locale=welsh).count()
        == Definition.objects.filter(locale=Locale.get_default()).count()
        == 3
    )
    assert CulturalElement.objects.filter(locale=welsh).count() == 6
    # Made through wagtail-localize, so they are synced translations, not copies.
    for source in (
        demo.key_messages,
        Definition.objects.filter(locale=Locale.get_default()).first(),
    ):
        assert translation_of(source, welsh).enabled


def test_welsh_glossary_lists_the_welsh_definitions(client, demo, welsh):
    html = text(client, demo.glossary.get_translation(welsh).url)

    for definition in Definition.objects.filter(locale=welsh):
        assert escape(definition.term) in html


# A translation goes live when it is in Welsh and approved (culture_cms/programme/translations.py)


def test_translate_this_page_makes_drafts_that_go_live_when_published(
    editor, english_only, welsh, django_capture_on_commit_callbacks
):
    translate_page(editor, english_only.home, welsh, django_capture_on_commit_callbacks)

    made = [english_only.home, english_only.programme, english_only.key_messages]
    assert [page.get_translation(welsh).live for page in made] == [False, False, False]

    for page in made:
        publish(editor, page.get_translation(welsh), django_capture_on_commit_callbacks)

    assert [page.get_translation(welsh).live for page in made] == [True, True, True]


def test_an_editor_submits_a_translation_and_a_moderator_publishes_it(
    client, english_only, welsh, django_user_model, django_capture_on_commit_callbacks
):
    client.force_login(factories.account("casey", "Editors"))
    translate_page(client, english_only.programme, welsh, django_capture_on_commit_callbacks)
    page = english_only.key_messages.get_translation(welsh).specific
    type_string(
        client, translation_of(english_only.key_messages, welsh), "Key messages", "Negeseuon"
    )
    submit = reverse("culture_cms_submit_translation", args=[page.pk])

    editing = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert editing.status_code == 200
    assert '"canPublish": false' in unescape(editing.content.decode())
    listing = client.get(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
    assert submit in listing.content.decode()
    assert client.get(submit).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit)

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.workflow_in_progress and not page.live
    assert "Negeseuon" in page.get_latest_revision_as_object().title
    assert refused(client.get(submit))  # in approval already

    client.force_login(factories.account("morgan", "Moderators"))
    task_state = page.current_workflow_task_state
    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
        )

    assert approved.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live and "Negeseuon" in page.title
    assert not page.workflow_in_progress


def test_only_someone_who_may_edit_a_synced_translation_may_submit_it(
    editor, english_only, welsh, django_user_model, django_capture_on_commit_callbacks
):
    translate_page(editor, english_only.programme, welsh, django_capture_on_commit_callbacks)
    welsh_page = english_only.programme.get_translation(welsh)
    organiser = Client()
    organiser.force_login(factories.account("olu", "Organisers"))

    assert refused(organiser.get(reverse("culture_cms_submit_translation", args=[welsh_page.pk])))
    # An original is not a translation: nothing to submit.
    original = reverse("culture_cms_submit_translation", args=[english_only.programme.pk])
    assert refused(editor.get(original))
    assert refused(editor.post(original))
    assert not english_only.programme.workflow_states.exists()


def refused(response):
    """Wagtail's answer to a PermissionDenied in the admin: back to the dashboard."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


class TestSharedFactsInTheTranslationEditor:
    @pytest.fixture(scope="class")
    @classmethod
    def built(cls, django_db_setup, django_db_blocker):
        yield from made_once(django_db_blocker, bilingual_site)

    def test_the_shared_facts_are_not_offered_to_translators(self, db, built, welsh):
        site = for_the_test(built)
        offered = set(
            OverridableSegment.objects.filter(
                source__object_id__in=[site.event.translation_key, site.contact.translation_key]
            ).values_list("context__path", flat=True)
        )

        assert offered.isdisjoint(FocusGroupEventPage.shared_facts)
        assert offered.isdisjoint({"name", "email", "phone", "user", "contact", "tool_reference"})
