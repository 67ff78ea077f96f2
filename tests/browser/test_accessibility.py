"""The public pages in Chromium, in each language: no WCAG 2.2 A or AA violations
(axe-core), valid HTML (the Nu Html Checker), and no sideways scrolling at 320 CSS
pixels (WCAG 1.4.10 Reflow). Every kind of HTML email, opened in Chromium, passes
axe and the checker too.

axe-core and the checker come from npm (package.json; `make test` installs them).
axe-core is injected into each page as it stands: as loaded, or the form after
submitting it (the live server serves it, so Chromium fetches and compiles it once,
not once per page). Every state's HTML, in both languages, goes to the Nu Html
Checker (Java) in one run. Screenshots of each state at 320 and 1280 pixels, for people to
look at, are taken only on request (full-page, they add a fifth to a third to the
walk's CPU time):

    CULTURE_CMS_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_accessibility.py

leaves them in screenshots/ (git ignores it).
"""

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect
from wagtail.models import Locale

from culture_cms.focus_groups import emails, services
from culture_cms.focus_groups.models import (
    FocusGroupEventPage,
    FocusGroupIndexPage,
    FocusGroupState,
    OutboundEmail,
    Signup,
)
from culture_cms.programme.models import GlossaryPage, KeyMessagesPage, ProgrammePage
from home.models import HomePage
from tests.factories.focus_groups import email_of_kind

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
TAKE_SCREENSHOTS = bool(os.environ.get("CULTURE_CMS_SCREENSHOTS"))
WIDE, NARROW = 1280, 320
LANGUAGES = [code for code, _name in settings.LANGUAGES]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# The checker runs for a few seconds: the JVM's optimising compiler (C2) and its
# parallel garbage collector cost more CPU than they save in so short a run; with
# the quick compiler (C1) alone and the serial collector it takes less than half the
# CPU, for the same messages. C1's code needs deeper stacks: at Java's default 1 MB
# the checker stops with a StackOverflowError (printing no JSON, so the test fails);
# it runs from 2 MB.
JAVA = ["java", "-Xss8m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]

# The live server needs committed data; the rollback keeps the migrations' rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    """axe-core goes in as an inline script, which the pages' Content-Security-Policy
    rightly blocks; the policy itself is test_content_security_policy.py's."""
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def axe_url(live_server, settings):
    """axe-core as a static file of the live server: Chromium's cache then keeps it,
    with its compiled code, from one page to the next."""
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("axe-core", AXE.parent)]
    return f"{live_server.url}{settings.STATIC_URL}axe-core/{AXE.name}"


def violations(page: Page, axe_url):
    """axe's WCAG 2.2 A and AA violations on the page as it stands: rule, impact, where."""
    page.add_script_tag(url=axe_url)
    # resultTypes: every node of every violation as before, but axe no longer builds
    # selectors for every node that passes, which this test never reads.
    found = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: "tag", values: tags},
                                                    resultTypes: ["violations"]}))
            .violations.map(v => ({rule: v.id, impact: v.impact,
                                   where: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))""",
        WCAG_22_AA,
    )
    return found


def overflow_at_320(page: Page, name):
    """How many pixels the page scrolls sideways at 320, measured at 320 and back at
    1280 after; with CULTURE_CMS_SCREENSHOTS set, a screenshot at each width too."""
    page.set_viewport_size({"width": NARROW, "height": 900})
    screenshot(page, name, NARROW)
    # After the resize's frames, so that scripts laying the page out again on
    # "resize" (or in the animation frame it asks for) have run.
    overflow = page.evaluate(
        """() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() =>
            done(document.documentElement.scrollWidth - document.documentElement.clientWidth))))"""
    )
    page.set_viewport_size({"width": WIDE, "height": 900})
    screenshot(page, name, WIDE)
    return overflow


def screenshot(page: Page, name, width):
    if TAKE_SCREENSHOTS:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)


def html_errors(documents, folder):
    """The Nu Html Checker's errors for each named HTML document: {name: [message, ...]}."""
    for name, html in documents.items():
        (folder / f"{name.replace(' ', '-')}.html").write_text(html, encoding="utf-8")
    checked = subprocess.run(  # noqa: S603 — our own jar and files
        [*JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always"]
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


def test_public_pages_are_accessible_and_valid_html(
    demo, live_server, axe_url, page: Page, tmp_path, settings
):
    """Each language's walk, one after the other in one browser; the Nu Html Checker
    then reads every state of both in one run (its JVM starts once)."""
    documents, found, overflows = {}, {}, {}
    for language in LANGUAGES:
        walk(language, live_server, axe_url, page, settings, documents, found, overflows)
        # The next walk starts as this one did: no signups, no attempts counted.
        Signup.objects.all().delete()
        FocusGroupState.objects.all().delete()
        cache.clear()

    states = 19 + len(OutboundEmail.Kind)
    assert len(found) == len(documents) == states * len(LANGUAGES)
    assert {state: rules for state, rules in found.items() if rules} == {}
    assert html_errors(documents, tmp_path) == {}
    assert {state: pixels for state, pixels in overflows.items() if pixels > 0} == {}


def walk(language, live_server, axe_url, page: Page, settings, documents, found, overflows):
    """Every public page and each state of the signup form, in one language, and each
    kind of email as sent in it: the HTML of each into documents, axe's violations into
    found and the sideways scroll at 320 into overflows, by "<language> <state>"."""
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
    page.set_viewport_size({"width": WIDE, "height": 900})

    def check(state, url=None, heading=None):
        if url:
            page.goto(live_server.url + url)
        if heading:  # the state is the one meant, not an error page in its place
            with translation.override(language):
                expect(page.locator("h1")).to_have_text(gettext(heading))
        name = f"{language} {state}"
        documents[name] = page.content()
        found[name] = violations(page, axe_url)
        overflows[name] = overflow_at_320(page, name.replace(" ", "-"))

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
    sign_up("Ada Lovelace", "ada.lovelace@example.nhs.uk")  # again
    check("already booked", heading="This email address is already booked")
    grace = Signup.objects.get(email="grace.hopper@example.nhs.uk")
    with translation.override(language):
        cancel_url = reverse("culture_cms:cancel", args=[services.cancel_token(grace)])
    check("cancel confirm", cancel_url, "Cancel your place")
    page.locator("form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    check("cancel done", heading="Your place has been cancelled")
    check("cancel link used", cancel_url, "This cancel link cannot be used")
    # No attempts allowed. (Limiting to 3 would depend on the clock: the counts start
    # again when a window ends.)
    zero = {"per_ip": 0, "per_email": 0, "window": 600}
    with override_settings(CULTURE_CMS_SIGNUP_RATE_LIMIT=zero):
        sign_up("Katherine Johnson", "katherine.johnson@example.nhs.uk")
        check("429", heading="Too many attempts")
    page.goto(live_server.url + f"{prefix}/no-such-page/")
    check("404")

    ada = Signup.objects.get(email="ada.lovelace@example.nhs.uk")
    assert ada.status == Signup.Status.CONFIRMED  # promoted when Grace cancelled
    for kind in OutboundEmail.Kind:
        # As sent: to Ada in her language (this walk's), to the contact in English.
        [(html, _mimetype)] = emails.build_message(email_of_kind(kind, ada)).alternatives
        name = f"{language} email {kind}"
        documents[name] = html
        page.set_content(html)
        found[name] = violations(page, axe_url)

    same = FocusGroupEventPage.objects.filter(translation_key=event.translation_key)
    same.update(by_invitation=True)
    check("by invitation", event.url, event.title)
    same.update(by_invitation=False)
    services.cancel_focus_group(event, message="The facilitator is unwell.")
    check("cancelled event", event.url, event.title)
    check("index with a cancelled event", pages["FocusGroupIndexPage"].url)
