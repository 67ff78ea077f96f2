"""`manage.py purge_signups`: personal data goes a set time after a focus group, counts stay."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from culture_cms.focus_groups import services
from culture_cms.focus_groups.models import FocusGroupEventPage, OutboundEmail, Signup
from tests import factories
from tests.factories.module_data import built_once


def build():
    """Two focus groups with signups: `old` is then moved into the past."""
    index = factories.site_tree().focus_groups
    old = factories.focus_group(index, capacity=2)
    recent = factories.focus_group(index, days_from_today=21)
    user = get_user_model().objects.create_user("grace", email="grace@example.nhs.uk")
    people = [
        ("Ada Lovelace", "nursing", None),
        ("Grace Hopper", "admin", user),
        ("Mary Seacole", "nursing", None),
        ("Alan Turing", "medical", None),
    ]
    for name, group, person in people:
        book(old, name, group, user=person)
    services.cancel(Signup.objects.get(full_name="Alan Turing"))  # one cancelled
    book(recent, "Rosalind Franklin", "scientists")
    return old, recent


# Made once for the module (tests/factories/module_data.py); each test has its copy.
built, made = built_once(build)


@pytest.fixture
def events(made):
    return made


def book(event, name, staff_group, **extra):
    return services.sign_up(
        event,
        full_name=name,
        email=f"{name.split()[0].lower()}@example.nhs.uk",
        staff_group=staff_group,
        language="en-gb",
        job_role="Staff nurse",
        department="Ward 7",
        access_needs="A hearing loop",
        **extra,
    ).signup


def ended_days_ago(event, days):
    end = timezone.now() - datetime.timedelta(days=days)
    FocusGroupEventPage.objects.filter(pk=event.pk).update(
        start=end - datetime.timedelta(minutes=90), end=end
    )


def purge(*args):
    out = io.StringIO()
    call_command("purge_signups", *args, stdout=out)
    return out.getvalue()


def counts(event):
    """The anonymised report's view: signups by staff group and status."""
    return sorted(
        Signup.objects.filter(event=event)
        .values_list("staff_group", "status")
        .annotate(n=Count("pk"))
    )


def test_purge_anonymises_signups_of_a_focus_group_that_ended_long_ago(events):
    old, _ = events
    ended_days_ago(old, 91)

    output = purge()

    assert "Anonymised 4 signup(s)" in output
    for signup in Signup.objects.filter(event=old):
        assert signup.full_name == signup.email == ""
        assert signup.job_role == signup.department == signup.access_needs == ""
        assert signup.user is None
        assert signup.anonymised_at is not None
    assert not OutboundEmail.objects.filter(event=old).exists()
    assert not OutboundEmail.objects.filter(signup__event=old).exists()


def test_purge_keeps_the_counts_by_staff_group_and_status(events):
    old, _ = events
    before = counts(old)
    assert before == [
        ("admin", "confirmed", 1),
        ("medical", "cancelled", 1),
        ("nursing", "confirmed", 1),
        ("nursing", "waitlisted", 1),
    ]
    ended_days_ago(old, 91)

    purge()

    assert counts(old) == before


def test_purge_leaves_recent_focus_groups_alone(events):
    old, recent = events
    ended_days_ago(old, 91)
    ended_days_ago(recent, 89)

    purge()

    signup = Signup.objects.get(event=recent)
    assert signup.full_name == "Rosalind Franklin"
    assert signup.email == "rosalind@example.nhs.uk"
    assert signup.access_needs == "A hearing loop"
    assert signup.anonymised_at is None
    assert OutboundEmail.objects.filter(signup=signup).count() == 2


def test_dry_run_changes_nothing_and_reports_the_count(events):
    old, _ = events
    ended_days_ago(old, 91)
    before = list(Signup.objects.order_by("pk").values())
    emails = OutboundEmail.objects.count()

    output = purge("--dry-run")

    assert "4 signup(s) would be anonymised" in output
    assert "Nothing was changed" in output
    assert list(Signup.objects.order_by("pk").values()) == before
    assert OutboundEmail.objects.count() == emails


def test_days_option_sets_how_long_signups_are_kept(events):
    old, _ = events
    ended_days_ago(old, 40)

    assert "Anonymised 0 signup(s)" in purge()
    assert not Signup.objects.filter(anonymised_at__isnull=False).exists()

    assert "Anonymised 4 signup(s)" in purge("--days", "30")
    assert Signup.objects.filter(event=old, anonymised_at__isnull=False).count() == 4


@override_settings(CULTURE_CMS_SIGNUP_RETENTION_DAYS=30)
def test_the_default_days_come_from_the_setting(events):
    old, _ = events
    ended_days_ago(old, 40)

    assert "Anonymised 4 signup(s) of focus groups that ended more than 30 days ago" in purge()


def test_a_second_purge_finds_nothing_more_to_do(events):
    old, _ = events
    ended_days_ago(old, 91)
    purge()

    assert "Anonymised 0 signup(s)" in purge()


def test_negative_days_are_refused(events):
    with pytest.raises(CommandError, match="cannot be negative"):
        purge("--days", "-1")
