"""The Signups admin, as split by job (culture_cms/focus_groups/admin_views/): its listing
sorts by the waitlist's own order."""

from django.urls import reverse

from tests.factories import sign_up


def test_sorting_by_waitlist_position_lists_the_waitlist_in_line(admin_client, one_place_event):
    for name in ["Ann Able", "Bob Brown", "Cat Cole", "Dan Dell"]:
        sign_up(one_place_event, name)

    response = admin_client.get(
        reverse("culture_focus_groups:index"),
        {"ordering": "place_in_line", "status": "waitlisted"},
    )

    rows = response.context["object_list"]
    assert [(row.full_name, row.place_in_line) for row in rows] == [
        ("Bob Brown", 1),
        ("Cat Cole", 2),
        ("Dan Dell", 3),
    ]
