import subprocess
import sys

from django.conf import settings

from tests.tools.settings_module import environment, read_settings


def run_settings(module, **env):
    """Import a settings module in a fresh interpreter with the given environment."""
    return subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            "print(settings.DATABASES['default']['ENGINE'], settings.ALLOWED_HOSTS)",
        ],
        cwd=settings.BASE_DIR,
        env=environment(module, **env),
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings("culture_cms.settings.production")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_reads_the_database_and_hosts_from_the_environment():
    production = read_settings(
        environment(
            "culture_cms.settings.production",
            SECRET_KEY="x" * 50,
            DATABASE_URL="postgres://culture@db.example:5432/culture",
            ALLOWED_HOSTS="intranet.example.nhs.uk,culture.example.nhs.uk",
        )
    )
    assert production["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert production["ALLOWED_HOSTS"] == ["intranet.example.nhs.uk", "culture.example.nhs.uk"]


def test_sqlite_is_the_default_database():
    dev = read_settings(environment("culture_cms.settings.dev"))
    assert dev["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_languages_are_english_first_then_welsh():
    assert settings.LANGUAGE_CODE == "en-gb"
    assert [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES] == ["en-gb", "cy"]
    assert settings.WAGTAIL_I18N_ENABLED
