"""Settings shared by every environment. Values come from the environment (12-factor)."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in ("1", "true", "on", "yes")


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The standalone site; a host intranet has its own home app instead.
    "home",
    # The plugin. "culture_cms" itself holds its translations (culture_cms/locale).
    "culture_cms",
    "culture_cms.organisation",
    "culture_cms.programme",
    "culture_cms.focus_groups",
    "blocks",
    # Third parties.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtailnhsukfrontend",
    "anymail",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "culture_cms.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "culture_cms.urls"
WSGI_APPLICATION = "culture_cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Persistent connections, checked before reuse: after the database restarts, the next
# request reconnects instead of failing on a dead connection.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=600, conn_health_checks=True
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: on from the first migration, so the first Locale is en-gb.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [
    ("en-gb", _("English")),
    ("cy", _("Welsh")),
]
LOCALE_PATHS = [BASE_DIR / "culture_cms" / "locale"]
WAGTAIL_I18N_ENABLED = True
# "Translate this page" makes the translation a draft: it goes live when it is in Welsh
# and approved, not at once in English (wagtail-localize's default).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(BASE_DIR / "static_collected"))
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail
WAGTAIL_SITE_NAME = "Culture CMS"
# No editor's email address (not even its hash) goes to gravatar.com.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the admin ask releases.wagtail.org for news: an intranet does not call out.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# Mail goes through an anymail ESP backend, or the SMTP backend to a relay (NHSmail, or
# the trust's own); any Django backend works.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "culture-programme@example.nhs.uk")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH")  # for the file backend
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")  # STARTTLS, port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")  # implicit TLS, port 465
# Seconds before a silent relay is given up on (Django waits for ever): the try is then
# recorded and retried, and the worker is free for the next email.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "30"))
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in os.environ.items()
    if key.startswith("ANYMAIL_")
}

# Tasks (email, and Wagtail's own reference/search index updates) are queued
# durably in the database and run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# The plugin's settings and their defaults: culture_cms/conf.py.
CULTURE_CMS_LOGIN_REQUIRED = env_bool("CULTURE_CMS_LOGIN_REQUIRED")
CULTURE_CMS_SIGNUP_RETENTION_DAYS = int(os.environ.get("CULTURE_CMS_SIGNUP_RETENTION_DAYS", "90"))
# Seconds a worker's claim on an email lasts: after a worker dies mid-send, the
# scheduler's sweep sends that email again once its claim has run out.
CULTURE_CMS_EMAIL_SENDING_LEASE = int(os.environ.get("CULTURE_CMS_EMAIL_SENDING_LEASE", "600"))

# A missing or stale form token gets a page in the site's chrome, not Django's bare one.
CSRF_FAILURE_VIEW = "culture_cms.focus_groups.views.csrf_failure"
# Where CULTURE_CMS_LOGIN_REQUIRED sends readers to sign in: Wagtail's own sign-in page.
LOGIN_URL = "wagtailadmin_login"

# One cache shared by every web process (rate limits count in it, Wagtail keeps its site
# paths in it): Redis when REDIS_URL is set, else the database (run createcachetable).
# Both are culture_cms/cache.py's: Redis that fails open, a database cache that counts.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "culture_cms.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "culture_cms"),
            # A Redis that does not answer is given up on quickly, not waited for.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "culture_cms.cache.DatabaseCache",
            "LOCATION": "culture_cms_cache",
            # Django culls a third of the entries past MAX_ENTRIES (300 by default): a
            # burst from a few hundred addresses would wipe the rate-limit counts.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# The reverse proxies in front of the site (comma separated, addresses or CIDR ranges):
# requests from them have the client's address read from X-Forwarded-For.
CULTURE_CMS_TRUSTED_PROXIES = env_list("CULTURE_CMS_TRUSTED_PROXIES")

# Content-Security-Policy (django-csp): only this site's own scripts, styles, fonts and
# images; the two inline scripts of base.html carry the request's nonce. The admin's
# own additions are in culture_cms/security.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Browser features no page here uses, switched off (django-permissions-policy).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
SECURE_REFERRER_POLICY = "same-origin"

# Logs go to standard output, one line an event: JSON for a log collector in
# production (LOG_FORMAT=json), plain text otherwise.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "filters": {"database_unreachable": {"()": "culture_cms.health.DatabaseUnreachableFilter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["database_unreachable"],
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request errors reach the root's handler once, not its own too.
        "django": {"level": os.environ.get("LOG_LEVEL", "INFO"), "propagate": True},
        # Two lines for every task run (emails, search index) drown the rest; a failed
        # task is still logged, as an ERROR with its traceback.
        "django_tasks": {"level": os.environ.get("TASKS_LOG_LEVEL", "WARNING")},
    },
}

# PostgreSQL: a database host that does not answer is given up on after 5 s (libpq
# waits about two minutes), so people see the 503 page, not the proxy's timeout.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

# SQLite: take the write lock when a transaction starts, so booking decisions queue up
# (PostgreSQL locks the focus group's row instead).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
