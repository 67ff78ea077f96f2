"""A focus group's register: who attended, kept through the rules
(services.record_attendance) and in the admin (admin_views/register.py), printed on A4
before the session; the report's attended counts.

Signups are made through services.sign_up; emails are recorded, never sent.
"""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from culture_cms.focus_groups import services
from culture_cms.focus_groups.models import FocusGroupEventPage, Signup
from tests import factories
from tests.factories import sign_up
from tests.factories.focus_groups import welsh_translation

pytestmark = pytest.mark.usefixtures("queue_only")

INDEX = reverse("culture_focus_groups:index")
REPORT = reverse("culture_focus_groups:report")


def book(event, name, **fields):
    return sign_up(event, name, **fields).signup


@pytest.fixture
def event(tree):
    """A focus group two weeks ahead, with two places."""
    return factories.focus_group(tree.focus_groups, capacity=2, contact=tree.contact)


@pytest.fixture
def signups(event):
    """Ann (nursing) and Bob (medical) confirmed, Cat waitlisted; Dan left the waitlist."""
    ann = book(event, "Ann Able", job_role="Staff nurse", department="Ward 7")
    bob = book(event, "Bob Brown", staff_group="medical")
    cat = book(event, "Cat Cole")
    dan = services.cancel(book(event, "Dan Dell"))
    return {"ann": ann, "bob": bob, "cat": cat, "dan": dan}


def start(event, minutes_ago=30):
    """The focus group (its page in every language), started `minutes_ago` minutes ago:
    signing up made it earlier."""
    began = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    FocusGroupEventPage.objects.for_focus_group(event).update(
        start=began, end=began + datetime.timedelta(minutes=90)
    )
    event.refresh_from_db()
    return event


def attendance(*signups):
    """Each signup's attended, as the database has it now."""
    for signup in signups:
        signup.refresh_from_db()
    return [signup.attended for signup in signups]


def user_in(django_user_model, username, *groups):
    user = django_user_model.objects.create_user(username, f"{username}@example.nhs.uk", "pw")
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def people(db, django_user_model):
    """Everyone who might open the admin, as in test_admin.py."""
    admin_only = django_user_model.objects.create_user("admin-only", password="pw")
    admin_only.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return {
        "superuser": django_user_model.objects.create_superuser("root", "root@example.nhs.uk"),
        "organiser": user_in(django_user_model, "organiser", "Organisers", "Editors"),
        "editor": user_in(django_user_model, "editor", "Editors"),
        "admin-only": admin_only,
    }


@pytest.fixture
def as_organiser(client, people):
    client.force_login(people["organiser"])
    return client


def register_url(event):
    return reverse("culture_focus_groups:register", args=[event.pk])


def print_url(event):
    return reverse("culture_focus_groups:register_print", args=[event.pk])


def choices(signups, **chosen):
    """The register form's data: each person's choice (not recorded unless given)."""
    return {
        f"attendance-{signup.pk}": chosen.get(name, "unrecorded")
        for name, signup in signups.items()
        if signup.status == Signup.Status.CONFIRMED
    }


# The rules ---------------------------------------------------------------------------


def test_attendance_is_refused_before_the_focus_group_starts(event, signups):
    ann = signups["ann"]

    with pytest.raises(services.SignupRefused, match="once the focus group starts, on"):
        services.record_attendance(event, {ann: True})

    assert attendance(ann) == [None]


def test_recording_one_person_keeps_who_recorded_it_and_when(event, signups, people):
    ann, bob = signups["ann"], signups["bob"]
    during = event.start + datetime.timedelta(minutes=10)

    changed = services.record_attendance(event, {ann: True}, by=people["organiser"], now=during)

    assert changed == [ann]
    ann.refresh_from_db()
    assert (ann.attended, ann.attendance_recorded_at) == (True, during)
    assert ann.attendance_recorded_by == people["organiser"]
    assert attendance(bob) == [None]


def test_recording_several_at_once_saves_each(event, signups):
    ann, bob = signups["ann"], signups["bob"]
    start(event)

    services.record_attendance(event, {ann: True, bob: False})

    assert attendance(ann, bob) == [True, False]


def test_an_unchanged_record_keeps_who_recorded_it(event, signups, people):
    ann, bob = signups["ann"], signups["bob"]
    start(event)
    services.record_attendance(event, {ann: True}, by=people["organiser"])

    changed = services.record_attendance(event, {ann: True, bob: False}, by=people["superuser"])

    assert changed == [bob]
    ann.refresh_from_db()
    assert ann.attendance_recorded_by == people["organiser"]


def test_clearing_a_record_clears_who_recorded_it_and_when(event, signups, people):
    ann = signups["ann"]
    start(event)
    services.record_attendance(event, {ann: True}, by=people["organiser"])

    services.record_attendance(event, {ann: None}, by=people["organiser"])

    ann.refresh_from_db()
    assert (ann.attended, ann.attendance_recorded_at, ann.attendance_recorded_by) == (
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("cat", "Cat Cole does not have a confirmed place (waitlisted)"),
        ("dan", "Dan Dell does not have a confirmed place (cancelled)"),
    ],
)
def test_only_confirmed_people_are_on_the_register_and_nothing_is_half_saved(
    event, signups, who, refusal
):
    ann = signups["ann"]
    start(event)

    with pytest.raises(services.SignupRefused, match=re.escape(refusal)):
        services.record_attendance(event, {ann: True, signups[who]: True})

    assert attendance(ann, signups[who]) == [None, None]


def test_a_signup_of_another_focus_group_is_refused(event, signups, tree):
    other = book(factories.focus_group(tree.focus_groups, days_from_today=21), "Eve Evans")
    start(event)

    with pytest.raises(services.SignupRefused, match="Eve Evans is booked on another focus group"):
        services.record_attendance(event, {signups["ann"]: True, other: True})

    assert attendance(signups["ann"], other) == [None, None]


def test_an_anonymised_signup_is_not_on_the_register(event, signups):
    later = event.end + datetime.timedelta(days=100)
    services.purge(90, now=later)

    with pytest.raises(services.SignupRefused, match="anonymised"):
        services.record_attendance(event, {signups["ann"]: True}, now=later)

    assert attendance(signups["ann"]) == [None]


def test_a_move_leaves_the_old_focus_group_s_attendance_behind(event, signups, tree):
    ann = signups["ann"]
    later = factories.focus_group(tree.focus_groups, days_from_today=21)
    start(event)
    services.record_attendance(event, {ann: True})

    services.move(ann, later)

    ann.refresh_from_db()
    assert (ann.event_id, ann.attended, ann.attendance_recorded_at) == (later.pk, None, None)


# Who may keep a register -------------------------------------------------------------


def refused(response):
    """Wagtail's answer to a PermissionDenied in the admin: back to the admin's home."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


@pytest.mark.parametrize("who", ["editor", "admin-only"])
def test_others_are_refused_the_register_and_the_printable_register(
    client, people, event, signups, who
):
    client.force_login(people[who])
    start(event)
    missing = event.pk + 1000  # no hint of which focus groups exist: the same answer

    for url in [register_url(event), print_url(event), f"{INDEX}register/{missing}/"]:
        response = client.get(url)
        assert refused(response), url
        assert b"Ann Able" not in response.content, url
    posted = client.post(register_url(event), choices(signups, ann="attended"))

    assert refused(posted)
    assert attendance(signups["ann"]) == [None]


def test_an_organiser_gets_404_for_a_focus_group_that_does_not_exist(as_organiser, event):
    missing = event.pk + 1000

    assert as_organiser.get(register_url(event)).status_code == 200
    assert as_organiser.get(f"{INDEX}register/{missing}/").status_code == 404
    assert as_organiser.get(f"{INDEX}register/{missing}/print/").status_code == 404


# The register in the admin -----------------------------------------------------------


def test_before_the_start_the_register_lists_the_people_and_says_when_to_record(
    as_organiser, event, signups
):
    response = as_organiser.get(register_url(event))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ann Able" in page and "Staff nurse" in page and "Ward 7" in page
    assert "Bob Brown" in page and "Medical and dental" in page
    assert "Cat Cole" not in page and "Dan Dell" not in page
    assert "Attendance can be recorded once the focus group starts" in page
    assert print_url(event) in page
    assert 'name="attendance-' not in page


def test_posting_before_the_start_saves_nothing_and_says_why(as_organiser, event, signups):
    response = as_organiser.post(register_url(event), choices(signups, ann="attended"))

    assert response.status_code == 200
    assert "Attendance can be recorded once the focus group starts" in response.content.decode()
    assert attendance(signups["ann"]) == [None]


def test_organiser_records_one_person_attended(as_organiser, people, event, signups):
    start(event)

    response = as_organiser.post(register_url(event), choices(signups, ann="attended"), follow=True)

    assert response.redirect_chain == [(register_url(event), 302)]
    assert attendance(signups["ann"], signups["bob"]) == [True, None]
    assert signups["ann"].attendance_recorded_by == people["organiser"]
    page = response.content.decode()
    assert "The register is saved: 1 attended, 0 did not attend, 1 not recorded." in page


def test_organiser_marks_those_ticked_as_did_not_attend(as_organiser, event, signups):
    ann, bob = signups["ann"], signups["bob"]
    start(event)

    as_organiser.post(
        register_url(event),
        {**choices(signups, ann="attended"), "ticked": [bob.pk], "mark": "ticked-absent"},
    )

    assert attendance(ann, bob) == [True, False]


def test_organiser_marks_everyone_attended(as_organiser, event, signups):
    start(event)

    as_organiser.post(
        register_url(event), {**choices(signups, bob="absent"), "mark": "everyone-attended"}
    )

    assert attendance(signups["ann"], signups["bob"]) == [True, True]


def test_marking_those_ticked_with_nobody_ticked_says_what_to_do(as_organiser, event, signups):
    start(event)

    response = as_organiser.post(
        register_url(event), {**choices(signups, bob="absent"), "mark": "ticked-attended"}
    )

    assert "Tick the people to mark first, or mark everyone." in response.content.decode()
    assert attendance(signups["ann"], signups["bob"]) == [None, None]


def test_a_choice_not_offered_saves_nothing_and_says_so(as_organiser, event, signups):
    start(event)

    response = as_organiser.post(register_url(event), choices(signups, ann="attended", bob="maybe"))

    assert response.status_code == 200
    assert response.context["form"].errors[f"attendance-{signups['bob'].pk}"]
    assert "The register could not be saved. Nothing was changed." in response.content.decode()
    assert attendance(signups["ann"], signups["bob"]) == [None, None]


def test_a_register_changed_since_it_was_loaded_saves_nothing(as_organiser, event, signups):
    start(event)
    form = choices(signups, ann="attended", bob="absent")  # as the page was loaded
    services.cancel(signups["bob"], by_organiser=True)  # meanwhile

    response = as_organiser.post(register_url(event), form)

    assert "The register has changed since this page was loaded" in response.content.decode()
    assert attendance(signups["ann"]) == [None]


def test_a_welsh_page_s_register_is_the_focus_group_s_one_register(as_organiser, event, signups):
    welsh = welsh_translation(event)
    start(event)

    response = as_organiser.post(register_url(welsh), choices(signups, ann="attended"))

    assert response.status_code == 302
    assert attendance(signups["ann"]) == [True]
    assert "Bob Brown" in as_organiser.get(print_url(welsh)).content.decode()


def test_the_register_shows_what_was_recorded(as_organiser, event, signups):
    start(event)
    services.record_attendance(event, {signups["bob"]: False})

    form = as_organiser.get(register_url(event)).context["form"]

    bob = f"attendance-{signups['bob'].pk}"
    ann = f"attendance-{signups['ann'].pk}"
    assert (form[bob].initial, form[ann].initial) == ("absent", "unrecorded")


# The printable register --------------------------------------------------------------


def test_the_printable_register_lists_the_confirmed_people_with_a_box_each(
    as_organiser, event, signups
):
    response = as_organiser.get(print_url(event))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ann Able" in page and "Bob Brown" in page and "Medical and dental" in page
    assert "Cat Cole" not in page and "Dan Dell" not in page
    assert "2 people with a confirmed place" in " ".join(page.split())
    assert event.title in page and "Seminar room 2" in page
    assert page.count('class="box"') == 2 + 5  # with five blank rows for walk-ins
    assert "register_print.css" in page
    assert "wagtailadmin" not in page  # a page of its own, without the admin around it


# Links to the register ---------------------------------------------------------------


def test_organiser_finds_the_register_from_the_edit_view_report_and_filtered_list(
    as_organiser, event, signups
):
    url = register_url(event)

    edit = as_organiser.get(reverse("wagtailadmin_pages:edit", args=[event.pk]))
    report = as_organiser.get(reverse("culture_focus_groups:report_event", args=[event.pk]))

    assert url in edit.content.decode()
    assert url in report.content.decode()
    assert url in as_organiser.get(INDEX, {"event": event.pk}).content.decode()
    assert "/register/" not in as_organiser.get(INDEX).content.decode()


# Inspect and export ------------------------------------------------------------------


def test_inspect_and_export_show_the_attendance(as_organiser, people, event, signups):
    start(event)
    services.record_attendance(event, {signups["bob"]: False}, by=people["organiser"])

    inspected = as_organiser.get(
        reverse("culture_focus_groups:inspect", args=[signups["bob"].pk])
    ).content.decode()
    export = as_organiser.get(INDEX, {"export": "csv", "event": event.pk})
    rows = csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode()))

    assert "Did not attend (recorded" in inspected and "by organiser" in inspected
    assert {row["Full name"]: row["Attendance"] for row in rows} == {
        "Ann Able": "Not recorded",
        "Bob Brown": "Did not attend",
        "Cat Cole": "Not recorded",
        "Dan Dell": "Not recorded",
    }


# The report --------------------------------------------------------------------------


def test_report_counts_attended_by_staff_group_beside_the_signups(as_organiser, event, signups):
    book(event, "Eve Evans", staff_group="medical")  # waitlisted
    start(event)
    services.record_attendance(event, {signups["ann"]: True, signups["bob"]: False})

    response = as_organiser.get(reverse("culture_focus_groups:report_event", args=[event.pk]))

    rows = {row["staff_group"]: row for row in response.context["rows"]}
    assert rows["Nursing and midwifery"]["attended"] == 1
    assert rows["Medical and dental"]["attended"] == 0
    assert rows["Medical and dental"]["total"] == 2
    assert response.context["attended"] == 1
    page = response.content.decode()
    assert "Attended" in page and "Ann Able" not in page


def test_report_counts_as_attended_only_those_still_confirmed(as_organiser, event, signups):
    start(event)
    services.record_attendance(event, {signups["ann"]: True, signups["bob"]: True})
    services.cancel(signups["bob"], by_organiser=True)  # marked by mistake, then cancelled

    response = as_organiser.get(reverse("culture_focus_groups:report_event", args=[event.pk]))

    rows = {row["staff_group"]: row for row in response.context["rows"]}
    assert rows["Medical and dental"]["attended"] == 0
    assert response.context["attended"] == 1


def test_report_index_counts_attended_for_each_focus_group(as_organiser, event, signups):
    start(event)
    services.record_attendance(event, {signups["ann"]: True, signups["bob"]: True})

    rows = {row["event"].pk: row for row in as_organiser.get(REPORT).context["rows"]}

    assert rows[event.pk]["attended"] == 2
