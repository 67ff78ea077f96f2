"""Every link in every email and calendar file opens, over real HTTP, on the site that sent it.

The links are made from the Site's root URL (event pages, cancel links, calendar
files, the feed) and, for the contact's link to the admin, from
WAGTAILADMIN_BASE_URL. Here a site of its own (tests/factories), with its Welsh
translation, is served by pytest-django's live server: the Site is given the live
server's address, as an administrator gives it in Settings › Sites (how
`load_initial_data` gives the demo site its address is tests/home/test_demo_content.py's),
and WAGTAILADMIN_BASE_URL the same server under its other name. Then every link is
fetched with `requests`.

Which links are fetched. Every link in an email's text and HTML bodies and in
its .ics attachment (the URL property, and links in DESCRIPTION), and in the
.ics files the site serves, is one of:
- an address to write to or call (mailto:, tel:): not a page, not fetched;
- an online focus group's joining link (at meet.example.nhs.uk, someone else's
  site): not fetched;
- a link to the live server: fetched, and it must answer 200 (a used cancel
  link 410; an admin link 200 signed in, 302 to the admin's sign-in otherwise).
Any other link fails the test: a link to http://localhost/ is a dead link.

These tests run outside a test transaction, since the live server answers
from its own thread (on PostgreSQL it sees committed rows only). Each such test
costs a flush of the whole database, so there are two: one site for every email,
with each email's case a subtest on focus groups of its own, and one for the
calendar files the site serves.
"""

import datetime
import html
import re
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from culture_cms.focus_groups import emails, services
from culture_cms.focus_groups.models import FocusGroupEventPage, OutboundEmail
from culture_cms.organisation.models import OrganisationSettings
from tests import factories
from tests.factories.focus_groups import online_focus_group, welsh_translation

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Kind = OutboundEmail.Kind
# The languages a person can sign up in.
LANGUAGES = [code for code, _name in django_settings.LANGUAGES]
NOT_PAGES = ("mailto:", "tel:")
URL = re.compile(r"https?://[^\s<>\"']+")
# Prose may end a sentence right after a link.
TRAILING = ".,;:)"


@pytest.fixture
def live_site(live_server, settings):
    """A site of its own at the live server's address, with the Welsh translations of its
    home page, programme page and focus-group index.

    The admin's base is the same server under its other name, 127.0.0.1, so that a link
    made from the wrong base shows: links to pages from the Site's root URL, the admin
    link from WAGTAILADMIN_BASE_URL.
    """
    tree = factories.site_tree()
    address = urlsplit(live_server.url)
    assert address.hostname == "localhost"
    tree.site.hostname, tree.site.port = address.hostname, address.port
    tree.site.save()  # as Settings › Sites saves it: Wagtail's cache of site roots is cleared
    assert tree.site.root_url == live_server.url
    welsh_translation(tree.focus_groups)
    settings.WAGTAILADMIN_BASE_URL = live_server.url.replace("localhost", "127.0.0.1")
    return tree


def focus_groups(live_site, languages=LANGUAGES):
    """An in-person focus group and an online one, as the demo's first two, with their
    Welsh translations where Welsh is among the languages: a new pair for each case, so
    that no case sees another's signups."""
    events = [
        factories.focus_group(live_site.focus_groups, contact=live_site.contact),
        online_focus_group(live_site.focus_groups, contact=live_site.contact),
    ]
    if "cy" in languages:
        for event in events:
            welsh_translation(event)
    return events


def joining_links():
    """The online focus groups' joining links: on the meeting service's site, not ours."""
    links = set(
        FocusGroupEventPage.objects.exclude(joining_link="").values_list("joining_link", flat=True)
    )
    assert links, "there is an online focus group"
    return links


@pytest.fixture
def organiser(live_site):
    """A browser session signed in to the admin as a superuser, for the contact's admin link."""
    user = get_user_model().objects.create_superuser("organiser", "organiser@example.nhs.uk", "-")
    client = Client()
    client.force_login(user)
    cookie = django_settings.SESSION_COOKIE_NAME
    with requests.Session() as session:  # closed after: no connection left to the server
        session.cookies.set(cookie, client.cookies[cookie].value)
        yield session


# Finding the links


class Hrefs(HTMLParser):
    """Every href in an HTML body, whatever its scheme."""

    def __init__(self, body):
        super().__init__()
        self.hrefs = []
        self.feed(body)

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value for name, value in attrs if name == "href"]


def urls_in(text):
    return [url.rstrip(TRAILING) for url in URL.findall(html.unescape(text))]


def links_in_calendar(content):
    """The URL of each event in an .ics file, and the links in its DESCRIPTION."""
    links = []
    for vevent in Calendar.from_ical(content).walk("VEVENT"):
        links += [str(vevent["URL"]), *urls_in(str(vevent["DESCRIPTION"]))]
    return links


def links_in_email(message):
    """Every link in an email: its text body, its HTML body and its .ics attachment."""
    [(body, _mimetype)] = message.alternatives
    hrefs = Hrefs(body).hrefs
    # An href that is neither a web address nor an address to write to or call is broken.
    assert all(h.startswith(("http://", "https://", *NOT_PAGES)) for h in hrefs), hrefs
    links = urls_in(message.body) + urls_in(body) + hrefs
    for _filename, content, mimetype in message.attachments:
        if mimetype == "text/calendar":
            links += links_in_calendar(content)
    return links


def is_admin(link):
    return urlsplit(link).path.startswith(reverse("wagtailadmin_home"))


def pages(links, site, joining_links):
    """The links to fetch, each once, by the rule in this module's docstring."""
    ours = set()
    for link in links:
        if link.startswith(NOT_PAGES) or link in joining_links:
            continue
        base = django_settings.WAGTAILADMIN_BASE_URL if is_admin(link) else site.root_url
        assert link.startswith(base + "/"), f"{link} is not on {base}"
        ours.add(link)
    return sorted(ours)


def status(link, session=None):
    """The status of a GET of the link, over HTTP, redirects not followed."""
    return (session or requests).get(link, allow_redirects=False, timeout=30).status_code


def statuses(links, organiser):
    """Each link's status: fetched as a reader would, the admin's as a signed-in organiser."""
    return {link: status(link, organiser if is_admin(link) else None) for link in links}


# Each kind of email, made as the booking rules make it


def book(event, name, language="en-gb", **details):
    return services.sign_up(
        event,
        full_name=name,
        email=f"{name.split()[0].lower()}@example.nhs.uk",
        staff_group="nursing",
        language=language,
        **details,
    ).signup


def with_places(event, capacity):
    FocusGroupEventPage.objects.filter(pk=event.pk).update(capacity=capacity)
    event.refresh_from_db()
    return event


def confirmed(events, language):
    book(events[0], "Ada Lovelace", language)


def waitlisted(events, language):
    event = with_places(events[0], 1)
    book(event, "Ada Lovelace", language)
    book(event, "Grace Hopper", language)


def promoted(events, language):
    event = with_places(events[0], 1)
    ada = book(event, "Ada Lovelace", language)
    book(event, "Grace Hopper", language)
    services.cancel(ada)


def moved(events, language):
    services.move(book(events[0], "Ada Lovelace", language), events[1])


def cancelled(events, language):
    services.cancel(book(events[0], "Ada Lovelace", language))


def reminder(events, language):
    event = events[0]
    book(event, "Ada Lovelace", language)
    start = timezone.now() + datetime.timedelta(hours=23)
    FocusGroupEventPage.objects.filter(pk=event.pk).update(
        start=start, end=start + datetime.timedelta(minutes=90)
    )
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115


def changed(events, language):
    book(events[0], "Ada Lovelace", language)
    event = events[0].booking_event  # the one whose facts every language shows
    event.start += datetime.timedelta(days=1)
    event.end += datetime.timedelta(days=1)
    event.save_revision().publish()


def group_cancelled(events, language):
    book(events[0], "Ada Lovelace", language)
    services.cancel_focus_group(events[0], message="The facilitator is unwell.")


def invitation(events, language):
    FocusGroupEventPage.objects.filter(translation_key=events[0].translation_key).update(
        by_invitation=True
    )
    events[0].refresh_from_db()
    services.invite(events[0], ["ada@example.nhs.uk"], language=language)


def plans_published(events, language):
    book(events[0], "Ada Lovelace", language, hear_about_plans=True)
    site = events[0].get_site()
    number = OutboundEmail.objects.count()  # a page of its own for each case
    plans = factories.programme_page(
        site.root_page, title="Action plans", slug=f"action-plans-{number}"
    )
    if language != django_settings.LANGUAGE_CODE:
        welsh_translation(plans)
    settings = OrganisationSettings.for_site(site)
    settings.action_plans_page = plans  # live already: saving the choice sends the email
    settings.save()


MAKE = {
    Kind.CONFIRMED: confirmed,
    Kind.WAITLISTED: waitlisted,
    Kind.PROMOTED: promoted,
    Kind.MOVED: moved,
    Kind.CANCELLED: cancelled,
    Kind.REMINDER: reminder,
    Kind.CONTACT_SIGNUP: confirmed,
    Kind.CONTACT_CANCELLATION: cancelled,
    Kind.CONTACT_PROMOTED: promoted,
    Kind.CHANGED: changed,
    Kind.GROUP_CANCELLED: group_cancelled,
    Kind.CONTACT_CHANGED: changed,
    Kind.CONTACT_GROUP_CANCELLED: group_cancelled,
    Kind.INVITATION: invitation,
    Kind.PLANS_PUBLISHED: plans_published,
}


def the_email(kind, events):
    """The one email of this kind about these focus groups, rendered as the send task
    renders it."""
    [email] = OutboundEmail.objects.filter(kind=kind, event__in=events)
    return emails.build_message(email)


def cancel_link(message):
    [link] = {link for link in links_in_email(message) if "/cancel/" in link}
    return link


# Emails

EMAILS = [
    (kind, language)
    for kind in Kind
    # The contact's email is in the site's default language, whoever signs up.
    for language in ([django_settings.LANGUAGE_CODE] if kind in emails.TO_CONTACT else LANGUAGES)
]


def test_the_links_in_the_emails(live_site, organiser, subtests):
    for kind, language in EMAILS:
        with subtests.test("every link in the email opens", kind=kind.value, language=language):
            events = focus_groups(live_site, [language])
            MAKE[kind](events, language)

            links = pages(links_in_email(the_email(kind, events)), live_site.site, joining_links())

            assert links
            assert statuses(links, organiser) == dict.fromkeys(links, 200)

    with subtests.test("a cancel link once used is gone"):
        events = focus_groups(live_site, ["en-gb"])
        confirmed(events, "en-gb")
        link = cancel_link(the_email(Kind.CONFIRMED, events))
        with requests.Session() as session:
            page = session.get(link, timeout=30)
            assert page.status_code == 200
            [token] = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)

            used = session.post(link, data={"csrfmiddlewaretoken": token}, timeout=30)
            assert used.status_code == 200

        assert status(link) == 410

    with subtests.test("the admin link sends an anonymous reader to sign in"):
        events = focus_groups(live_site, ["en-gb"])
        confirmed(events, "en-gb")
        [link] = {
            link
            for link in links_in_email(the_email(Kind.CONTACT_SIGNUP, events))
            if is_admin(link)
        }
        parts = urlsplit(link)

        response = requests.get(link, allow_redirects=False, timeout=30)

        assert response.status_code == 302
        path = f"{parts.path}?{parts.query}"
        assert response.headers["Location"] == f"{reverse('wagtailadmin_login')}?next={quote(path)}"


# Calendar files the site serves


def by_other_name(url, site):
    """The same address on the same server under its other name, 127.0.0.1: the links
    in what it serves must still come from the Site's root URL, not the request's host."""
    return url.replace(site.root_url, django_settings.WAGTAILADMIN_BASE_URL, 1)


def add_to_calendar(event_url):
    """The "Add to calendar" link on the focus group's page, as a reader follows it."""
    page = requests.get(event_url, timeout=30)
    assert page.status_code == 200
    [href] = [href for href in Hrefs(page.text).hrefs if href.endswith("/calendar/")]
    return urljoin(event_url, href)


def test_the_links_in_the_calendar_files_the_site_serves(live_site, subtests):
    made = focus_groups(live_site)
    for language in LANGUAGES:
        with subtests.test("every link in each add-to-calendar file opens", language=language):
            events = FocusGroupEventPage.objects.live().filter(
                locale__language_code=language,
                translation_key__in=[event.translation_key for event in made],
            )
            links = []
            for event in events:
                page = by_other_name(event.get_full_url(), live_site.site)
                response = requests.get(add_to_calendar(page), timeout=30)
                assert response.status_code == 200
                assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
                links += links_in_calendar(response.content)

            links = pages(links, live_site.site, joining_links())

            assert len(links) == len(made)
            assert statuses(links, None) == dict.fromkeys(links, 200)

        with subtests.test("every link in the calendar feed opens", language=language):
            with translation.override(language):
                feed = live_site.site.root_url + reverse("culture_cms:calendar_feed")
            response = requests.get(by_other_name(feed, live_site.site), timeout=30)
            assert response.status_code == 200

            links = pages(links_in_calendar(response.content), live_site.site, joining_links())

            assert len(links) == len(made)
            assert statuses(links, None) == dict.fromkeys(links, 200)
