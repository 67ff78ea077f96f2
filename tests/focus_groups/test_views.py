"""The public signup journey: the form on a focus group's page, the result, cancel links."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from culture_cms.focus_groups import services
from culture_cms.focus_groups.models import FocusGroupEventPage, OutboundEmail, Signup
from tests import factories
from tests.factories.focus_groups import online_focus_group, welsh_translation

Status = Signup.Status


@pytest.fixture
def other_event(tree):
    """Another focus group, a week after the first."""
    return factories.focus_group(tree.focus_groups, days_from_today=21, contact=tree.contact)


def details(**overrides):
    data = {
        "full_name": "Ada Lovelace",
        "email": "ada.lovelace@example.nhs.uk",
        "staff_group": "nursing",
        "job_role": "Staff nurse",
        "department": "Ward 7",
        "access_needs": "",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def sign_up(client, event, **overrides):
    return client.post(event.url, details(**overrides))


def set_event(event, **fields):
    """Change a focus group's times or places directly, as the clock would."""
    FocusGroupEventPage.objects.filter(pk=event.pk).update(**fields)
    event.refresh_from_db()


def main(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


# The form --------------------------------------------------------------------------------


def test_the_event_page_shows_the_form_and_the_places_left(client, event):
    response = client.get(event.url)

    html = main(response)
    assert response.status_code == 200
    assert '<form method="post"' in html
    for field in ["full_name", "email", "staff_group_0", "job_role", "department", "consent"]:
        assert f'id="id_{field}"' in html
    assert "10 places:" in html and "10 left" in html
    assert "confidential" in html and event.contact.name in html


def test_places_left_count_confirmed_signups_only(client, event):
    sign_up(client, event)
    sign_up(client, event, email="grace.hopper@example.nhs.uk")
    services.cancel(Signup.objects.get(email="grace.hopper@example.nhs.uk"))

    assert "9 left" in main(client.get(event.url))


def test_signing_up_redirects_to_a_page_that_confirms_the_place(client, event):
    response = sign_up(client, event)

    assert response.status_code == 303
    assert response["Location"].startswith(f"{event.url}signed-up/?ref=")
    result = client.get(response["Location"])
    assert result.status_code == 200
    assert "Your place is confirmed" in main(result)
    assert "ada.lovelace@example.nhs.uk" in main(result)
    assert result["Cache-Control"].startswith("max-age=0")
    signup = Signup.objects.get()
    assert (signup.status, signup.full_name, signup.staff_group, signup.job_role) == (
        Status.CONFIRMED,
        "Ada Lovelace",
        "nursing",
        "Staff nurse",
    )
    assert signup.language == "en-gb"
    assert signup.user is None


def test_signing_up_queues_the_participant_and_contact_emails(client, event):
    sign_up(client, event)

    signup = Signup.objects.get()
    kinds = set(signup.emails.values_list("kind", flat=True))
    assert kinds == {OutboundEmail.Kind.CONFIRMED, OutboundEmail.Kind.CONTACT_SIGNUP}
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(["ada.lovelace@example.nhs.uk", event.contact.email])


def test_names_are_stored_without_surrounding_space(client, event):
    sign_up(client, event, full_name="  Ada Lovelace \n", email=" ada@example.nhs.uk ")

    signup = Signup.objects.get()
    assert (signup.full_name, signup.email) == ("Ada Lovelace", "ada@example.nhs.uk")


def test_a_full_focus_group_puts_people_on_the_waitlist_with_their_position(client, event):
    set_event(event, capacity=1)
    sign_up(client, event, email="first@example.nhs.uk")
    sign_up(client, event, email="second@example.nhs.uk")

    page = main(client.get(event.url))
    assert "full, but you can join the waitlist" in page
    assert "Join the waitlist" in page

    response = sign_up(client, event, email="third@example.nhs.uk")
    result = main(client.get(response["Location"]))
    assert "You are on the waitlist" in result
    assert "You are number 2 on the waitlist" in result
    assert Signup.objects.get(email="third@example.nhs.uk").status == Status.WAITLISTED


def test_the_same_email_again_is_told_already_booked_and_nothing_is_added(client, event):
    sign_up(client, event)

    response = sign_up(client, event, email="Ada.Lovelace@Example.NHS.uk", full_name="Ada L")

    assert response.status_code == 303
    result = client.get(response["Location"])
    assert result.status_code == 200
    assert "This email address is already booked" in main(result)
    assert Signup.objects.count() == 1
    assert Signup.objects.get().full_name == "Ada Lovelace"


def test_a_colleagues_address_shows_nothing_of_their_booking(client, event):
    """Privacy: typing someone else's work email shows none of what they gave."""
    sign_up(
        client,
        event,
        job_role="Ward sister",
        department="Ward 7, Northshire General",
        access_needs="A hearing loop, please",
    )
    stranger = Client()

    response = sign_up(stranger, event, full_name="Someone Else", job_role="", department="")
    result = stranger.get(response["Location"])

    page = result.content.decode()
    for detail in [
        "Ada Lovelace",
        "ada.lovelace@example.nhs.uk",
        "Nursing and midwifery",
        "Ward sister",
        "Ward 7, Northshire General",
        "A hearing loop",
    ]:
        assert detail not in page
    assert "ref=" not in response["Location"]
    assert result["Cache-Control"].startswith("max-age=0")


def test_booking_again_sends_the_booking_to_its_address_at_most_once_in_ten_minutes(client, event):
    sign_up(client, event)
    [confirmation] = [m for m in mail.outbox if m.to == ["ada.lovelace@example.nhs.uk"]]
    mail.outbox.clear()

    sign_up(client, event, full_name="Someone Else")
    sign_up(client, event, full_name="Someone Else")

    [again] = mail.outbox  # to the address only: the contact hears of no new signup
    assert (again.to, again.subject) == (confirmation.to, confirmation.subject)
    assert [name for name, _content, _type in again.attachments] == ["focus-group.ics"]
    signup = Signup.objects.get()
    later = timezone.now() + datetime.timedelta(minutes=11)
    services.sign_up(event, language="en-gb", now=later, **signup_details(signup))
    assert len(mail.outbox) == 2
    assert signup.emails.filter(kind=OutboundEmail.Kind.CONFIRMED).count() == 3


def test_booking_again_from_the_waitlist_sends_the_waitlist_email(client, event):
    set_event(event, capacity=1)
    sign_up(client, event, email="first@example.nhs.uk")
    sign_up(client, event)
    mail.outbox.clear()

    sign_up(client, event)

    [again] = mail.outbox
    assert again.to == ["ada.lovelace@example.nhs.uk"]
    ada = Signup.objects.get(email="ada.lovelace@example.nhs.uk")
    assert sorted(ada.emails.values_list("kind", flat=True)) == [
        OutboundEmail.Kind.CONTACT_SIGNUP,
        OutboundEmail.Kind.WAITLISTED,
        OutboundEmail.Kind.WAITLISTED,
    ]


def test_a_signed_in_person_booking_again_sees_their_own_booking(client, event):
    user = get_user_model().objects.create_user("ada", "ada.lovelace@example.nhs.uk", "-")
    client.force_login(user)
    sign_up(client, event)

    response = sign_up(client, event)

    result = main(client.get(response["Location"]))
    assert "You are already booked" in result
    assert "Staff nurse" in result


def signup_details(signup):
    fields = ["full_name", "email", "staff_group"]
    return {field: getattr(signup, field) for field in fields}


def test_pasted_line_breaks_are_kept_as_line_breaks_and_control_characters_dropped(client, event):
    response = sign_up(
        client,
        event,
        department="Ward\x07 7",
        access_needs="A hearing loop\x0bStep-free access\r\nA break\x01",
    )

    assert response.status_code == 303
    signup = Signup.objects.get()
    assert signup.department == "Ward 7"
    assert signup.access_needs == "A hearing loop\nStep-free access\nA break"


def test_html_in_any_field_is_stored_as_typed_and_escaped_on_the_result_page(client, event):
    typed = {
        "full_name": "<script>alert('name')</script>",
        "job_role": "<b>Nurse</b>",
        "department": '<img src=x onerror="alert(1)">',
        "access_needs": "<a href='https://evil.example'>help</a>",
    }

    response = sign_up(client, event, **typed)

    signup = Signup.objects.get()
    for field, value in typed.items():
        assert getattr(signup, field) == value
    result = main(client.get(response["Location"]))
    for value in typed.values():
        assert value not in result
        assert escape(value) in result


def test_html_typed_into_a_form_with_errors_comes_back_escaped(client, event):
    response = sign_up(client, event, full_name='"><script>alert(1)</script>', email="nope")

    html = main(response)
    assert "<script>alert(1)</script>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_the_language_of_the_page_is_recorded(client, event):
    welsh = welsh_translation(event)

    response = client.post(welsh.url, details())

    assert response.status_code == 303
    assert response["Location"].startswith("/cy/")
    assert Signup.objects.get().language == "cy"


# Bad input: a message by the field, and nothing saved ----------------------------------

BAD_INPUT = {
    "invalid email": (
        {"email": "ada.lovelace-at-example.nhs.uk"},
        "email",
        "Enter an email address in the correct format, like name@example.nhs.uk",
    ),
    "missing email": ({"email": ""}, "email", "Enter your work email address"),
    "missing name": ({"full_name": "   "}, "full_name", "Enter your full name"),
    "newline in the name": (
        {"full_name": "Ada\r\nBcc: everyone@example.nhs.uk"},
        "full_name",
        "Enter your full name on one line",
    ),
    "line feed alone in the name": (
        {"full_name": "Ada\nLovelace"},
        "full_name",
        "Enter your full name on one line",
    ),
    "newline in the job role": (
        {"job_role": "Nurse\nX-Header: 1"},
        "job_role",
        "Enter your job role on one line",
    ),
    "missing consent": ({"consent": None}, "consent", "Confirm you have read the"),
    "missing staff group": ({"staff_group": None}, "staff_group", "Select your staff group"),
    "unknown staff group": (
        {"staff_group": "astronaut"},
        "staff_group",
        "Select your staff group",
    ),
    "overlong name": (
        {"full_name": "A" * 201},
        "full_name",
        "Full name must be 200 characters or fewer",
    ),
    "overlong email": (
        {"email": "a" * 245 + "@nhs.net.uk"},
        "email",
        "Email address must be 254 characters or fewer",
    ),
    "overlong job role": (
        {"job_role": "J" * 201},
        "job_role",
        "Job role must be 200 characters or fewer",
    ),
    "overlong department": (
        {"department": "D" * 201},
        "department",
        "Department or site must be 200 characters or fewer",
    ),
    "overlong access needs": (
        {"access_needs": "N" * 1001},
        "access_needs",
        "Access needs must be 1000 characters or fewer",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_refused_by_the_field_and_nothing_is_saved(client, event, case):
    overrides, field, message = BAD_INPUT[case]

    response = sign_up(client, event, **overrides)

    assert response.status_code == 200
    html = main(response)
    # In the error summary, linked to the field ...
    anchor = f"id_{field}_0" if field == "staff_group" else f"id_{field}"
    summary = html[html.index("nhsuk-error-summary") : html.index("<h1")]
    assert re.search(rf'<a href="#{anchor}">{re.escape(message)}', summary), summary
    # ... and next to the field itself.
    error = html[html.index(f'<span class="nhsuk-error-message" id="id_{field}_error">') :]
    assert message in error[: error.index("</span>\n")]
    assert "nhsuk-form-group--error" in html
    assert response.context["form"].errors
    assert "<title>Error:" in response.content.decode()
    assert Signup.objects.count() == 0
    assert OutboundEmail.objects.count() == 0
    assert mail.outbox == []


def test_an_invalid_field_is_marked_invalid_and_described_by_its_error(client, event):
    html = main(sign_up(client, event, email="nope"))

    field = re.search(r'<input type="email"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_email_helptext id_email_error"' in field
    assert "nhsuk-input--error" in field


def test_the_error_summary_is_an_alert_that_takes_focus(client, event):
    html = main(sign_up(client, event, email="nope"))

    summary = re.search(r'<div class="nhsuk-error-summary"[^>]*>\s*<div role="alert">', html)
    assert summary
    assert 'tabindex="-1"' in summary.group(0)
    assert 'data-module="nhsuk-error-summary"' in summary.group(0)


# CSRF -----------------------------------------------------------------------------------


def test_a_post_without_a_csrf_token_gets_a_clear_403_page(event):
    client = Client(enforce_csrf_checks=True)

    response = client.post(event.url, details())

    assert response.status_code == 403
    html = response.content.decode()
    assert "Your session has expired" in html
    assert "nhsuk-header" in html  # the site's own chrome
    assert Signup.objects.count() == 0


def test_a_post_with_a_stale_csrf_token_gets_the_403_page(event):
    client = Client(enforce_csrf_checks=True)
    client.get(event.url)  # sets the CSRF cookie
    stale = "x" * 64

    response = client.post(event.url, {**details(), "csrfmiddlewaretoken": stale})

    assert response.status_code == 403
    assert "Your session has expired" in response.content.decode()
    assert Signup.objects.count() == 0


def test_a_post_with_the_pages_csrf_token_signs_up(event):
    client = Client(enforce_csrf_checks=True)
    html = client.get(event.url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    response = client.post(event.url, {**details(), "csrfmiddlewaretoken": token})

    assert response.status_code == 303
    assert Signup.objects.count() == 1


# Closed, not yet open, started -----------------------------------------------------------


def hours(n):
    return timezone.now() + datetime.timedelta(hours=n)


WINDOWS = {
    "closed": ({"signup_closes": hours(-1)}, "Signup for this focus group has closed."),
    "not yet open": ({"signup_opens": hours(24)}, "Signup opens on"),
    "started": (
        {"start": hours(-1), "end": hours(1), "signup_closes": None},
        "This focus group has already started",
    ),
}


@pytest.mark.parametrize("case", ["closed", "not yet open"])
def test_the_page_says_why_signup_is_not_open_and_shows_no_form(client, event, case):
    fields, message = WINDOWS[case]
    set_event(event, **fields)

    html = main(client.get(event.url))

    assert message in html
    assert "<form" not in html


@pytest.mark.parametrize("case", WINDOWS)
def test_a_signup_outside_the_window_is_refused_on_the_page_and_nothing_saved(client, event, case):
    fields, message = WINDOWS[case]
    set_event(event, **fields)

    response = sign_up(client, event)

    assert response.status_code == 409
    if case != "started":  # a started group's page says it has taken place instead
        assert message in main(response)
    assert "<form" not in main(response)
    assert Signup.objects.count() == 0


def test_a_past_focus_group_shows_no_form(client, event):
    set_event(event, start=hours(-48), end=hours(-46), signup_closes=None)

    html = main(client.get(event.url))

    assert "This focus group has taken place" in html
    assert "<form" not in html


# The result page ------------------------------------------------------------------------


def test_the_result_page_refuses_a_forged_reference(client, event):
    response = client.get(f"{event.url}signed-up/", {"ref": "forged:reference"})

    assert response.status_code == 400
    assert "We cannot show this booking" in main(response)


def test_the_result_page_refuses_another_focus_groups_reference(client, event, other_event):
    first, second = event, other_event
    location = sign_up(client, first)["Location"]
    ref = location.split("ref=")[1]

    response = client.get(f"{second.url}signed-up/", {"ref": ref})

    assert response.status_code == 400


# Sign-in required ---------------------------------------------------------------------


@pytest.fixture
def staff_member(db):
    return get_user_model().objects.create_user(
        username="ada",
        email="ada.l@example.nhs.uk",
        password="pass",
        first_name="Ada",
        last_name="Lovelace",
    )


@override_settings(CULTURE_CMS_LOGIN_REQUIRED=True)
@pytest.mark.parametrize("method", ["get", "post"])
def test_with_login_required_anonymous_readers_are_sent_to_sign_in(client, event, method):
    response = getattr(client, method)(event.url, details())

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")
    assert Signup.objects.count() == 0


@override_settings(CULTURE_CMS_LOGIN_REQUIRED=True)
@pytest.mark.parametrize("route", ["signed-up/", "calendar/"])
def test_with_login_required_the_event_pages_routes_need_sign_in_too(client, event, route):
    assert client.get(f"{event.url}{route}").status_code == 302


@override_settings(CULTURE_CMS_LOGIN_REQUIRED=True)
def test_with_login_required_the_form_is_prefilled_and_the_signup_records_the_user(
    client, event, staff_member
):
    client.force_login(staff_member)

    html = main(client.get(event.url))
    assert re.search(r'<input type="text" name="full_name" value="Ada Lovelace"', html)
    assert re.search(r'<input type="email" name="email" value="ada.l@example.nhs.uk"', html)

    response = sign_up(client, event, full_name="Ada Lovelace", email="ada.l@example.nhs.uk")
    assert response.status_code == 303
    assert Signup.objects.get().user == staff_member


@override_settings(CULTURE_CMS_LOGIN_REQUIRED=True)
def test_prefill_falls_back_to_the_username(client, event, staff_member):
    staff_member.first_name = staff_member.last_name = ""
    staff_member.save()
    client.force_login(staff_member)

    html = main(client.get(event.url))

    assert re.search(r'name="full_name" value="ada"', html)


def test_without_login_required_anonymous_readers_can_sign_up(client, event):
    assert client.get(event.url).status_code == 200
    assert sign_up(client, event).status_code == 303


# Cancel links --------------------------------------------------------------------------


@pytest.fixture
def booked(client, event):
    sign_up(client, event)
    mail.outbox.clear()
    return Signup.objects.get()


def cancel_url(signup):
    return f"/signups/cancel/{services.cancel_token(signup)}/"


def test_opening_a_cancel_link_shows_the_place_and_changes_nothing(client, booked):
    response = client.get(cancel_url(booked))

    assert response.status_code == 200
    html = main(response)
    assert booked.event.title in html
    assert "Ada Lovelace" in html
    assert "Cancel my place" in html and '<form method="post"' in html
    booked.refresh_from_db()
    assert booked.status == Status.CONFIRMED
    assert mail.outbox == []


def test_the_cancel_link_is_the_one_the_emails_use(booked):
    from django.urls import reverse

    token = services.cancel_token(booked)
    assert reverse("culture_cms:cancel", args=[token]) == f"/signups/cancel/{token}/"


def test_cancel_button_cancels_the_place_and_tells_participant_and_contact(client, booked):
    response = client.post(cancel_url(booked))

    assert response.status_code == 200
    assert "Your place has been cancelled" in main(response)
    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED
    kinds = set(booked.emails.values_list("kind", flat=True))
    assert {OutboundEmail.Kind.CANCELLED, OutboundEmail.Kind.CONTACT_CANCELLATION} <= kinds
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {"ada.lovelace@example.nhs.uk", booked.event.contact.email}


def test_cancelling_promotes_the_first_person_on_the_waitlist_and_emails_them(client, event):
    set_event(event, capacity=1)
    sign_up(client, event, email="first@example.nhs.uk")
    sign_up(client, event, email="second@example.nhs.uk")
    sign_up(client, event, email="third@example.nhs.uk")
    first = Signup.objects.get(email="first@example.nhs.uk")
    mail.outbox.clear()

    client.post(cancel_url(first))

    statuses = dict(Signup.objects.values_list("email", "status"))
    assert statuses == {
        "first@example.nhs.uk": Status.CANCELLED,
        "second@example.nhs.uk": Status.CONFIRMED,
        "third@example.nhs.uk": Status.WAITLISTED,
    }
    promoted = Signup.objects.get(email="second@example.nhs.uk")
    assert promoted.emails.filter(kind=OutboundEmail.Kind.PROMOTED).count() == 1
    assert any(message.to == ["second@example.nhs.uk"] for message in mail.outbox)
    assert Signup.objects.get(email="third@example.nhs.uk").waitlist_position == 1


def test_a_used_cancel_link_is_refused_and_cancels_nothing_more(client, booked):
    url = cancel_url(booked)
    client.post(url)
    mail.outbox.clear()

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 410
        assert "This place has already been cancelled." in main(response)
    assert mail.outbox == []


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "not-a-token",
        lambda token: signing.dumps(999999, salt=services.CANCEL_SALT),
    ],
    ids=["tampered signature", "garbage", "no such signup"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_cancel_link_is_refused(client, booked, mangle, method):
    url = f"/signups/cancel/{mangle(services.cancel_token(booked))}/"

    response = getattr(client, method)(url)

    assert response.status_code == 400
    assert "This cancel link is not valid." in main(response)
    booked.refresh_from_db()
    assert booked.status == Status.CONFIRMED


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_cancel_link_is_refused(client, booked, method):
    url = cancel_url(booked)

    with override_settings(CULTURE_CMS_CANCEL_LINK_MAX_AGE=-1):
        response = getattr(client, method)(url)

    assert response.status_code == 410
    assert "This cancel link has expired." in main(response)
    booked.refresh_from_db()
    assert booked.status == Status.CONFIRMED


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_cancel_link_for_a_focus_group_that_has_started_is_refused(client, booked, method):
    set_event(booked.event, start=hours(-1), end=hours(1), signup_closes=None)

    response = getattr(client, method)(cancel_url(booked))

    assert response.status_code == 410
    assert "already started" in main(response)
    booked.refresh_from_db()
    assert booked.status == Status.CONFIRMED


def test_a_cancel_post_needs_the_csrf_token(booked):
    client = Client(enforce_csrf_checks=True)

    response = client.post(cancel_url(booked))

    assert response.status_code == 403
    booked.refresh_from_db()
    assert booked.status == Status.CONFIRMED


# Preview ----------------------------------------------------------------------------------


def test_a_new_focus_group_previews_with_its_signup_form(admin_client, tree):
    from django.urls import reverse
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=["culture_focus_groups", "focusgroupeventpage", tree.focus_groups.pk],
    )
    start = timezone.localtime(hours(24 * 30))
    data = nested_form_data(
        {
            "title": "A new focus group",
            "slug": "a-new-focus-group",
            "start": start.strftime("%Y-%m-%d %H:%M"),
            "end": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
            "venue": "Room 1",
            "capacity": 6,
            "description": streamfield([]),
        }
    )

    assert admin_client.post(url, data).json()["is_valid"]
    response = admin_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "A new focus group" in html and "6 left" in html
    assert 'id="id_full_name"' in html


# Joining details only for the people with a place


@pytest.fixture
def online(tree):
    return online_focus_group(tree.focus_groups, contact=tree.contact, capacity=1)


def joining_secrets(event):
    return [event.joining_link, event.joining_details]


def test_the_joining_details_are_not_on_the_public_page_nor_in_its_calendar_files(client, online):
    public = [
        client.get(online.url),
        client.get(online.url + "calendar/"),
        client.get(reverse("culture_cms:calendar_feed")),
    ]

    for response in public:
        assert response.status_code == 200
        for secret in joining_secrets(online):
            assert secret not in response.content.decode()
    assert "in the confirmation email of everyone with a place" in main(public[0])


def test_the_joining_details_are_on_the_result_page_of_a_confirmed_person_only(client, online):
    confirmed = client.get(sign_up(client, online)["Location"])
    waitlisted = client.get(sign_up(client, online, email="grace@example.nhs.uk")["Location"])

    assert "Your place is confirmed" in main(confirmed)
    for secret in joining_secrets(online):
        assert secret in main(confirmed)
    assert "You are on the waitlist" in main(waitlisted)
    for secret in joining_secrets(online):
        assert secret not in main(waitlisted)
