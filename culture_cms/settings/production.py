"""Production: DEBUG off, hashed and compressed static files, HTTPS behind a proxy.

Every value a trust sets comes from the environment (README, Production).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, SECRET_KEY, STORAGES, env_bool

DEBUG = False
if not SECRET_KEY:
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable for production.")

# Hashed names with far-future cache headers, gzip and Brotli copies (whitenoise).
STORAGES["staticfiles"] = {"BACKEND": "culture_cms.staticfiles.ManifestStaticFilesStorage"}

# HTTPS ends at the reverse proxy, which says so in X-Forwarded-Proto; plain http is
# redirected to https. The proxy must overwrite the header, never pass on a client's.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer's health check may come over plain http from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
# HSTS: browsers use https only, for a year by default (SECURE_HSTS_SECONDS=0 turns it off).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Logs as JSON lines unless told otherwise.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING["handlers"]["stdout"]["formatter"] = LOG_FORMAT
# The HSTS preload list is for public domains (preloading commits the whole registrable
# domain, nhs.uk for a trust); an intranet is not submitted, so Django's reminder is off.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
