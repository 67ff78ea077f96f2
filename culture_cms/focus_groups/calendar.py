"""Focus groups as iCalendar (.ics): email attachments, "Add to calendar" and the feed.

Times are written in Europe/London with its VTIMEZONE, so calendars show the
right local time on either side of a clock change. Each focus group's UID comes
from its translation key: the same in every language and on every download, so
a calendar updates the event it already has instead of adding a second one.
"""

import datetime
import html
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from culture_cms.organisation.models import OrganisationSettings
from culture_cms.organisation.tokens.filling import fill_text
from culture_cms.organisation.tokens.values import token_values

from .models import FocusGroupState

LONDON = ZoneInfo("Europe/London")
CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid(focus_group):
    return f"focus-group-{focus_group.translation_key}@culture-cms"


def location(focus_group):
    """The venue on one line, or "Online" for a group with only a joining link."""
    if focus_group.venue:
        return ", ".join(line.strip() for line in focus_group.venue.splitlines() if line.strip())
    return _("Online")


def _plain(text, values):
    """Text with its {tokens} filled, as plain text (a gap keeps its "[not set: …]" words)."""
    return html.unescape(strip_tags(fill_text(text, values)))


def _description(focus_group, url, joining):
    parts = []
    if joining and focus_group.joining_link:
        parts.append(_("Join online: %(link)s") % {"link": focus_group.joining_link})
    if joining and focus_group.joining_details:
        parts.append(focus_group.joining_details)
    if url:
        parts.append(_("Details: %(url)s") % {"url": url})
    return "\n\n".join(parts)


def ics_for_events(events, organisation=None, request=None, now=None, joining=False):
    """An iCalendar file (bytes) for these focus groups, times in Europe/London, to
    download ("Add to calendar", the feed): METHOD:PUBLISH.

    `organisation` (the site's OrganisationSettings) fills tokens in titles;
    without it each focus group's own site is looked up. `request` lets page
    URLs come from Wagtail's per-request cache of site root paths. The online
    joining link and details are in it only with `joining`: for a person with a
    place, never in a file anyone may download. DTSTAMP and LAST-MODIFIED are when
    the focus group was last published, so two downloads of it are the same file.
    """
    return _calendar(
        events, "PUBLISH", organisation=organisation, request=request, now=now, joining=joining
    )


def ics_for_person(event, signup, now=None):
    """The focus group as an invitation to the person with a place (METHOD:REQUEST, the
    person as ATTENDEE, the trust's sender as ORGANIZER, the joining details): for
    the attachment of their emails. DTSTAMP is when the email was made."""
    return _calendar([event], "REQUEST", now=now or timezone.now(), joining=True, to=signup)


def ics_cancel_for_person(event, signup, now=None):
    """The focus group taken out of the person's calendar (METHOD:CANCEL, STATUS:CANCELLED,
    its UID, a SEQUENCE above any invitation's): for the email of a move or a cancellation."""
    return _calendar(
        [event], "CANCEL", now=now or timezone.now(), to=signup, status="CANCELLED", later=1
    )


def _states(events):
    """Each focus group's FocusGroupState (on its booking page), by translation key."""
    keys = {focus_group.translation_key for focus_group in events}
    states = FocusGroupState.objects.filter(event__translation_key__in=keys).select_related("event")
    return {state.event.translation_key: state for state in states}


# An email attachment's Content-Type carries its iTIP method too (RFC 6047).
def attachment_type(method):
    return f"text/calendar; method={method}"


def _calendar(
    events,
    method,
    organisation=None,
    request=None,
    now=None,
    joining=False,
    to=None,
    status=None,
    later=0,
):
    events = list(events)
    states = _states(events)
    calendar = Calendar()
    calendar.add("prodid", "-//Culture CMS//Focus groups//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    for focus_group in events:
        settings = organisation or OrganisationSettings.for_site(focus_group.get_site())
        values = token_values(settings, focus_group.contact)
        url = focus_group.get_full_url(request)
        published = focus_group.last_published_at or now or timezone.now()
        event = Event()
        event.add("uid", uid(focus_group))
        event.add("dtstamp", now or published)
        event.add("last-modified", published)
        state = states.get(focus_group.translation_key)
        # One higher with each change announced to the people booked, and the cancellation.
        event.add("sequence", (state.sequence if state else 0) + later)
        if status or (state and state.is_cancelled):
            event.add("status", status or "CANCELLED")
        event.add("dtstart", timezone.localtime(focus_group.start, LONDON))
        event.add("dtend", timezone.localtime(focus_group.end, LONDON))
        event.add("summary", _plain(focus_group.title, values))
        event.add("location", location(focus_group))
        event.add("description", _description(focus_group, url, joining))
        if url:
            event.add("url", url)
        if to is not None:
            sender = parseaddr(django_settings.DEFAULT_FROM_EMAIL)
            organizer = vCalAddress(f"mailto:{sender[1]}")
            organizer.params["cn"] = vText(settings.organisation_name or sender[0] or sender[1])
            event.add("organizer", organizer)
            attendee = vCalAddress(f"mailto:{to.email}")
            attendee.params.update(
                {"cn": vText(to.full_name), "role": "REQ-PARTICIPANT", "partstat": "ACCEPTED"}
            )
            event.add("attendee", attendee)
        calendar.add_component(event)
    if events:
        # The VTIMEZONE for Europe/London, its clock changes from a year before the
        # first focus group to a year after the last.
        calendar.add_missing_timezones(
            first_date=datetime.date(min(event.start for event in events).year - 1, 1, 1),
            last_date=datetime.date(max(event.end for event in events).year + 2, 1, 1),
        )
    return calendar.to_ical()
