"""Abuse without a CAPTCHA: the honeypot field and the signup rate limits."""

import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from culture_cms.focus_groups import checks, ratelimit
from culture_cms.focus_groups.models import OutboundEmail, Signup
from tests import factories
from tests.factories.module_data import built_once


def build():
    tree = factories.site_tree()
    return SimpleNamespace(
        tree=tree,
        events=[
            factories.focus_group(tree.focus_groups, days_from_today=days, contact=tree.contact)
            for days in (14, 21, 28)
        ],
    )


# Made once for the module (tests/factories/module_data.py); each test has its copy.
built, made = built_once(build)


@pytest.fixture
def tree(made):
    """The smallest whole site (tests/factories: site_tree)."""
    return made.tree


@pytest.fixture
def event(made):
    """An in-person focus group two weeks ahead, with 10 places, published."""
    return made.events[0]


@pytest.fixture
def events(made):
    """Three focus groups, a week apart."""
    return made.events


def details(**overrides):
    return {
        "full_name": "Ada Lovelace",
        "email": "ada.lovelace@example.nhs.uk",
        "staff_group": "medical",
        "consent": "on",
        **overrides,
    }


def main(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


# The honeypot ---------------------------------------------------------------------------


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, event):
    html = main(client.get(event.url))

    wrapper = re.search(
        r'<div class="nhsuk-u-visually-hidden" aria-hidden="true">\s*'
        r'<label for="id_website">Leave this empty</label>\s*(<input[^>]*>)',
        html,
    )
    assert wrapper
    field = wrapper.group(1)
    for attribute in ['name="website"', 'tabindex="-1"', 'autocomplete="off"', 'value=""']:
        assert attribute in field


def test_a_filled_honeypot_is_refused_and_nothing_is_saved(client, event):
    response = client.post(event.url, details(website="https://spam.example"))

    assert response.status_code == 200
    summary = main(response).split("<h1")[0]
    assert "We could not take your signup" in summary
    assert Signup.objects.count() == 0
    assert OutboundEmail.objects.count() == 0
    assert mail.outbox == []


def test_the_honeypot_is_never_filled_back_in(client, event):
    html = main(client.post(event.url, details(website="https://spam.example")))

    assert "spam.example" not in html


def test_an_empty_honeypot_signs_up(client, event):
    assert client.post(event.url, details(website="")).status_code == 303
    assert Signup.objects.count() == 1


# Rate limits ------------------------------------------------------------------------------


def limits(per_ip=100, per_email=100, window=600):
    return override_settings(
        CULTURE_CMS_SIGNUP_RATE_LIMIT={"per_ip": per_ip, "per_email": per_email, "window": window}
    )


def attempt(client, event, email, ip="192.0.2.1", **overrides):
    return client.post(event.url, details(email=email, **overrides), REMOTE_ADDR=ip)


def assert_too_many(response):
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 600
    html = main(response)
    assert "Too many attempts" in html
    assert re.search(r"Wait \d+ minutes? and try again", html)


def test_too_many_attempts_from_one_ip_address_get_a_429(client, event):
    with limits(per_ip=3):
        for n in range(3):
            assert attempt(client, event, f"person{n}@example.nhs.uk").status_code == 303

        response = attempt(client, event, "person3@example.nhs.uk")

        assert_too_many(response)
        assert not Signup.objects.filter(email="person3@example.nhs.uk").exists()
        # Another address is not held back.
        assert attempt(client, event, "person4@example.nhs.uk", ip="192.0.2.2").status_code == 303


def test_bookings_for_one_email_are_limited_whatever_the_address(client, events):
    first, second, third = events
    with limits(per_email=2):
        assert attempt(client, first, "ada@example.nhs.uk", ip="192.0.2.1").status_code == 303
        assert attempt(client, second, "ADA@example.nhs.uk ", ip="192.0.2.2").status_code == 303

        response = attempt(client, third, "Ada@Example.nhs.uk", ip="192.0.2.3")

        assert_too_many(response)
        assert "several bookings with this email address" in main(response)
        assert not Signup.objects.filter(event=third).exists()
        assert attempt(client, third, "grace@example.nhs.uk", ip="192.0.2.4").status_code == 303


def test_bad_attempts_with_a_colleagues_email_never_lock_them_out(client, event):
    colleague = "grace.hopper@example.nhs.uk"
    with limits(per_email=1):
        for n in range(10):
            # No consent, a filled honeypot, a name on two lines: each refused.
            for refused in ({"consent": ""}, {"website": "x"}, {"full_name": "A\nB"}):
                response = attempt(client, event, colleague, ip=f"192.0.2.{n}", **refused)
                assert response.status_code == 200

        assert attempt(client, event, colleague, ip="198.51.100.7").status_code == 303
    assert Signup.objects.get().email == colleague


def test_booking_again_with_the_same_email_does_not_count(client, events):
    first, second = events[:2]
    with limits(per_email=1):
        for _ in range(3):
            assert attempt(client, first, "ada@example.nhs.uk").status_code == 303

        assert attempt(client, second, "ada@example.nhs.uk").status_code == 429
    assert Signup.objects.filter(email="ada@example.nhs.uk").count() == 1


def test_invalid_attempts_count_too(client, event):
    with limits(per_ip=2):
        attempt(client, event, "not-an-email")
        attempt(client, event, "still-not-an-email")

        assert_too_many(attempt(client, event, "ada@example.nhs.uk"))
    assert Signup.objects.count() == 0


def test_reading_the_page_does_not_count(client, event):
    with limits(per_ip=1):
        for _ in range(5):
            assert client.get(event.url, REMOTE_ADDR="192.0.2.1").status_code == 200

        assert attempt(client, event, "ada@example.nhs.uk").status_code == 303


def test_the_limit_lifts_when_the_window_ends():
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.9")
    start = 6000.0  # the start of a 600-second window

    with limits(per_ip=2, window=600):
        assert ratelimit.attempt_retry_after(request, now=start) is None
        assert ratelimit.attempt_retry_after(request, now=start + 10) is None
        assert ratelimit.attempt_retry_after(request, now=start + 20) == 580
        assert ratelimit.attempt_retry_after(request, now=start + 600) is None


def test_the_cache_holds_no_address_in_the_clear():
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.9")

    with limits():
        ratelimit.attempt_retry_after(request, now=6000.0)
        ratelimit.booking_accepted("ada@example.nhs.uk", now=6000.0)

    keys = list(cache._cache)  # the local-memory cache of the test settings
    assert len(keys) == 2
    assert not any("192.0.2.9" in key or "ada@" in key for key in keys)


# The client's address behind reverse proxies ------------------------------------------


def request_from(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/", REMOTE_ADDR=remote, **headers)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        # No trusted proxy: the header is anyone's to write, so it is ignored.
        ("", "10.0.0.5", "203.0.113.9", "10.0.0.5"),
        # From the trusted proxy: the address it saw, the right-most entry.
        ("10.0.0.5", "10.0.0.5", "203.0.113.9", "203.0.113.9"),
        # A client's own X-Forwarded-For is on the left: not believed.
        ("10.0.0.5", "10.0.0.5", "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        # Two proxies in a row (a CIDR range): skip both.
        ("10.0.0.0/24, 192.168.1.1", "10.0.0.5", "203.0.113.9, 192.168.1.1", "203.0.113.9"),
        # Not from a trusted proxy: its header is ignored.
        ("10.0.0.5", "198.51.100.1", "203.0.113.9", "198.51.100.1"),
        # Only proxies in the chain: the proxy itself, never what a client wrote.
        ("10.0.0.0/8", "10.0.0.5", "10.1.1.1, 10.2.2.2", "10.0.0.5"),
        # Entries with a port, as some proxies write them.
        ("10.0.0.5", "10.0.0.5", "203.0.113.9:51234", "203.0.113.9"),
        ("10.0.0.5", "10.0.0.5", "[2a00:23c7::1]:443", "2a00:23c7::1"),
        # An entry that is not an address: the proxy itself.
        ("10.0.0.5", "10.0.0.5", "unknown", "10.0.0.5"),
        # A trusted proxy with no header: the proxy itself.
        ("10.0.0.5", "10.0.0.5", None, "10.0.0.5"),
        # IPv6.
        ("2001:db8::/32", "2001:db8::1", "2001:db8::2, 2a00:23c7::1", "2a00:23c7::1"),
    ],
)
def test_the_client_address(settings, proxies, remote, forwarded, client):
    settings.CULTURE_CMS_TRUSTED_PROXIES = proxies

    assert ratelimit.client_address(request_from(remote, forwarded)) == client


def test_trusted_proxies_that_do_not_parse_are_a_system_check_error(settings):
    settings.CULTURE_CMS_TRUSTED_PROXIES = "10.0.0.5, proxy.example.nhs.uk"

    errors = checks.trusted_proxies_parse(None)

    assert [error.id for error in errors] == ["culture_cms.E002"]
    assert "proxy.example.nhs.uk" in errors[0].msg


def test_people_behind_the_trusts_proxy_each_have_their_own_limit(client, event, settings):
    settings.CULTURE_CMS_TRUSTED_PROXIES = "10.0.0.5"
    with limits(per_ip=1):
        for n in range(5):
            response = client.post(
                event.url,
                details(email=f"person{n}@example.nhs.uk"),
                REMOTE_ADDR="10.0.0.5",
                HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
            )
            assert response.status_code == 303

        again = client.post(
            event.url,
            details(email="person9@example.nhs.uk"),
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR="203.0.113.0",
        )
        assert again.status_code == 429
