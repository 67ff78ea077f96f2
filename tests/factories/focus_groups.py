"""Focus groups and their signups (culture_cms.focus_groups)."""

import datetime
from itertools import count
from zoneinfo import ZoneInfo

from django.utils import timezone
from wagtail.models import Locale

from culture_cms.focus_groups import emails, services
from culture_cms.focus_groups.models import (
    FocusGroupEventPage,
    FocusGroupIndexPage,
    Invitation,
    OutboundEmail,
)
from tests.factories.programme import publish

LONDON = ZoneInfo("Europe/London")
_numbers = count(1)


def focus_group_index(programme, **fields):
    return publish(
        programme,
        FocusGroupIndexPage(**{"title": "Culture focus groups", "slug": "focus-groups", **fields}),
    )


def focus_group(index, days_from_today=14, at="10:00", minutes=90, **fields):
    """A published in-person focus group, `days_from_today` ahead at `at` London time,
    with 10 places; signup closes the day before, as in the demo content."""
    day = timezone.localdate() + datetime.timedelta(days=days_from_today)
    start = datetime.datetime.combine(day, datetime.time.fromisoformat(at), LONDON)
    number = next(_numbers)
    return publish(
        index,
        FocusGroupEventPage(
            **{
                "title": f"Culture focus group {number}",
                "slug": f"focus-group-{number}",
                "start": start,
                "end": start + datetime.timedelta(minutes=minutes),
                "signup_closes": start - datetime.timedelta(days=1),
                "capacity": 10,
                "venue": "Seminar room 2, Education Centre, Anytown General Hospital",
                "audience": "All staff",
                **fields,
            }
        ),
    )


def sign_up(event, name, **fields):
    """Sign someone up through services.sign_up; their email comes from their name."""
    return services.sign_up(
        event,
        **{
            "full_name": name,
            "email": f"{name.lower().replace(' ', '.')}@example.nhs.uk",
            "staff_group": "nursing",
            "language": "en-gb",
            **fields,
        },
    )


def online_focus_group(index, days_from_today=21, at="14:00", **fields):
    """A published online focus group (no venue), as the demo's second one: a joining
    link and joining details, 12 places."""
    return focus_group(
        index,
        days_from_today,
        at,
        **{
            "venue": "",
            "joining_link": "https://meet.example.nhs.uk/culture-focus-group",
            "joining_details": "The joining link works in Microsoft Teams or a web browser.",
            "capacity": 12,
            **fields,
        },
    )


def welsh_translation(page):
    """The page's Welsh translation, copied and published as a translator would, with
    the translations of its ancestors it needs (from the home page down) made first."""
    welsh, _ = Locale.objects.get_or_create(language_code="cy")
    for ancestor in [*page.get_ancestors()[1:], page]:  # not the tree's root
        ancestor = ancestor.specific
        if ancestor.get_translation_or_none(welsh) is None:
            ancestor.copy_for_translation(welsh).save_revision().publish()
    return page.get_translation(welsh).specific


# The contact's emails about a whole focus group: about no one signup.
ABOUT_THE_GROUP = {
    OutboundEmail.Kind.CONTACT_CHANGED,
    OutboundEmail.Kind.CONTACT_GROUP_CANCELLED,
}
WITH_CHANGES = {OutboundEmail.Kind.CHANGED, OutboundEmail.Kind.CONTACT_CHANGED}
# The emails that name no participant: those about the whole group, and an invitation.
NAMING_NOBODY = ABOUT_THE_GROUP | {OutboundEmail.Kind.INVITATION}
# The emails about no one focus group: the action plans are published.
ABOUT_THE_PROGRAMME = {OutboundEmail.Kind.PLANS_PUBLISHED}


def email_of_kind(kind, signup):
    """An unsaved email of this kind about the signup's focus group, addressed as the
    booking rules address it: the contact's about the whole group name no signup, an
    invitation is to the signup's address, and a change says what changed (here the
    start and end, a day later), and "the action plans are published" links to a page
    (here the focus groups' index)."""
    fields = {}
    if kind in WITH_CHANGES:
        event = signup.event
        old = {"start": event.start.isoformat(), "end": event.end.isoformat()}
        new = {
            "start": (event.start + datetime.timedelta(days=1)).isoformat(),
            "end": (event.end + datetime.timedelta(days=1)).isoformat(),
        }
        fields["changes"] = {"old": old, "new": new}
    if kind in ABOUT_THE_GROUP:
        return emails.addressed(kind, event=signup.event, **fields)
    if kind == OutboundEmail.Kind.INVITATION:
        invitation, _created = Invitation.objects.get_or_create(
            event=signup.event, email=signup.email, defaults={"language": signup.language}
        )
        invitation.language = signup.language
        return emails.addressed(kind, invitation=invitation)
    if kind in ABOUT_THE_PROGRAMME:
        fields["page"] = signup.event.get_parent()
    return emails.addressed(kind, signup, **fields)
