"""Focus groups as iCalendar: the right UTC times either side of a clock change, stable UIDs."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from culture_cms.focus_groups.calendar import ics_for_events
from culture_cms.focus_groups.models import FocusGroupEventPage
from tests import factories
from tests.factories.focus_groups import online_focus_group, welsh_translation

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC


@pytest.fixture
def events(tree, event):
    """Three upcoming focus groups, as in the demo: in person, online, and at night."""
    return [
        event,
        online_focus_group(tree.focus_groups, contact=tree.contact),
        factories.focus_group(
            tree.focus_groups,
            days_from_today=35,
            at="21:00",
            capacity=8,
            venue="Staff room, Maple Wing, Anytown General Hospital",
            contact=tree.contact,
        ),
    ]


def add_event(index, slug, start, **fields):
    """A published focus group, read back from the database (times in UTC, as served)."""
    fields = {"venue": "Seminar room 1\nEducation Centre", **fields}
    page = index.add_child(
        instance=FocusGroupEventPage(
            title=fields.pop("title", f"Focus group {slug}"),
            slug=slug,
            start=start,
            end=start + datetime.timedelta(minutes=90),
            **fields,
        )
    )
    return FocusGroupEventPage.objects.get(pk=page.pk)


def parse(content):
    return Calendar.from_ical(content)


def only_event(calendar):
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


@pytest.mark.parametrize(
    ("when", "utc"),
    [
        # British Summer Time: 10:00 in London is 09:00 UTC.
        (
            datetime.datetime(2027, 7, 15, 10, 0, tzinfo=LONDON),
            datetime.datetime(2027, 7, 15, 9, 0),
        ),
        # Greenwich Mean Time: 10:00 in London is 10:00 UTC.
        (
            datetime.datetime(2027, 1, 14, 10, 0, tzinfo=LONDON),
            datetime.datetime(2027, 1, 14, 10, 0),
        ),
    ],
    ids=["summer BST", "winter GMT"],
)
def test_times_are_in_london_time_and_right_in_utc(tree, when, utc):
    event = add_event(tree.focus_groups, "dated", when)

    vevent = only_event(parse(ics_for_events([event])))

    start, end = vevent["DTSTART"], vevent["DTEND"]
    assert start.params["TZID"] == "Europe/London"
    assert end.params["TZID"] == "Europe/London"
    assert start.dt.astimezone(UTC).replace(tzinfo=None) == utc
    assert end.dt.astimezone(UTC).replace(tzinfo=None) == utc + datetime.timedelta(minutes=90)
    assert start.dt.hour == 10  # shown as London's 10am


def test_the_calendar_carries_the_europe_london_timezone(event):
    content = ics_for_events([event])

    timezones = parse(content).walk("VTIMEZONE")
    assert [str(timezone["TZID"]) for timezone in timezones] == ["Europe/London"]
    assert b"TZID=Europe/London" in content


def test_a_client_that_uses_the_files_own_timezone_gets_the_times_right_across_the_clock_change(
    tree,
):
    """Some calendar clients ignore the TZID's name and read the VTIMEZONE rules in the
    file: those rules alone must put 10:00 in London at the right UTC time on the day
    before and after each 2027 clock change (28 March and 31 October)."""
    days = [(3, 27, 10), (3, 29, 9), (10, 30, 9), (11, 1, 10)]  # month, day, UTC hour
    events = [
        add_event(tree.focus_groups, f"day-{n}", datetime.datetime(2027, m, d, 10, tzinfo=LONDON))
        for n, (m, d, _hour) in enumerate(days)
    ]
    calendar = parse(ics_for_events(events))

    [vtimezone] = calendar.walk("VTIMEZONE")
    from_the_file = vtimezone.to_tz(lookup_tzid=False)  # the rules written in the file
    assert from_the_file is not LONDON
    starts = sorted(
        vevent.decoded("DTSTART").replace(tzinfo=None) for vevent in calendar.walk("VEVENT")
    )
    for start, (month, day, hour) in zip(starts, days, strict=True):
        in_utc = start.replace(tzinfo=from_the_file).astimezone(UTC)
        assert in_utc == datetime.datetime(2027, month, day, hour, tzinfo=UTC), start


def test_uid_is_stable_across_downloads_and_languages(event):
    welsh = welsh_translation(event)

    uids = {str(only_event(parse(ics_for_events([page])))["UID"]) for page in (event, event, welsh)}

    assert uids == {f"focus-group-{event.translation_key}@culture-cms"}


def test_event_details_are_in_the_calendar(event):
    vevent = only_event(parse(ics_for_events([event])))

    assert str(vevent["SUMMARY"]) == event.title
    assert str(vevent["LOCATION"]) == ", ".join(event.venue.splitlines())
    assert str(vevent["URL"]) == event.get_full_url()
    assert event.get_full_url() in str(vevent["DESCRIPTION"])
    assert vevent["DTSTAMP"].dt.tzinfo is not None


def test_an_online_group_is_online_with_its_joining_link_and_details(tree):
    event = add_event(
        tree.focus_groups,
        "online",
        datetime.datetime(2027, 3, 1, 14, tzinfo=LONDON),
        venue="",
        joining_link="https://meet.example.nhs.uk/abc",
        joining_details="Meeting ID 123 456",
    )

    vevent = only_event(parse(ics_for_events([event], joining=True)))
    public = only_event(parse(ics_for_events([event])))

    assert str(vevent["LOCATION"]) == str(public["LOCATION"]) == "Online"
    description = str(vevent["DESCRIPTION"])
    assert "https://meet.example.nhs.uk/abc" in description
    assert "Meeting ID 123 456" in description
    for secret in ["https://meet.example.nhs.uk/abc", "Meeting ID 123 456"]:
        assert secret not in parse(ics_for_events([event])).to_ical().decode()


def test_tokens_in_the_title_are_filled(tree):
    event = add_event(
        tree.focus_groups,
        "tokens",
        datetime.datetime(2027, 3, 1, 14, tzinfo=LONDON),
        title="{organisation} focus group",
    )

    vevent = only_event(parse(ics_for_events([event])))

    assert str(vevent["SUMMARY"]) == f"{tree.organisation.organisation_name} focus group"


# Downloads ------------------------------------------------------------------------------


def test_add_to_calendar_downloads_the_event(client, event):
    html = client.get(event.url).content.decode()
    assert f'href="{event.url}calendar/"' in html
    response = client.get(f"{event.url}calendar/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    vevent = only_event(parse(response.content))
    assert str(vevent["UID"]) == f"focus-group-{event.translation_key}@culture-cms"


def test_two_downloads_of_an_unchanged_focus_group_are_the_same_file(client, event):
    first = client.get(f"{event.url}calendar/").content
    second = client.get(f"{event.url}calendar/").content

    assert first == second
    vevent = only_event(parse(first))
    published = event.last_published_at.replace(microsecond=0)
    assert vevent.decoded("DTSTAMP") == vevent.decoded("LAST-MODIFIED") == published
    assert str(parse(first)["METHOD"]) == "PUBLISH"
    assert "ATTENDEE" not in vevent


def test_the_feed_has_every_upcoming_live_focus_group_and_no_other(client, tree, events):
    past = add_event(tree.focus_groups, "past", datetime.datetime(2020, 5, 1, 10, tzinfo=LONDON))
    draft = add_event(tree.focus_groups, "draft", datetime.datetime(2030, 5, 1, 10, tzinfo=LONDON))
    draft.unpublish()

    response = client.get("/focus-groups.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="focus-groups.ics"'
    summaries = {str(vevent["SUMMARY"]) for vevent in parse(response.content).walk("VEVENT")}
    assert summaries == {event.title for event in events}
    assert past.title not in summaries and draft.title not in summaries


def test_the_feed_queries_do_not_grow_with_the_events(client, tree, events):
    def queries():
        client.get("/focus-groups.ics")  # warm Wagtail's cache of site root paths
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/focus-groups.ics")
        return len(captured), len(parse(response.content).walk("VEVENT"))

    few, three = queries()
    start = datetime.datetime(2030, 1, 7, 10, tzinfo=LONDON)
    for number in range(10):
        add_event(tree.focus_groups, f"extra-{number}", start + datetime.timedelta(days=number))
    many, thirteen = queries()

    assert (three, thirteen) == (3, 13)
    assert many == few


@override_settings(CULTURE_CMS_LOGIN_REQUIRED=True)
def test_with_login_required_the_feed_needs_sign_in(client, events):
    assert client.get("/focus-groups.ics").status_code == 302
