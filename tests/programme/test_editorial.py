"""The editorial machinery: comms approval, scheduled publishing, search, the userbar."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Page, Workflow
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from culture_cms.programme.models import COMMS_APPROVAL, KeyMessagesPage, ProgrammePage
from tests import factories
from tests.factories.module_data import built_once

NONSENSE = "zxqvbnplonk"


def draft_key_messages(parent, slug, summary="Messages for ward managers."):
    """A key messages page under parent that has never been published."""
    page = KeyMessagesPage(
        title="Key messages for managers",
        slug=slug,
        tool_reference="4.4",
        summary=summary,
        body=[("key_message_section", {"heading": "Why", "body": "<p>Culture matters.</p>"})],
        live=False,
    )
    parent.add_child(instance=page)
    return page


def build():
    tree = factories.site_tree()
    tree.key_messages = factories.key_messages_page(
        tree.programme,
        body=[
            {
                "type": "key_message_section",
                "value": {
                    "heading": "The Culture and Leadership Programme",
                    "body": "<p>Cultures that deliver high quality, continuously improving, "
                    "compassionate care.</p>",
                },
            }
        ],
    )
    return tree


# Made once for the module (tests/factories/module_data.py); each test has its copy.
built, made = built_once(build)


@pytest.fixture
def tree(made):
    """A minimal site with a live Tool 4.3 key messages page under the programme."""
    return made


def search(client, query):
    """The pages the search view lists for this query."""
    response = client.get(reverse("culture_cms:search"), {"query": query})
    assert response.status_code == 200
    return list(response.context["results"])


# Moderation: the "Comms approval" workflow


@pytest.mark.django_db
def test_comms_approval_workflow_is_made_by_the_migrations():
    workflow = Workflow.objects.get(name=COMMS_APPROVAL)

    assert workflow.active
    [task] = [task.specific for task in workflow.tasks]
    assert isinstance(task, GroupApprovalTask)
    assert [group.name for group in task.groups.all()] == ["Moderators"]


# These two are about the shipped demo content: load_initial_data assigns the workflow.


def test_demo_programme_page_is_assigned_comms_approval(demo):
    assert demo.programme.get_workflow().name == COMMS_APPROVAL


def test_tool_4_3_page_goes_through_comms_approval(demo):
    assert demo.key_messages.get_workflow().name == COMMS_APPROVAL


def test_programme_page_created_in_the_admin_is_assigned_comms_approval(db, admin_client):
    root = Page.get_first_root_node()
    url = reverse("wagtailadmin_pages:add", args=["culture_programme", "programmepage", root.pk])
    data = nested_form_data(
        {
            "title": "Culture programme",
            "slug": "culture-programme",
            "intro": rich_text("<p>Our programme.</p>"),
            "body": streamfield([]),
            "action-publish": "action-publish",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302
    page = ProgrammePage.objects.child_of(root).get(slug="culture-programme")
    assert page.get_workflow().name == COMMS_APPROVAL


# Scheduled publishing


@pytest.fixture
def scheduled(tree):
    """A never-published page, approved to go live in an hour."""
    page = draft_key_messages(tree.programme, "scheduled")
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = page.save_revision()
    revision.publish()
    return page


def publish_scheduled(at=None):
    """Run the cron job, as if the clock said `at`."""
    with mock.patch("django.utils.timezone.now", return_value=at or timezone.now()):
        call_command("publish_scheduled", stdout=StringIO())


def test_publishing_with_a_future_go_live_date_schedules_the_page(scheduled):
    page = KeyMessagesPage.objects.get(pk=scheduled.pk)

    assert not page.live
    assert page.latest_revision.approved_go_live_at == scheduled.go_live_at


def test_publish_scheduled_leaves_a_page_that_is_not_due_yet(scheduled):
    publish_scheduled()

    assert not KeyMessagesPage.objects.get(pk=scheduled.pk).live


def test_publish_scheduled_publishes_a_page_once_its_go_live_time_has_passed(scheduled):
    publish_scheduled(at=scheduled.go_live_at + datetime.timedelta(minutes=1))

    page = KeyMessagesPage.objects.get(pk=scheduled.pk)
    assert page.live
    assert page.live_revision == page.latest_revision
    assert page.live_revision.approved_go_live_at is None


# Search


def test_search_finds_the_tool_4_3_page(tree, client):
    assert tree.key_messages in search(client, "compassionate")


@pytest.fixture
def another_tool(tree):
    """A live key messages page of tool 4.4, which a search for 4.3 must not find."""
    return factories.key_messages_page(
        tree.programme, title="Messages for managers", slug="managers", tool_reference="4.4"
    )


def admin_search(client, query):
    """The pages the Wagtail admin's page search lists for this query."""
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": query})
    assert response.status_code == 200
    return [page.specific for page in response.context["object_list"]]


@pytest.mark.parametrize("query", ["Tool 4.3", "4.3"])
def test_search_finds_the_key_messages_page_by_its_tool(tree, client, another_tool, query):
    assert "4.3" not in tree.key_messages.title  # found by its tool reference

    found = search(client, query)

    # (The database also holds the demo content's own Tool 4.3 pages.)
    assert tree.key_messages in found
    assert another_tool not in found


@pytest.mark.parametrize("query", ["Tool 4.3", "4.3"])
def test_admin_page_search_finds_the_key_messages_page_by_its_tool(
    tree, admin_client, another_tool, query
):
    assert "4.3" not in tree.key_messages.title

    found = admin_search(admin_client, query)

    assert tree.key_messages in found
    assert another_tool not in found


def test_search_finds_nothing_for_a_nonsense_word(tree, client):
    assert search(client, NONSENSE) == []


def test_search_without_a_query_lists_nothing(tree, client):
    assert search(client, "") == []


def test_search_leaves_out_pages_that_are_not_live(tree, client):
    draft = draft_key_messages(tree.programme, "draft", summary=f"The {NONSENSE} plan.")
    # The draft is in the search index; the search page must still leave it out.
    assert draft in KeyMessagesPage.objects.search(NONSENSE)

    assert search(client, NONSENSE) == []


# The Wagtail userbar and its accessibility checker


@pytest.fixture
def editor(django_user_model):
    """A member of Wagtail's own Editors group, who may use the admin."""
    user = django_user_model.objects.create_user("editor", password="password")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


USERBAR = 'id="wagtail-userbar-template"'
CHECKER = 'id="checker-axe-configuration"'


def test_userbar_with_accessibility_checker_is_shown_to_a_signed_in_editor(tree, client, editor):
    client.force_login(editor)

    response = client.get(tree.key_messages.url)

    assert response.status_code == 200
    content = response.content.decode()
    assert USERBAR in content
    assert CHECKER in content


def test_userbar_is_not_shown_to_anonymous_visitors(tree, client):
    response = client.get(tree.key_messages.url)

    assert response.status_code == 200
    assert USERBAR not in response.content.decode()


# Migrations


@pytest.mark.django_db
def test_models_have_no_missing_migrations():
    out = StringIO()

    call_command("makemigrations", "--check", "--dry-run", stdout=out)

    assert "No changes detected" in out.getvalue()
