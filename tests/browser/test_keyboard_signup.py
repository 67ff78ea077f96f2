"""The signup done with the keyboard alone, with a visible focus indicator at each step."""

import pytest
from playwright.sync_api import Page, expect
from wagtail.models import Locale

from culture_cms.focus_groups.models import FocusGroupEventPage, Signup

# The live server needs committed data; the rollback keeps the migrations' rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# What has focus, and whether it shows: an outline or a box shadow on the element,
# or for NHS.UK radios and checkboxes (the input itself is hidden) on its label's box.
FOCUSED = """() => {
  const el = document.activeElement;
  const shows = (style) => (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== "none";
  let visible = shows(getComputedStyle(el));
  if (el.type === "radio" || el.type === "checkbox") {
    const label = document.querySelector(`label[for="${el.id}"]`);
    visible = visible || shows(getComputedStyle(label, "::before"));
  }
  return {name: el.name || "", value: el.value || "", tag: el.tagName,
          text: (el.innerText || "").trim().slice(0, 40), visible};
}"""


def tab_to(page: Page, stops, name, value=None, key="Tab"):
    """Press Tab (or Shift+Tab) until the field named has focus; every stop on the way,
    and the field, must show that it has focus."""
    for _ in range(80):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        stops.append(focused)
        assert focused["visible"], f"no visible focus on {focused}"
        if focused["name"] == name and (value is None or focused["value"] == value):
            return
    raise AssertionError(f"{name} never took focus")


def test_signup_with_the_keyboard_alone(demo, live_server, page: Page):
    event = FocusGroupEventPage.objects.filter(locale=Locale.get_default()).order_by("start")[0]
    page.goto(live_server.url + event.url)
    stops = []

    tab_to(page, stops, "full_name")
    page.keyboard.type("Grace Hopper")
    tab_to(page, stops, "email")
    page.keyboard.type("grace.hopper@example.nhs.uk")
    tab_to(page, stops, "staff_group")  # the first radio of the group
    page.keyboard.press("ArrowDown")  # arrows move through a radio group and check
    page.keyboard.press("Space")
    tab_to(page, stops, "job_role")
    tab_to(page, stops, "staff_group", key="Shift+Tab")  # back to the chosen radio
    assert stops[-1]["value"] == "medical"
    tab_to(page, stops, "consent")
    page.keyboard.press("Space")
    for _ in range(10):  # on to the submit button
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        stops.append(focused)
        assert focused["visible"], f"no visible focus on {focused}"
        if focused["tag"] == "BUTTON" and focused["text"] == "Sign up":
            break
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1, name="Your place is confirmed")).to_be_visible()
    signup = Signup.objects.get(email="grace.hopper@example.nhs.uk")
    assert (signup.full_name, signup.staff_group) == ("Grace Hopper", "medical")
    assert len(stops) > 10
