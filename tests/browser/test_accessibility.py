"""The public pages in Chromium, in each language: no WCAG 2.2 A or AA violations
(axe-core), valid HTML (the Nu Html Checker), and no sideways scrolling at 320 CSS
pixels (WCAG 1.4.10 Reflow). Every kind of HTML email, opened in Chromium, passes
axe and the checker too.

axe-core and the checker come from npm (package.json; `make test` installs them).
axe-core is injected into each page as it stands: as loaded, or the form after
submitting it. The same states' HTML goes to the Nu Html Checker (Java) in one
run. Screenshots at 320 and 1280 pixels go to screenshots/ (git ignores it) for
people to look at.
"""

import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect
from wagtail.models import Locale

from culture_cms.focus_groups import emails, services
from culture_cms.focus_groups.models import (
    FocusGroupEventPage,
    FocusGroupIndexPage,
    OutboundEmail,
    Signup,
)
from culture_cms.programme.models import GlossaryPage, KeyMessagesPage, ProgrammePage
from home.models import HomePage

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
WIDE, NARROW = 1280, 320
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

# The live server needs committed data; the rollback keeps the migrations' rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    """axe-core goes in as an inline script, which the pages' Content-Security-Policy
    rightly blocks; the policy itself is test_content_security_policy.py's."""
    return {**browser_context_args, "bypass_csp": True}


def violations(page: Page):
    """axe's WCAG 2.2 A and AA violations on the page as it stands: rule, impact, where."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: "tag", values: tags}}))
            .violations.map(v => ({rule: v.id, impact: v.impact,
                                   where: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))""",
        WCAG_22_AA,
    )
    return found


def overflow_at_320(page: Page, name):
    """Screenshots at both widths; how many pixels the page scrolls sideways at 320."""
    SCREENSHOTS.mkdir(exist_ok=True)
    overflow = 0
    for width in (NARROW, WIDE):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        if width == NARROW:
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
    return overflow


def html_errors(documents, folder):
    """The Nu Html Checker's errors for each named HTML document: {name: [message, ...]}."""
    for name, html in documents.items():
        (folder / f"{name.replace(' ', '-')}.html").write_text(html, encoding="utf-8")
    checked = subprocess.run(  # noqa: S603 — our own jar and files
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always"]
        + sorted(str(path) for path in folder.glob("*.html")),
        capture_output=True,
        text=True,
        check=True,
    )
    errors = {}
    for message in json.loads(checked.stderr)["messages"]:
        name = Path(message["url"]).stem
        errors.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


def submit_signup(page: Page, **fields):
    for name, value in fields.items():
        if name == "staff_group":  # radios
            page.locator(f'[name="staff_group"][value="{value}"]').check()
        elif name == "consent":
            page.locator('[name="consent"]').check()
        else:
            page.locator(f'[name="{name}"]').fill(value)
    page.locator("form[method=post] button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_public_pages_are_accessible_and_valid_html(
    demo, live_server, page: Page, language, tmp_path, settings
):
    locale = Locale.objects.get(language_code=language)
    pages = {
        model.__name__: model.objects.get(locale=locale, **lookup)
        for model, lookup in [
            (HomePage, {}),
            (ProgrammePage, {}),
            (KeyMessagesPage, {"tool_reference": "4.3"}),
            (GlossaryPage, {}),
            (FocusGroupIndexPage, {}),
        ]
    }
    event = FocusGroupEventPage.objects.filter(locale=locale).order_by("start").first()
    # One place, so the second person to sign up is waitlisted.
    FocusGroupEventPage.objects.filter(translation_key=event.translation_key).update(capacity=1)
    prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
    found, documents, overflows = {}, {}, {}
    page.set_viewport_size({"width": WIDE, "height": 900})

    def check(state, url=None, heading=None):
        if url:
            page.goto(live_server.url + url)
        if heading:  # the state is the one meant, not an error page in its place
            with translation.override(language):
                expect(page.locator("h1")).to_have_text(gettext(heading))
        documents[state] = page.content()
        found[state] = violations(page)
        overflows[state] = overflow_at_320(page, f"{language}-{state.replace(' ', '-')}")

    def sign_up(name, email):
        page.goto(live_server.url + event.url)
        submit_signup(page, full_name=name, email=email, staff_group="nursing", consent="on")

    for name, wagtail_page in pages.items():
        check(name, wagtail_page.url)
    check("search results", f"{prefix}/search/?query=culture")
    check("event with form", event.url)
    submit_signup(page)  # nothing filled in
    check("form with errors")
    sign_up("Grace Hopper", "grace.hopper@example.nhs.uk")
    check("confirmation", heading="Your place is confirmed")
    sign_up("Ada Lovelace", "ada.lovelace@example.nhs.uk")
    check("waitlisted", heading="You are on the waitlist")
    grace = Signup.objects.get(email="grace.hopper@example.nhs.uk")
    with translation.override(language):
        cancel_url = reverse("culture_cms:cancel", args=[services.cancel_token(grace)])
    check("cancel confirm", cancel_url, "Cancel your place")
    page.locator("form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    check("cancel done", heading="Your place has been cancelled")
    check("cancel link used", cancel_url, "This cancel link cannot be used")
    # No attempts allowed from now on. (Limiting to 3 would depend on the clock: the
    # counts start again when a window ends.)
    settings.CULTURE_CMS_SIGNUP_RATE_LIMIT = {"per_ip": 0, "per_email": 0, "window": 600}
    sign_up("Katherine Johnson", "katherine.johnson@example.nhs.uk")
    check("429", heading="Too many attempts")
    page.goto(live_server.url + f"{prefix}/no-such-page/")
    check("404")

    assert len(found) == len(documents) == 15
    ada = Signup.objects.get(email="ada.lovelace@example.nhs.uk")
    assert ada.status == Signup.Status.CONFIRMED  # promoted when Grace cancelled
    for kind in OutboundEmail.Kind:
        # As sent: to Ada in her language (this test's), to the contact in English.
        [(html, _mimetype)] = emails.build_message(emails.addressed(kind, ada)).alternatives
        documents[f"email {kind}"] = html
        page.set_content(documents[f"email {kind}"])
        found[f"email {kind}"] = violations(page)

    assert len(found) == len(documents) == 15 + len(OutboundEmail.Kind)
    assert {state: rules for state, rules in found.items() if rules} == {}
    assert html_errors(documents, tmp_path) == {}
    assert {state: pixels for state, pixels in overflows.items() if pixels > 0} == {}
