"""Fixtures of tests/focus_groups/test_models.py and test_admin_views.py."""

import pytest


@pytest.fixture
def one_place_event(demo, queue_only):
    """The first demo focus group, with one place: the second signup joins the waitlist."""
    event = demo.events[0]
    event.capacity = 1
    event.save()
    return event
