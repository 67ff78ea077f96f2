"""The Signups admin: who sees signup data, the list, exports, cancel, move, emails, report.

Signups are made through services.sign_up, as the public form makes them. The
task backend is the dummy one: emails are recorded (with their statuses) but
not sent, so these tests are about the admin alone.
"""

import csv
import datetime
import io
import json
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ReferenceIndex

from culture_cms.focus_groups import services
from culture_cms.focus_groups.admin_views.exports import neutralise_formula
from culture_cms.focus_groups.models import (
    FocusGroupEventPage,
    FocusGroupIndexPage,
    OutboundEmail,
    Signup,
)
from tests import factories
from tests.factories import sign_up
from tests.factories.focus_groups import welsh_translation
from tests.factories.module_data import built_once

Status = Signup.Status
Kind = OutboundEmail.Kind

INDEX = reverse("culture_focus_groups:index")
EMAILS = reverse("culture_signup_emails:index")
REPORT = reverse("culture_focus_groups:report")
EVIL = '=HYPERLINK("http://evil")'
SCRIPT = "<script>alert(1)</script>"


# Emails are recorded and queued but never sent: these tests are about the admin.
pytestmark = pytest.mark.usefixtures("queue_only")


def build():
    tree = factories.site_tree()
    tree.events = [
        factories.focus_group(tree.focus_groups, days_from_today=days, contact=tree.contact)
        for days in (14, 21, 35)
    ]
    return tree


# Made once for the module (tests/factories/module_data.py); each test has its copy.
built, made = built_once(build)


@pytest.fixture
def tree(made):
    """A minimal site with three focus groups ahead, in order: in two, three and five weeks."""
    return made


@pytest.fixture
def event(tree):
    """The first focus group, with two places."""
    event = tree.events[0]
    event.capacity = 2
    event.save()
    return event


def book(event, name, **fields):
    return sign_up(event, name, **fields).signup


@pytest.fixture
def signups(event):
    """Two confirmed (Ann, Bob) and one waitlisted (Cat) on the first focus group."""
    return [book(event, "Ann Able"), book(event, "Bob Brown"), book(event, "Cat Cole")]


def user_in(django_user_model, username, *groups):
    user = django_user_model.objects.create_user(username, f"{username}@example.nhs.uk", "pw")
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def people(db, django_user_model):
    """Everyone who might open the admin. The organiser is an editor too, to edit events."""
    admin_only = django_user_model.objects.create_user("admin-only", password="pw")
    admin_only.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return {
        "superuser": django_user_model.objects.create_superuser("root", "root@example.nhs.uk"),
        "organiser": user_in(django_user_model, "organiser", "Organisers", "Editors"),
        "editor": user_in(django_user_model, "editor", "Editors"),
        "admin-only": admin_only,
    }


ALLOWED = ["superuser", "organiser"]
REFUSED = ["editor", "admin-only"]


@pytest.fixture
def as_organiser(client, people):
    client.force_login(people["organiser"])
    return client


def download(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(download(response).decode())))


def xlsx_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(download(response))).active
    heading, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(heading, row, strict=True)) for row in rows], sheet


def inspect_url(signup):
    return reverse("culture_focus_groups:inspect", args=[signup.pk])


def signup_urls(signup, event):
    return [
        INDEX,
        f"{INDEX}?event={event.pk}",
        f"{INDEX}?q=Ann",
        reverse("culture_focus_groups:index_results"),
        f"{INDEX}?export=csv",
        f"{INDEX}?export=xlsx",
        inspect_url(signup),
        reverse("culture_focus_groups:cancel", args=[signup.pk]),
        reverse("culture_focus_groups:move", args=[signup.pk]),
        REPORT,
        reverse("culture_focus_groups:report_event", args=[event.pk]),
        EMAILS,
        reverse("culture_signup_emails:inspect", args=[signup.emails.first().pk]),
        # No hint of which signups exist: the same answer as for one that does.
        reverse("culture_focus_groups:inspect", args=[signup.pk + 1000]),
        reverse("culture_focus_groups:cancel", args=[signup.pk + 1000]),
        reverse("culture_signup_emails:inspect", args=[signup.pk + 1000]),
    ]


# The Organisers group ----------------------------------------------------------------


def test_organisers_group_holds_the_signup_permissions(db):
    organisers = Group.objects.get(name="Organisers")

    granted = set(
        organisers.permissions.filter(
            content_type__app_label__in=["culture_focus_groups", "wagtailadmin"]
        ).values_list("content_type__app_label", "codename")
    )

    assert granted == {
        ("culture_focus_groups", "add_signup"),
        ("culture_focus_groups", "change_signup"),
        ("culture_focus_groups", "delete_signup"),
        ("culture_focus_groups", "view_signup"),
        ("culture_focus_groups", "view_outboundemail"),
        ("wagtailadmin", "access_admin"),
    }


# Who sees signup data ----------------------------------------------------------------


@pytest.mark.parametrize("who", ALLOWED)
def test_superuser_and_organiser_see_the_menu_list_inspect_and_emails(client, people, signups, who):
    client.force_login(people[who])
    ann = signups[0]

    assert INDEX in client.get(reverse("wagtailadmin_home")).content.decode()
    assert ann.email in client.get(INDEX).content.decode()
    inspected = client.get(inspect_url(ann))
    assert inspected.status_code == 200
    assert ann.email in inspected.content.decode()
    assert ann.email in client.get(EMAILS).content.decode()


@pytest.mark.parametrize("who", ALLOWED)
def test_superuser_and_organiser_can_export_and_open_the_report(
    client, people, event, signups, who
):
    client.force_login(people[who])

    assert len(csv_rows(client.get(INDEX, {"export": "csv"}))) == 3
    assert len(xlsx_rows(client.get(INDEX, {"export": "xlsx"}))[0]) == 3
    assert client.get(REPORT).status_code == 200
    report = client.get(reverse("culture_focus_groups:report_event", args=[event.pk]))
    assert report.context["total"] == 3


@pytest.mark.parametrize("who", ALLOWED)
def test_the_report_is_under_reports_for_those_who_may_see_signups(client, people, who):
    client.force_login(people[who])

    assert sidebar_item(client, "reports", REPORT)


@pytest.mark.parametrize("who", REFUSED)
def test_others_have_no_report_under_reports(client, people, who):
    client.force_login(people[who])

    assert not sidebar_item(client, "reports", REPORT)


def sidebar_item(client, menu, url):
    """Whether the admin sidebar's submenu named `menu` links to `url`."""
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    props = json.loads(re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', home, re.S)[1])
    main = next(m for m in props["modules"] if m["_type"] == "wagtail.sidebar.MainMenuModule")
    submenus = [item["_args"] for item in main["_args"][0] if item["_type"].endswith("SubMenuItem")]
    children = next((items for meta, items in submenus if meta["name"] == menu), [])
    return any(child["_args"][0].get("url") == url for child in children)


@pytest.mark.parametrize("who", REFUSED)
def test_others_get_no_signup_data_from_any_admin_url(client, people, event, signups, who):
    client.force_login(people[who])

    for url in signup_urls(signups[0], event):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert not response.url.startswith(INDEX), url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Ann Able" not in body and b"ann.able@" not in body, url


@pytest.mark.parametrize("who", REFUSED)
def test_others_cannot_cancel_or_move_by_posting(client, people, tree, signups, who):
    client.force_login(people[who])
    ann = signups[0]

    client.post(reverse("culture_focus_groups:cancel", args=[ann.pk]))
    client.post(reverse("culture_focus_groups:move", args=[ann.pk]), {"event": tree.events[1].pk})

    ann.refresh_from_db()
    assert (ann.status, ann.event_id) == (Status.CONFIRMED, signups[0].event_id)


@pytest.mark.parametrize("who", REFUSED)
def test_others_have_no_signups_menu_item_or_search_area(client, people, signups, who):
    client.force_login(people[who])

    home = client.get(reverse("wagtailadmin_home")).content.decode()
    search = client.get(reverse("wagtailadmin_pages:search"), {"q": "Ann"}).content.decode()

    assert INDEX not in home and EMAILS not in home
    assert INDEX not in search and "Ann Able" not in search


def test_organiser_search_offers_the_signups_search_area(as_organiser, signups):
    search = as_organiser.get(reverse("wagtailadmin_pages:search"), {"q": "Ann"})

    assert f"{INDEX}?q=Ann" in search.content.decode()


def test_editor_sees_no_signup_count_on_the_focus_group_edit_view(client, people, signups):
    client.force_login(people["editor"])

    response = client.get(reverse("wagtailadmin_pages:edit", args=[signups[0].event_id]))

    assert response.status_code == 200
    assert "on the waitlist" not in response.content.decode()
    assert INDEX not in response.content.decode()


def test_signups_are_not_in_the_reference_index_so_page_usage_never_lists_them(db):
    assert not ReferenceIndex.is_indexed(Signup)
    assert not ReferenceIndex.is_indexed(OutboundEmail)


# The event edit view -----------------------------------------------------------------


@pytest.mark.parametrize("who", ALLOWED)
def test_focus_group_edit_view_shows_the_count_and_links(client, people, event, signups, who):
    client.force_login(people[who])

    page = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content.decode()

    assert "2 confirmed of 2, 1 on the waitlist" in " ".join(page.split())
    assert f"{INDEX}?event={event.pk}" in page
    assert reverse("culture_focus_groups:report_event", args=[event.pk]) in page


def test_focus_group_create_view_has_no_signup_panel(client, people, tree):
    client.force_login(people["superuser"])
    url = reverse(
        "wagtailadmin_pages:add",
        args=["culture_focus_groups", "focusgroupeventpage", tree.focus_groups.pk],
    )

    response = client.get(url)

    assert response.status_code == 200
    assert "on the waitlist" not in response.content.decode()


# The list ----------------------------------------------------------------------------


@pytest.fixture
def two_groups(tree, signups):
    """The three signups on the first group, and Dan confirmed on the second."""
    return signups + [book(tree.events[1], "Dan Dell")]


def listed(client, **params):
    return {signup.full_name for signup in client.get(INDEX, params).context["object_list"]}


def test_list_filters_by_focus_group_as_the_contact_email_links_it(as_organiser, two_groups):
    first, second = two_groups[0].event, two_groups[3].event

    assert listed(as_organiser, event=first.pk) == {"Ann Able", "Bob Brown", "Cat Cole"}
    assert listed(as_organiser, event=second.pk) == {"Dan Dell"}


def test_list_filters_by_status(as_organiser, two_groups):
    assert listed(as_organiser, status="waitlisted") == {"Cat Cole"}
    assert listed(as_organiser, status="confirmed") == {"Ann Able", "Bob Brown", "Dan Dell"}


def test_list_searches_names_and_emails(as_organiser, two_groups):
    assert listed(as_organiser, q="bob") == {"Bob Brown"}
    assert listed(as_organiser, q="dan.dell@") == {"Dan Dell"}


def test_list_shows_waitlist_positions_as_the_model_counts_them(as_organiser, event, signups):
    later = book(event, "Eve Ede")

    rows = as_organiser.get(INDEX).context["object_list"]

    positions = {row.full_name: row.place_in_line for row in rows}
    assert positions == {"Ann Able": None, "Bob Brown": None, "Cat Cole": 1, "Eve Ede": 2}
    assert later.waitlist_position == 2
    # Searching for one person does not renumber the waitlist.
    (eve,) = as_organiser.get(INDEX, {"q": "Eve"}).context["object_list"]
    assert eve.place_in_line == 2


def test_list_leaves_out_anonymised_signups(as_organiser, event, signups):
    Signup.objects.filter(pk=signups[0].pk).update(full_name="", anonymised_at=timezone.now())

    assert listed(as_organiser) == {"Bob Brown", "Cat Cole"}


def test_list_has_no_add_button_and_no_edit_or_delete_urls(as_organiser, signups):
    page = as_organiser.get(INDEX).content.decode()

    assert "/new/" not in page and "/edit/" not in page and "/delete/" not in page
    assert as_organiser.get(f"{INDEX}new/").status_code == 404
    assert as_organiser.get(f"{INDEX}edit/{signups[0].pk}/").status_code == 404


def test_html_in_a_name_is_escaped_in_the_list_and_inspect_view(as_organiser, event):
    signup = book(event, SCRIPT, email="script@example.nhs.uk", job_role="<b>Nurse</b>")

    for url in (INDEX, inspect_url(signup)):
        page = as_organiser.get(url).content.decode()
        assert SCRIPT not in page and "<b>Nurse</b>" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


# Exports -----------------------------------------------------------------------------


def test_csv_export_has_a_row_per_signup_with_readable_values(as_organiser, event, signups):
    rows = csv_rows(as_organiser.get(INDEX, {"export": "csv", "event": event.pk}))

    by_name = {row["Full name"]: row for row in rows}
    assert set(by_name) == {"Ann Able", "Bob Brown", "Cat Cole"}
    assert by_name["Cat Cole"]["Status"] == "Waitlisted"
    assert by_name["Cat Cole"]["Waitlist position"] == "1"
    assert by_name["Ann Able"]["Staff group"] == "Nursing and midwifery"
    assert by_name["Ann Able"]["Work email"] == "ann.able@example.nhs.uk"
    assert by_name["Ann Able"]["Focus group"] == event.title


def test_xlsx_export_has_a_row_per_signup_in_uk_time(as_organiser, event, signups):
    rows, _ = xlsx_rows(as_organiser.get(INDEX, {"export": "xlsx"}))

    assert {row["Full name"] for row in rows} == {"Ann Able", "Bob Brown", "Cat Cole"}
    starts = {row["Focus group starts"] for row in rows}
    assert starts == {timezone.make_naive(event.start)}


@pytest.fixture
def evil(event):
    return book(
        event,
        EVIL,
        email="evil@example.nhs.uk",
        job_role="+SUM(1,2)",
        department="-2+3",
        access_needs="@cmd",
    )


def test_csv_export_neutralises_formulas(as_organiser, evil):
    (row,) = csv_rows(as_organiser.get(INDEX, {"export": "csv", "q": "evil"}))

    assert row["Full name"] == "'" + EVIL
    assert row["Job role"] == "'+SUM(1,2)"
    assert row["Department or site"] == "'-2+3"
    assert row["Access needs"] == "'@cmd"
    assert row["Work email"] == "evil@example.nhs.uk"


def test_xlsx_export_neutralises_formulas(as_organiser, evil):
    rows, sheet = xlsx_rows(as_organiser.get(INDEX, {"export": "xlsx", "q": "evil"}))

    (row,) = rows
    assert row["Full name"] == "'" + EVIL
    assert row["Job role"] == "'+SUM(1,2)"
    assert row["Access needs"] == "'@cmd"
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


def test_exports_write_text_pasted_from_word(as_organiser, event):
    """Word's line break pastes as a vertical tab, which an XLSX file cannot hold: the
    exports write it, and any other control character in a signup, without failing."""
    book(
        event,
        "Bell\x07 Ringer",
        email="bell@example.nhs.uk",
        department="Ward\x1f 7",
        access_needs="A hearing loop\x0bStep-free access\x0cA break",
    )

    (row,), _sheet = xlsx_rows(as_organiser.get(INDEX, {"export": "xlsx", "q": "bell"}))
    (csv_row,) = csv_rows(as_organiser.get(INDEX, {"export": "csv", "q": "bell"}))

    assert row["Full name"] == "Bell Ringer"
    assert row["Department or site"] == "Ward 7"
    assert row["Access needs"] == "A hearing loop\nStep-free access\nA break"
    assert csv_row["Access needs"] == "A hearing loop\x0bStep-free access\x0cA break"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ann = Able", "Ann = Able"),
        ("", ""),
        (3, 3),
        (None, None),
    ],
)
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected


# Cancel and move ---------------------------------------------------------------------


def test_cancel_through_the_admin_promotes_the_first_on_the_waitlist(as_organiser, signups):
    ann, _, cat = signups
    url = reverse("culture_focus_groups:cancel", args=[ann.pk])

    assert as_organiser.get(url).status_code == 200
    response = as_organiser.post(url, follow=True)

    ann.refresh_from_db()
    cat.refresh_from_db()
    assert (ann.status, cat.status) == (Status.CANCELLED, Status.CONFIRMED)
    assert cat.emails.filter(kind=Kind.PROMOTED).exists()
    assert ann.emails.filter(kind=Kind.CONTACT_CANCELLATION).exists()
    assert response.redirect_chain[-1][0] == inspect_url(ann)
    assert "signup is cancelled" in response.content.decode()


def test_cancelling_a_no_show_through_the_admin_after_the_start_emails_and_promotes_nobody(
    as_organiser, event, signups
):
    ann, _, cat = signups
    FocusGroupEventPage.objects.filter(pk=event.pk).update(
        start=timezone.now() - datetime.timedelta(minutes=5)
    )
    emails_before = OutboundEmail.objects.count()

    response = as_organiser.post(reverse("culture_focus_groups:cancel", args=[ann.pk]), follow=True)

    ann.refresh_from_db()
    cat.refresh_from_db()
    assert (ann.status, cat.status) == (Status.CANCELLED, Status.WAITLISTED)
    assert OutboundEmail.objects.count() == emails_before
    assert "nobody was emailed and no place went to the waitlist" in response.content.decode()


def test_cancelling_twice_through_the_admin_is_refused_with_a_message(as_organiser, signups):
    ann = signups[0]
    services.cancel(ann)

    response = as_organiser.post(reverse("culture_focus_groups:cancel", args=[ann.pk]), follow=True)

    assert "already been cancelled" in response.content.decode()
    assert ann.emails.filter(kind=Kind.CANCELLED).count() == 1


def test_inspect_offers_cancel_and_move_only_while_active(as_organiser, signups):
    ann = signups[0]
    cancel = reverse("culture_focus_groups:cancel", args=[ann.pk])

    assert cancel in as_organiser.get(inspect_url(ann)).content.decode()
    services.cancel(ann)
    assert cancel not in as_organiser.get(inspect_url(ann)).content.decode()


def test_move_to_a_full_group_joins_its_waitlist(as_organiser, tree, signups):
    target = tree.events[1]
    target.capacity = 1
    target.save()
    book(target, "Dan Dell")
    ann, _, cat = signups

    response = as_organiser.post(
        reverse("culture_focus_groups:move", args=[ann.pk]), {"event": target.pk}, follow=True
    )

    ann.refresh_from_db()
    cat.refresh_from_db()
    assert (ann.event_id, ann.status, ann.waitlist_position) == (target.pk, Status.WAITLISTED, 1)
    assert cat.status == Status.CONFIRMED  # Ann's old place
    assert ann.emails.filter(kind=Kind.MOVED).exists()
    assert "waitlisted" in response.content.decode()


def test_move_to_a_group_with_room_confirms(as_organiser, tree, signups):
    cat = signups[2]

    as_organiser.post(
        reverse("culture_focus_groups:move", args=[cat.pk]), {"event": tree.events[1].pk}
    )

    cat.refresh_from_db()
    assert (cat.event_id, cat.status) == (tree.events[1].pk, Status.CONFIRMED)


def test_move_to_a_closed_group_is_refused_with_a_message(as_organiser, tree, signups):
    target = tree.events[1]
    target.signup_closes = timezone.now() - datetime.timedelta(minutes=1)
    target.save()
    ann = signups[0]

    response = as_organiser.post(
        reverse("culture_focus_groups:move", args=[ann.pk]), {"event": target.pk}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["event"] == ["Signup for this focus group has closed."]
    assert "Signup for this focus group has closed." in response.content.decode()
    ann.refresh_from_db()
    assert (ann.event_id, ann.status) == (tree.events[0].pk, Status.CONFIRMED)
    assert not ann.emails.filter(kind=Kind.MOVED).exists()


def test_move_offers_only_other_focus_groups_yet_to_start(as_organiser, tree, signups):
    ann = signups[0]
    # Each focus group also has a Welsh page, as the demo's have; one is already over.
    for event in tree.events:
        welsh_translation(event)
    over = factories.focus_group(tree.focus_groups, days_from_today=-1, contact=tree.contact)

    form = as_organiser.get(reverse("culture_focus_groups:move", args=[ann.pk])).context["form"]

    offered = set(form.fields["event"].queryset)
    assert ann.event not in offered
    # Of this test's focus groups (in either language): the queryset covers the whole site.
    ours = {event.translation_key for event in [*tree.events, over]}
    offered = {event for event in offered if event.translation_key in ours}
    assert offered == {event for event in tree.events[1:] if event.start > timezone.now()}


# Emails ------------------------------------------------------------------------------


@pytest.fixture
def email_outcomes(signups):
    """Ann's confirmation delivered; Bob's failed after three tries."""
    ann, bob, _ = signups
    ann.emails.filter(kind=Kind.CONFIRMED).update(status=OutboundEmail.Status.DELIVERED)
    bob.emails.filter(kind=Kind.CONFIRMED).update(
        status=OutboundEmail.Status.FAILED, attempts=3, last_error="AnymailAPIError: ESP down"
    )
    return signups


def test_inspect_view_shows_each_email_with_its_status(as_organiser, email_outcomes):
    bob = email_outcomes[1]

    page = as_organiser.get(inspect_url(bob)).content.decode()

    assert "Place confirmed" in page and "Failed" in page
    assert "AnymailAPIError: ESP down" in page
    assert "Signup, to the contact" in page and "Queued" in page


def test_emails_list_filters_by_status_and_kind(as_organiser, email_outcomes):
    failed = as_organiser.get(EMAILS, {"status": "failed"}).context["object_list"]
    delivered = as_organiser.get(EMAILS, {"status": "delivered"}).context["object_list"]
    contact = as_organiser.get(EMAILS, {"kind": "contact_signup"}).context["object_list"]

    assert [email.recipient for email in failed] == ["bob.brown@example.nhs.uk"]
    assert [email.recipient for email in delivered] == ["ann.able@example.nhs.uk"]
    assert len(contact) == 3
    assert "ESP down" in as_organiser.get(EMAILS, {"status": "failed"}).content.decode()


def test_emails_list_filters_by_focus_group(as_organiser, two_groups):
    second = two_groups[3].event

    emails = as_organiser.get(EMAILS, {"event": second.pk}).context["object_list"]

    assert {email.signup.full_name for email in emails} == {"Dan Dell"}


# The report --------------------------------------------------------------------------


def test_report_counts_by_staff_group_and_status_without_names(as_organiser, event, signups):
    book(event, "Fay Fox", staff_group="estates")
    services.cancel(signups[1])

    response = as_organiser.get(reverse("culture_focus_groups:report_event", args=[event.pk]))

    rows = {row["staff_group"]: row["counts"] for row in response.context["rows"]}
    # Columns: confirmed, waitlisted, cancelled, cancelled by the organiser.
    assert rows["Nursing and midwifery"] == [2, 0, 1, 0]
    assert rows["Estates and ancillary"] == [0, 1, 0, 0]
    assert rows["Medical and dental"] == [0, 0, 0, 0]
    assert response.context["totals"] == [2, 1, 1, 0]
    page = response.content.decode()
    for signup in Signup.objects.all():
        assert signup.full_name not in page and signup.email not in page


def test_report_still_counts_signups_after_they_are_anonymised(as_organiser, event, signups):
    later = timezone.now() + datetime.timedelta(days=400)
    assert services.purge(90, now=later) == 3

    response = as_organiser.get(reverse("culture_focus_groups:report_event", args=[event.pk]))

    assert response.context["totals"] == [2, 1, 0, 0]
    assert response.context["anonymised"] == 3
    assert listed(as_organiser) == set()


def test_report_index_lists_each_focus_group_with_its_counts(as_organiser, tree, two_groups):
    rows = {row["event"].pk: row for row in as_organiser.get(REPORT).context["rows"]}

    assert rows[tree.events[0].pk]["counts"] == [2, 1, 0, 0]
    assert rows[tree.events[1].pk]["counts"] == [1, 0, 0, 0]
    assert rows[tree.events[2].pk]["total"] == 0


def test_list_links_to_the_report_for_the_focus_group_it_shows(as_organiser, event, signups):
    report = reverse("culture_focus_groups:report_event", args=[event.pk])

    assert report in as_organiser.get(INDEX, {"event": event.pk}).content.decode()
    assert REPORT in as_organiser.get(INDEX).content.decode()


def test_a_focus_group_with_signups_is_not_deleted(tree, admin_client):
    event = tree.events[0]
    book(event, "Kept")

    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[event.pk]))

    assert response.status_code == 302
    assert FocusGroupEventPage.objects.filter(pk=event.pk).exists()


def test_deleting_the_index_above_a_focus_group_with_signups_is_refused(tree, admin_client):
    book(tree.events[1], "Kept")

    admin_client.post(reverse("wagtailadmin_pages:delete", args=[tree.focus_groups.pk]))

    assert FocusGroupIndexPage.objects.filter(pk=tree.focus_groups.pk).exists()
