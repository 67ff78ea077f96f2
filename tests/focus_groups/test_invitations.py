"""Focus groups by invitation (issue 12, point 9): the page says so and whom to ask; only
a person holding an invitation link can sign up, with the address it was sent to, once;
organisers paste a list of addresses in the admin and each gets an invitation email.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from culture_cms.focus_groups import services
from culture_cms.focus_groups.models import FocusGroupEventPage, Invitation, Signup
from tests import factories
from tests.factories.focus_groups import welsh_translation

ANN = "ann.able@example.nhs.uk"


@pytest.fixture
def invited_only(event):
    """The focus group, by invitation."""
    FocusGroupEventPage.objects.filter(pk=event.pk).update(by_invitation=True)
    event.refresh_from_db()
    return event


def link_in(message):
    [link] = re.findall(r"https?://\S+\?invitation=[^\s\"<]+", message.body)
    return link


def token_in(message):
    return parse_qs(urlsplit(link_in(message)).query)["invitation"][0]


def invite(event, *addresses, language="en-gb"):
    invited, _left_out = services.invite(event, list(addresses), language=language)
    return invited


def form_data(**fields):
    return {
        "full_name": "Ann Able",
        "email": ANN,
        "staff_group": "nursing",
        "consent": "on",
        **fields,
    }


# Through the services ------------------------------------------------------------------


def test_each_address_gets_one_invitation_email_with_its_own_link(invited_only):
    invite(invited_only, ANN, "bob.brown@example.nhs.uk")

    assert sorted(m.to[0] for m in mail.outbox) == [ANN, "bob.brown@example.nhs.uk"]
    links = {link_in(m) for m in mail.outbox}
    assert len(links) == 2
    assert all(link.startswith(invited_only.get_full_url()) for link in links)
    [ann] = [m for m in mail.outbox if m.to == [ANN]]
    assert ann.subject == f"Invitation: {invited_only.title}"
    assert ann.attachments == []  # an event goes only with a place


def test_signing_up_needs_an_invitation(invited_only):
    with pytest.raises(services.SignupRefused, match="by invitation only"):
        factories.sign_up(invited_only, "Ann Able")

    assert not Signup.objects.filter(email=ANN).exists()


def test_an_invitation_books_once_for_its_own_address(invited_only):
    invite(invited_only, ANN)
    invitation = Invitation.objects.get(email=ANN)

    with pytest.raises(services.SignupRefused, match="address this invitation was sent to"):
        factories.sign_up(invited_only, "Bob Brown", invitation=invitation)
    signup = factories.sign_up(invited_only, "Ann Able", invitation=invitation).signup
    services.cancel(signup)

    with pytest.raises(services.SignupRefused, match="already been used"):
        factories.sign_up(invited_only, "Ann Able", invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.signup == signup and invitation.used_at


def test_inviting_again_resends_an_unused_invitation_and_leaves_out_those_signed_up(
    invited_only,
):
    invite(invited_only, ANN, "bob.brown@example.nhs.uk")
    bob = Invitation.objects.get(email="bob.brown@example.nhs.uk")
    factories.sign_up(invited_only, "Bob Brown", invitation=bob)
    mail.outbox.clear()

    invited, left_out = services.invite(
        invited_only, ["Ann.Able@example.nhs.uk", "bob.brown@example.nhs.uk"], language="en-gb"
    )

    assert (invited, left_out) == (["Ann.Able@example.nhs.uk"], ["bob.brown@example.nhs.uk"])
    assert Invitation.objects.filter(event=invited_only).count() == 2
    assert [m.to for m in mail.outbox] == [[ANN]]  # as first invited


def test_a_focus_group_open_to_all_takes_no_invitations(event):
    with pytest.raises(services.SignupRefused, match="open to everyone"):
        invite(event, ANN)


def test_a_welsh_invitation_links_to_the_welsh_page(invited_only):
    welsh = welsh_translation(invited_only)

    invite(invited_only, ANN, language="cy")

    [message] = mail.outbox
    assert link_in(message).startswith(welsh.get_full_url())


def test_the_purge_removes_invitations_with_the_signups(tree):
    past = factories.focus_group(tree.focus_groups, days_from_today=-200, by_invitation=True)
    Invitation.objects.create(event=past, email=ANN)

    services.purge(90)

    assert not Invitation.objects.filter(event=past).exists()


# Through HTTP --------------------------------------------------------------------------


def test_the_page_says_it_is_by_invitation_and_whom_to_ask(client, invited_only):
    page = client.get(invited_only.url).content.decode()

    assert "This focus group is by invitation only" in page
    assert f"mailto:{invited_only.contact.email}" in page
    assert 'name="full_name"' not in page


def test_the_invitation_link_opens_the_form_with_the_address_filled_in(client, invited_only):
    invite(invited_only, ANN)

    page = client.get(link_in(mail.outbox[0])).content.decode()

    assert 'name="full_name"' in page
    assert f'value="{ANN}"' in page
    assert 'name="invitation"' in page


def test_signing_up_with_the_link_works_once(client, invited_only):
    invite(invited_only, ANN)
    token = token_in(mail.outbox[0])

    first = client.post(invited_only.url, form_data(invitation=token))
    again = client.post(invited_only.url, form_data(invitation=token, email="x@example.nhs.uk"))

    assert first.status_code == 303
    assert Signup.objects.get(email=ANN).status == Signup.Status.CONFIRMED
    assert again.status_code == 409
    assert "already been used" in again.content.decode()
    assert not Signup.objects.filter(email="x@example.nhs.uk").exists()


def test_another_address_is_refused_next_to_the_field(client, invited_only):
    invite(invited_only, ANN)
    token = token_in(mail.outbox[0])

    response = client.post(invited_only.url, form_data(invitation=token, email="b@example.nhs.uk"))

    assert response.status_code == 200
    assert "Enter the email address this invitation was sent to" in response.content.decode()
    assert not Signup.objects.exists()


def test_no_or_a_forged_invitation_is_refused(client, invited_only):
    for token in ("", "forged"):
        response = client.post(invited_only.url, form_data(invitation=token))
        assert response.status_code == 409
    assert not Signup.objects.exists()


# The admin -----------------------------------------------------------------------------


@pytest.fixture
def organiser(django_user_model):
    user = django_user_model.objects.create_user("organiser", "o@example.nhs.uk", "pw")
    user.groups.add(*Group.objects.filter(name__in=["Organisers", "Editors"]))
    return user


def invite_url(event):
    return reverse("culture_focus_groups:invite", args=[event.pk])


def test_the_organiser_pastes_a_list_as_outlook_copies_it(client, organiser, invited_only):
    client.force_login(organiser)
    pasted = f"Ann Able <{ANN}>; Bob Brown <bob.brown@example.nhs.uk>\ncat.cole@example.nhs.uk"

    done = client.post(invite_url(invited_only), {"addresses": pasted, "language": "en-gb"})
    page = client.get(invite_url(invited_only)).content.decode()

    assert done.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        ANN,
        "bob.brown@example.nhs.uk",
        "cat.cole@example.nhs.uk",
    ]
    assert page.count("data-invitation") == 3


def test_a_list_with_a_wrong_address_invites_nobody_and_names_it(client, organiser, invited_only):
    client.force_login(organiser)

    response = client.post(
        invite_url(invited_only), {"addresses": f"{ANN}, not-an-address", "language": "en-gb"}
    )

    assert response.status_code == 200
    assert "Not email addresses: not-an-address" in response.content.decode()
    assert not Invitation.objects.exists() and mail.outbox == []


def test_an_editor_cannot_invite(client, invited_only, django_user_model):
    editor = django_user_model.objects.create_user("editor", "e@example.nhs.uk", "pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    client.post(invite_url(invited_only), {"addresses": ANN, "language": "en-gb"})

    assert not Invitation.objects.exists()
