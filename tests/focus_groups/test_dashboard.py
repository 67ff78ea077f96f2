"""The "Upcoming focus groups" panel on the admin dashboard (issue 13, point 1): for
organisers every upcoming focus group, for a contact their own, for nobody else; with
when it is (UK time), places left, the waitlist, when signup closes, and links to its
signups and register; in as many queries for five focus groups as for one."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.users.models import UserProfile

from culture_cms.focus_groups import services
from tests import factories
from tests.factories.module_data import built_once
from tests.factories.organisation import contact

DASHBOARD = reverse("wagtailadmin_home")
PANEL = "Upcoming focus groups"

# Emails are recorded and queued but never sent: these tests are about the admin.
pytestmark = pytest.mark.usefixtures("queue_only")


def build():
    from django.contrib.auth import get_user_model

    users = get_user_model()
    tree = factories.site_tree()
    priya = contact(name="Priya Shah", email="priya.shah@example.nhs.uk")
    admin_only = users.objects.create_user("admin-only", password="pw")
    admin_only.user_permissions.add(Permission.objects.get(codename="access_admin"))
    made = SimpleNamespace(
        tree=tree,
        organiser=factories.account("organiser", "Organisers"),
        editor=factories.account("editor", "Editors"),
        priya=factories.account("priya", "Focus group contacts"),
        admin_only=admin_only,
        # Priya's, with 2 places, at 10am UK time in two weeks; signup closes the day
        # before at 10am (the factory's).
        hers=factories.focus_group(tree.focus_groups, contact=priya, capacity=2),
        # The site's default contact's (not Priya's), in three weeks.
        other=factories.focus_group(tree.focus_groups, days_from_today=21),
        past=factories.focus_group(tree.focus_groups, days_from_today=-7),
        called_off=factories.focus_group(tree.focus_groups, days_from_today=28),
    )
    priya.user = made.priya
    priya.save()
    for name in ("Ann Able", "Bob Brown", "Cat Cole"):  # two places, then the waitlist
        factories.sign_up(made.hers, name)
    services.cancel_focus_group(made.called_off, message="The room is not available.")
    return made


built, made = built_once(build)


def dashboard(client, user):
    client.force_login(user)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def listed(client, user, made):
    """The module's focus groups that have a row in the panel."""
    page = dashboard(client, user)
    return [
        event
        for event in (made.hers, made.other, made.past, made.called_off)
        if f'data-upcoming-focus-group="{event.pk}"' in page
    ]


def row_of(page, event):
    """The panel's table row for one focus group."""
    start = page.index(f'data-upcoming-focus-group="{event.pk}"')
    return page[start : page.index("</tr>", start)]


def test_an_organiser_sees_every_upcoming_focus_group_not_past_or_cancelled(client, made):
    assert listed(client, made.organiser, made) == [made.hers, made.other]


def test_a_contact_sees_only_their_own_upcoming_focus_groups(client, made):
    assert listed(client, made.priya, made) == [made.hers]


@pytest.mark.parametrize("who", ["editor", "admin_only"])
def test_others_see_no_focus_group_panel(client, made, who):
    page = dashboard(client, getattr(made, who))

    assert PANEL not in page
    assert listed(client, getattr(made, who), made) == []
    # Not even made for them: no query spent on it.
    panels = client.get(DASHBOARD).context["panels"]
    assert "culture_upcoming_focus_groups" not in [panel.name for panel in panels]


def test_the_row_gives_when_places_left_waitlist_and_closing_in_uk_time(client, made):
    # In the admin, Wagtail shows times in the user's own time zone: the panel in UK time.
    profile = UserProfile.get_for_user(made.organiser)
    profile.current_time_zone = "America/New_York"
    profile.save()
    start = made.hers.start.astimezone(factories.focus_groups.LONDON)
    closes = made.hers.signup_closes.astimezone(factories.focus_groups.LONDON)

    page = dashboard(client, made.organiser)
    row = row_of(page, made.hers)

    assert PANEL in page
    assert f"{start:%A} {start.day} {start:%B %Y}, 10am to 11:30am" in row
    assert "0 of 2" in row.split("data-places-left")[1].split("</td>")[0]
    assert ">1</td>" in row.split("data-waitlisted")[1][:20]
    assert f"{closes:%A} {closes.day} {closes:%B %Y}, 10am" in row.split("data-closes")[1]


def test_signup_closes_when_it_starts_where_no_closing_time_is_set(client, made):
    made.other.signup_closes = None
    made.other.save()
    start = made.other.start.astimezone(factories.focus_groups.LONDON)

    row = row_of(dashboard(client, made.organiser), made.other)

    assert f"{start:%A} {start.day} {start:%B %Y}, 10am" in row.split("data-closes")[1]


@pytest.mark.parametrize("who", ["organiser", "priya"])
def test_the_links_open_that_focus_groups_signups_and_register(client, made, who):
    signups = reverse("culture_focus_groups:index") + f"?event={made.hers.pk}"
    register = reverse("culture_focus_groups:register", args=[made.hers.pk])
    row = row_of(dashboard(client, getattr(made, who)), made.hers)

    assert f'href="{signups}"' in row
    assert f'href="{register}"' in row
    listing = client.get(signups)
    assert listing.status_code == 200
    assert {s.full_name for s in listing.context["object_list"]} == {
        "Ann Able",
        "Bob Brown",
        "Cat Cole",
    }
    assert client.get(register).status_code == 200


def test_someone_who_may_only_view_signups_gets_no_register_link(client, made, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="pw")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_signup"),
    )

    row = row_of(dashboard(client, viewer), made.hers)

    assert reverse("culture_focus_groups:index") in row
    assert reverse("culture_focus_groups:register", args=[made.hers.pk]) not in row


def dashboard_queries(client):
    """How many queries the dashboard makes, and how many focus groups its panel lists."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    return len(queries), response.content.decode().count("data-upcoming-focus-group=")


@pytest.mark.parametrize("who", ["organiser", "priya"])
def test_the_dashboard_makes_as_many_queries_for_five_focus_groups_as_for_one(client, made, who):
    # Priya sees her one focus group, then five; the organiser the demo content's too.
    client.force_login(getattr(made, who))
    dashboard_queries(client)  # caches warm (the sites' root paths, say)
    queries, rows = dashboard_queries(client)

    for days in (15, 16, 17, 18):
        event = factories.focus_group(
            made.tree.focus_groups, days_from_today=days, contact=made.hers.contact
        )
        factories.sign_up(event, "Dan Dale")

    assert dashboard_queries(client) == (queries, rows + 4)
    if who == "priya":
        assert rows == 1
