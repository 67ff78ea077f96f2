"""`manage.py create_demo_editor`: the demo's editor, moderator and organiser, each able to
do their part of the work and no more, so that the demo shows the approval step."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page, Workflow

from culture_cms.focus_groups.permissions import can_change_signups, can_see_signups
from culture_cms.programme.models import COMMS_APPROVAL
from home.management.commands.create_demo_editor import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
USERS = ["editor", "moderator", "organiser"]


def create(settings, *args):
    settings.DEBUG = True
    out = StringIO()
    call_command("create_demo_editor", *args, stdout=out)
    users = get_user_model().objects.in_bulk(USERS, field_name="username")
    return users, out.getvalue()


def groups(user):
    return sorted(user.groups.values_list("name", flat=True))


def test_each_user_is_in_the_groups_of_their_part(settings):
    users, printed = create(settings)

    assert groups(users["editor"]) == ["Editors"]
    assert groups(users["moderator"]) == ["Moderators"]
    assert groups(users["organiser"]) == ["Facilitators", "Organisers"]
    for username, user in users.items():
        assert user.check_password(DEMO_PASSWORD)
        assert username in printed
    assert DEMO_PASSWORD in printed


def test_the_editor_submits_and_only_the_moderator_approves(settings):
    users, _printed = create(settings)
    [task] = [task.specific for task in Workflow.objects.get(name=COMMS_APPROVAL).tasks]
    page = Page.get_first_root_node().get_children().first()  # Wagtail's first page

    editor, moderator = (page.permissions_for_user(users[name]) for name in USERS[:2])
    assert editor.can_edit() and not editor.can_publish()
    assert moderator.can_edit() and moderator.can_publish()
    assert not task.groups.filter(user=users["editor"]).exists()
    assert task.groups.filter(user=users["moderator"]).exists()
    for username in USERS:
        assert users[username].has_perm("wagtailadmin.access_admin")


def test_only_the_organiser_sees_and_changes_signups(settings):
    users, _printed = create(settings)

    assert can_see_signups(users["organiser"]) and can_change_signups(users["organiser"])
    assert not can_see_signups(users["editor"])
    assert not can_see_signups(users["moderator"])


def test_running_again_resets_the_password_and_the_groups(settings):
    users, _printed = create(settings)
    users["editor"].groups.clear()

    users, printed = create(settings, "--password", "another-pass-2026")

    assert groups(users["editor"]) == ["Editors"]
    assert users["editor"].check_password("another-pass-2026")
    assert "another-pass-2026" not in printed
    assert get_user_model().objects.filter(username="editor").count() == 1


def test_the_well_known_password_is_refused_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("create_demo_editor", stdout=StringIO())
    assert not get_user_model().objects.filter(username="editor").exists()
