"""A focus group's contact, linked to a user account, sees in the admin the signups,
report, register and export of their own focus groups, and nothing else (issue 12,
point 8); Organisers keep seeing everything. And the contact's promotion email.
"""

import csv
import io
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse

from culture_cms.focus_groups import services
from culture_cms.focus_groups.models import Signup
from tests import factories
from tests.factories.module_data import built_once
from tests.factories.organisation import contact

INDEX = reverse("culture_focus_groups:index")
EMAILS = reverse("culture_signup_emails:index")
REPORT = reverse("culture_focus_groups:report")


def build():
    tree = factories.site_tree()
    priya = contact(name="Priya Shah", email="priya.shah@example.nhs.uk")
    omar = contact(name="Omar Nasser", email="omar.nasser@example.nhs.uk")
    made = SimpleNamespace(
        tree=tree,
        priya=factories.account("priya", "Focus group contacts"),
        sam=factories.account("sam", "Focus group contacts"),
        unlinked=factories.account("unlinked", "Focus group contacts"),
        organiser=factories.account("organiser", "Organisers"),
        # Priya's own; Omar's; and one with no contact of its own (the site's default, Sam).
        hers=factories.focus_group(tree.focus_groups, contact=priya),
        his=factories.focus_group(tree.focus_groups, contact=omar),
        default=factories.focus_group(tree.focus_groups),
    )
    priya.user = made.priya
    priya.save()
    tree.contact.user = made.sam
    tree.contact.save()
    made.ann = factories.sign_up(made.hers, "Ann Able").signup
    made.bob = factories.sign_up(made.his, "Bob Brown").signup
    made.cat = factories.sign_up(made.default, "Cat Cole").signup
    return made


built, made = built_once(build)


@pytest.fixture
def as_priya(client, made):
    client.force_login(made.priya)
    return client


def listed(client, **params):
    return {s.full_name for s in client.get(INDEX, params).context["object_list"]}


def test_the_contact_lists_only_their_own_focus_groups_signups(as_priya, made):
    assert listed(as_priya) == {"Ann Able"}
    # Asking for another focus group's is not a way round it.
    assert listed(as_priya, event=made.his.pk) in (set(), {"Ann Able"})
    assert "Bob Brown" not in as_priya.get(INDEX, {"event": made.his.pk}).content.decode()


def test_the_contact_can_choose_only_their_focus_groups_in_the_filter(as_priya, made):
    response = as_priya.get(INDEX)

    choices = response.context["filters"].form.fields["event"].queryset
    assert list(choices) == [made.hers]


def test_the_contact_inspects_their_signups_and_no_others(as_priya, made):
    inspect = "culture_focus_groups:inspect"

    assert as_priya.get(reverse(inspect, args=[made.ann.pk])).status_code == 200
    assert as_priya.get(reverse(inspect, args=[made.bob.pk])).status_code == 404
    assert as_priya.get(reverse(inspect, args=[made.cat.pk])).status_code == 404


def test_the_contacts_export_holds_only_their_signups(as_priya, made):
    response = as_priya.get(INDEX, {"export": "csv"})

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["Full name"] for row in rows] == ["Ann Able"]


def test_the_contact_sees_their_focus_groups_report_and_no_other(as_priya, made):
    report = "culture_focus_groups:report_event"

    index = as_priya.get(REPORT)

    assert [row["event"] for row in index.context["rows"]] == [made.hers]
    assert as_priya.get(reverse(report, args=[made.hers.pk])).status_code == 200
    assert as_priya.get(reverse(report, args=[made.his.pk])).status_code == 404


def test_the_contact_keeps_their_focus_groups_register_and_no_other(as_priya, made):
    register = "culture_focus_groups:register"

    assert as_priya.get(reverse(register, args=[made.hers.pk])).status_code == 200
    assert as_priya.get(reverse(register, args=[made.his.pk])).status_code != 200
    printable = as_priya.get(reverse("culture_focus_groups:register_print", args=[made.hers.pk]))
    assert "Ann Able" in printable.content.decode()


def test_the_contact_cannot_cancel_or_move_signups_or_see_the_emails(as_priya, made):
    as_priya.post(reverse("culture_focus_groups:cancel", args=[made.ann.pk]))
    as_priya.post(reverse("culture_focus_groups:move", args=[made.ann.pk]), {"event": made.his.pk})

    made.ann.refresh_from_db()
    assert (made.ann.status, made.ann.event_id) == (Signup.Status.CONFIRMED, made.hers.pk)
    assert as_priya.get(EMAILS).status_code != 200
    cancel_group = reverse("culture_focus_groups:cancel_focus_group", args=[made.hers.pk])
    assert as_priya.get(cancel_group).status_code != 200


def test_the_default_contact_sees_the_focus_groups_without_a_contact_of_their_own(client, made):
    client.force_login(made.sam)

    assert listed(client) == {"Cat Cole"}


def test_an_account_linked_to_no_contact_sees_no_signups(client, made):
    client.force_login(made.unlinked)

    assert client.get(INDEX).status_code != 200
    assert "Signups" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_contact_has_the_signups_menu_item(as_priya):
    assert INDEX in as_priya.get(reverse("wagtailadmin_home")).content.decode()


def test_organisers_still_see_every_focus_groups_signups(client, made):
    client.force_login(made.organiser)

    assert listed(client) == {"Ann Able", "Bob Brown", "Cat Cole"}


def test_the_contact_is_told_when_a_place_goes_to_the_waitlist(made):
    made.hers.capacity = 1
    made.hers.save()
    factories.sign_up(made.hers, "Dan Dell")  # waitlisted
    mail.outbox.clear()

    services.cancel(made.ann)

    [told] = [m for m in mail.outbox if m.subject.startswith("Place from the waitlist")]
    assert told.to == ["priya.shah@example.nhs.uk"]
    assert told.subject == f"Place from the waitlist: Dan Dell, {made.hers.title}"
    # The places as they were at that moment: Dan in, nobody left waiting.
    assert "1 confirmed of 1, 0 on the waitlist" in told.body
