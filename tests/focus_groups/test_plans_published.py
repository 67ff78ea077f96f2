""" "Tell me when the plans are published" (issue 12, point 10): a tick box on the signup
form; once the site's action-plans page (chosen in the organisation settings) is live,
everyone who ticked it, in any focus group of that site, gets one email with its link,
in their language; the purge removes the choice with the rest.
"""

import datetime

import pytest
from django.core import mail
from django.utils import translation
from wagtail.models import Page, Site

from culture_cms.focus_groups import emails, services
from culture_cms.focus_groups.models import OutboundEmail, Signup
from culture_cms.organisation.models import OrganisationSettings
from tests import factories
from tests.factories.focus_groups import welsh_translation

PLANS_KIND = OutboundEmail.Kind.PLANS_PUBLISHED


@pytest.fixture
def plans(tree):
    """The action-plans page, written but not published yet, chosen in the settings."""
    page = factories.programme_page(tree.programme, title="Our action plans", slug="action-plans")
    Page.objects.filter(pk=page.pk).update(live=False)
    page.refresh_from_db()
    tree.organisation.action_plans_page = page
    tree.organisation.save()
    return page


def ticked(event, name, **fields):
    return factories.sign_up(event, name, hear_about_plans=True, **fields).signup


def plans_emails():
    return [m for m in mail.outbox if "action plans are published" in m.subject]


def form_data(**fields):
    return {
        "full_name": "Ann Able",
        "email": "ann.able@example.nhs.uk",
        "staff_group": "nursing",
        "consent": "on",
        **fields,
    }


# Through the services ------------------------------------------------------------------


def test_publishing_the_plans_emails_everyone_who_asked_once_with_the_link(tree, event, plans):
    other = factories.focus_group(tree.focus_groups)
    ticked(event, "Ann Able")
    ticked(other, "Ann Able")  # the same person in two focus groups: one email
    ticked(other, "Bob Brown")
    factories.sign_up(event, "Cat Cole")  # did not ask
    mail.outbox.clear()

    plans.save_revision().publish()

    emails = plans_emails()
    assert sorted(m.to[0] for m in emails) == [
        "ann.able@example.nhs.uk",
        "bob.brown@example.nhs.uk",
    ]
    plans.refresh_from_db()
    assert all(plans.get_full_url() in m.body for m in emails)
    assert all(m.attachments == [] for m in emails)
    [ann] = [m for m in emails if m.to == ["ann.able@example.nhs.uk"]]
    assert "Dear Ann Able," in ann.body
    assert f'href="{plans.get_full_url()}"' in ann.alternatives[0][0]


def test_publishing_the_plans_again_sends_nothing_more(event, plans):
    ticked(event, "Ann Able")
    plans.save_revision().publish()
    mail.outbox.clear()

    plans.save_revision().publish()
    assert services.announce_action_plans(Site.objects.get(is_default_site=True)) == 0

    assert plans_emails() == []
    assert OutboundEmail.objects.filter(kind=PLANS_KIND).count() == 1


def test_publishing_another_page_or_plans_not_chosen_sends_nothing(tree, event, plans):
    ticked(event, "Ann Able")

    tree.programme.save_revision().publish()
    assert plans_emails() == []

    tree.organisation.action_plans_page = None
    tree.organisation.save()
    plans.save_revision().publish()
    assert plans_emails() == []


def test_choosing_plans_that_are_live_already_emails_those_who_asked(tree, event, plans):
    ticked(event, "Ann Able")
    tree.organisation.action_plans_page = None
    tree.organisation.save()
    plans.save_revision().publish()
    assert plans_emails() == []

    settings = OrganisationSettings.objects.get(pk=tree.organisation.pk)
    settings.action_plans_page = plans
    settings.save()

    assert [m.to for m in plans_emails()] == [["ann.able@example.nhs.uk"]]


def test_each_person_hears_in_their_language_with_the_link_in_it(tree, event, plans):
    welsh_plans = welsh_translation(plans)  # live before the English page
    ticked(event, "Ann Able")
    ticked(event, "Bob Brown", language="cy")
    mail.outbox.clear()

    plans.save_revision().publish()

    [ann] = [m for m in plans_emails() if m.to == ["ann.able@example.nhs.uk"]]
    [bob] = [m for m in mail.outbox if m.to == ["bob.brown@example.nhs.uk"]]
    plans.refresh_from_db()
    welsh_plans.refresh_from_db()
    assert plans.get_full_url() in ann.body
    assert welsh_plans.get_full_url() in bob.body
    assert welsh_plans.get_full_url() != plans.get_full_url()
    assert "Annwyl Bob Brown," in bob.body
    with translation.override("cy"):
        assert translation.gettext("The action plans are published") in bob.body
    assert "The action plans are published" not in bob.body


def test_only_the_people_of_the_same_site_hear(tree, event, plans):
    from home.models import HomePage

    home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Otherton culture", slug="otherton")
    )
    Site.objects.create(hostname="otherton.example.nhs.uk", port=80, root_page=home)
    other_index = factories.focus_group_index(factories.programme_page(home))
    ticked(factories.focus_group(other_index), "Otto Other")
    ticked(event, "Ann Able")
    mail.outbox.clear()

    plans.save_revision().publish()

    assert [m.to for m in plans_emails()] == [["ann.able@example.nhs.uk"]]


def test_the_purge_removes_the_choice_with_the_rest(event):
    signup = ticked(event, "Ann Able")
    ended = event.end + datetime.timedelta(days=400)

    services.purge(days=90, now=ended)

    signup.refresh_from_db()
    assert signup.anonymised_at is not None
    assert signup.hear_about_plans is False


# Through HTTP --------------------------------------------------------------------------


def test_the_form_offers_the_box_with_the_date_the_plans_are_due(client, tree, event):
    tree.organisation.plans_date = datetime.date(2027, 3, 31)
    tree.organisation.save()

    page = client.get(event.url).content.decode()

    assert 'name="hear_about_plans"' in page
    assert "Email me when the action plans are published" in page
    assert "We aim to publish them by 31 March 2027" in page


def test_ticking_the_box_is_kept_with_the_signup(client, event):
    client.post(event.url, form_data(hear_about_plans="on"))
    client.post(event.url, form_data(email="bob.brown@example.nhs.uk"))

    asked = dict(Signup.objects.values_list("email", "hear_about_plans"))
    assert asked == {"ann.able@example.nhs.uk": True, "bob.brown@example.nhs.uk": False}


def test_once_the_plans_are_live_the_form_links_to_them_instead(client, event, plans):
    plans.save_revision().publish()
    plans.refresh_from_db()

    page = client.get(event.url).content.decode()

    assert 'name="hear_about_plans"' not in page
    assert f'<a href="{plans.url}">Read the action plans</a>' in page
    response = client.post(event.url, form_data(hear_about_plans="on"))
    assert response.status_code == 303
    assert Signup.objects.get().hear_about_plans is False


def test_the_email_is_queued_like_the_others_under_a_key_that_names_nobody(
    event, plans, queue_only
):
    ticked(event, "Ann Able")
    plans.save_revision().publish()

    [email] = OutboundEmail.objects.filter(kind=PLANS_KIND)
    assert (email.page_id, email.status, mail.outbox) == (plans.pk, "queued", [])
    assert email.once_key.startswith(f"plans:{plans.translation_key}:")
    assert "ann" not in email.once_key

    emails.deliver(email.pk)

    assert [m.to for m in plans_emails()] == [["ann.able@example.nhs.uk"]]
