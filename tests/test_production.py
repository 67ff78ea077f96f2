"""The production settings: static files collected and served, hardening headers,
`check --deploy`, the health check and the page shown while the database is down.

The whole topology (nginx, two gunicorns, PostgreSQL, Redis, two workers) is
tests/topology's; these run in the suite's own process, or in a `manage.py`
subprocess where the settings module itself is what is tested.
"""

import fcntl
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client, override_settings
from wagtail.models import Locale, Site

from culture_cms.health import DatabaseUnreachableFilter
from tests.tools.nhsuk_css import PACKAGE_CSS, SHIPPED_CSS, without_webfonts
from tests.tools.settings_module import read_settings

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "culture_cms.staticfiles.ManifestStaticFilesStorage"},
}

# What a trust sets (README, Production), with a throwaway database.
DOCUMENTED_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "culture_cms.settings.production",
    "SECRET_KEY": "a-long-random-value-for-this-test-only-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "intranet.example.nhs.uk",
    "CSRF_TRUSTED_ORIGINS": "https://intranet.example.nhs.uk",
    "WAGTAILADMIN_BASE_URL": "https://intranet.example.nhs.uk",
    "CULTURE_CMS_TRUSTED_PROXIES": "10.0.0.5",
}


def documented(tmp_path, **environment):
    """The documented environment, with a throwaway database and any changes given."""
    return {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **DOCUMENTED_ENVIRONMENT,
        **environment,
    }


def manage(tmp_path, *args, **environment):
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=documented(tmp_path, **environment),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_the_documented_environment_prints_no_warning(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_hsts_is_turned_off(tmp_path):
    result = manage(tmp_path, "check", "--deploy", SECURE_HSTS_SECONDS="0")

    assert "security.W004" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage(tmp_path, "check", SECRET_KEY="")

    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


# Static files ------------------------------------------------------------------------


AS_IN_PRODUCTION = {
    "STORAGES": PRODUCTION_STORAGES,
    "WHITENOISE_AUTOREFRESH": False,
    "DEBUG": False,
}


@pytest.fixture(scope="session")
def collected_once(tmp_path_factory):
    """collectstatic with the production storage, once for the whole run: xdist's
    workers share the folder, the first to need it collects (pytest-xdist's recipe
    for a session fixture made once). None of the tests changes the files."""
    folder = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        folder = folder.parent  # the run's own, above each worker's
    static_root, done = folder / "collected-static", folder / "collected-static.done"
    with (folder / "collected-static.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            with override_settings(STATIC_ROOT=str(static_root), **AS_IN_PRODUCTION):
                call_command("collectstatic", "--no-input", verbosity=0)
            done.touch()
    return static_root


@pytest.fixture
def collected(collected_once, settings):
    """The collected static files, served by whitenoise with DEBUG off."""
    settings.STATIC_ROOT = str(collected_once)
    for name, value in AS_IN_PRODUCTION.items():
        setattr(settings, name, value)
    return collected_once


def assets(html):
    """The stylesheets, scripts (src and module imports) and icons a page links."""
    found = re.findall(r'<link[^>]+href="(/static/[^"]+)"', html)
    found += re.findall(r'<script[^>]+src="(/static/[^"]+)"', html)
    found += re.findall(r'import [^"]+ from "(/static/[^"]+)"', html)
    return set(found)


def test_the_production_settings_use_this_storage(tmp_path):
    # What the settings compute, read in this process; `check --deploy` above imports
    # them in a real one.
    production = read_settings(documented(tmp_path))

    assert production["STORAGES"] == PRODUCTION_STORAGES


def test_collectstatic_hashes_and_compresses(collected):
    css = list((collected / "culture_cms").glob("nhsuk-frontend-10.4.2-no-webfonts.min.*.css"))

    assert len(css) == 1
    assert Path(f"{css[0]}.gz").exists()
    assert (collected / "staticfiles.json").exists()


def test_every_page_type_and_its_assets_are_served_with_debug_off(collected, demo):
    client = Client()  # made after the settings changed, so whitenoise reads STATIC_ROOT
    welsh_event = demo.events[0].get_translation(Locale.objects.get(language_code="cy"))
    pages = [
        demo.home,
        demo.programme,
        demo.key_messages,
        demo.glossary,
        demo.focus_groups,
        demo.events[0],
        welsh_event,
    ]
    urls = [page.url for page in pages] + ["/search/?query=culture"]
    seen = set()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        seen |= assets(response.content.decode())
    assert any("no-webfonts" in asset for asset in seen)
    assert any(asset.endswith(".js") for asset in seen)
    for asset in sorted(seen):
        response = client.get(asset)
        assert response.status_code == 200, asset
        # Hashed names: cached for ever (whitenoise), a new name on every change.
        assert "max-age=315360000" in response["Cache-Control"], asset
        assert "immutable" in response["Cache-Control"], asset


def test_the_error_pages_render_with_collected_static_files(collected, demo):
    client = Client(raise_request_exception=False)
    with mock.patch.object(Site, "find_for_request", side_effect=RuntimeError("a bug")):
        response = client.get(demo.key_messages.url)

    assert response.status_code == 500
    for asset in assets(response.content.decode()):
        assert client.get(asset).status_code == 200


# Webfonts ------------------------------------------------------------------------------


def test_the_shipped_stylesheet_is_nhsuk_frontends_without_webfonts():
    # After upgrading wagtail-nhsuk-frontend: .venv/bin/python tests/tools/nhsuk_css.py
    assert SHIPPED_CSS.read_text() == without_webfonts(PACKAGE_CSS.read_text())


def test_no_stylesheet_of_ours_loads_a_font_from_another_host():
    shipped = SHIPPED_CSS.read_text()

    assert "@font-face" not in shipped
    assert "assets.nhs.uk" not in shipped
    assert "assets.nhs.uk" in PACKAGE_CSS.read_text()  # what was taken out


# Headers ---------------------------------------------------------------------------------


def test_pages_carry_a_content_security_policy_whose_nonce_is_on_every_inline_script(client, demo):
    response = client.get(demo.key_messages.url)

    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["font-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert len(inline) >= 2
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline)


def test_each_response_has_its_own_nonce(client, demo):
    first = client.get(demo.home.url)["Content-Security-Policy"]
    second = client.get(demo.home.url)["Content-Security-Policy"]

    assert first != second


def test_only_the_admin_allows_inline_code(admin_client, demo):
    policy = admin_client.get("/admin/")["Content-Security-Policy"]

    assert "'unsafe-inline'" in policy
    assert "'unsafe-inline'" not in admin_client.get(demo.home.url)["Content-Security-Policy"]


def test_permissions_and_referrer_policies(client, demo):
    response = client.get(demo.home.url)

    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_behind_a_tls_proxy_https_is_served_with_hsts_and_http_is_redirected(client, demo):
    plain = client.get(demo.home.url)
    secure = client.get(demo.home.url, HTTP_X_FORWARDED_PROTO="https")

    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_admin_sends_nothing_to_gravatar(admin_client):
    html = admin_client.get("/admin/").content.decode()

    assert "gravatar" not in html


# Health check and the database outage page --------------------------------------------


def test_the_health_check_says_ok(client, db):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["cache"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_says_503_when_the_database_is_unreachable(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz/")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable: OperationalError"


def test_while_the_database_is_unreachable_people_see_a_503_page_in_the_sites_layout(client, demo):
    client.raise_request_exception = False
    with mock.patch.object(
        Site, "find_for_request", side_effect=OperationalError("connection refused")
    ):
        response = client.get(demo.key_messages.url)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert 'class="nhsuk-header"' in html
    assert "Sorry, the service is unavailable" in html
    assert "nothing you sent has been saved" in html


def test_any_other_error_is_a_500_page(client, demo):
    client.raise_request_exception = False
    with mock.patch.object(Site, "find_for_request", side_effect=KeyError("a bug")):
        response = client.get(demo.key_messages.url)

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_the_health_check_says_503_when_the_database_cache_fails(client, db):
    missing = {"default": {"BACKEND": "culture_cms.cache.DatabaseCache", "LOCATION": "no_table"}}
    with override_settings(CACHES=missing):
        response = client.get("/healthz/")

    assert response.status_code == 503
    assert response.json()["cache"].startswith("unreachable")


def test_a_request_failing_for_want_of_the_database_is_logged_in_one_line():
    try:
        raise OperationalError("connection to server at 127.0.0.1 failed: refused")
    except OperationalError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
            ("/culture-and-leadership/",), sys.exc_info(),
        )  # fmt: skip

    assert DatabaseUnreachableFilter().filter(record)
    assert record.exc_info is None
    assert record.getMessage() == (
        "Internal Server Error: /culture-and-leadership/: database unreachable (OperationalError)"
    )


def test_any_other_error_keeps_its_traceback():
    try:
        raise KeyError("a bug")
    except KeyError:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error",
            (),
            sys.exc_info(),
        )

    DatabaseUnreachableFilter().filter(record)

    assert record.exc_info is not None
