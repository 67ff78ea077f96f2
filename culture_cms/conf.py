"""The plugin's own settings, with their defaults: a host intranet sets only what it changes."""

from django.conf import settings

DEFAULTS = {
    # The template every plugin page extends.
    "CULTURE_CMS_BASE_TEMPLATE": "base.html",
    # Event pages and signup need a signed-in user.
    "CULTURE_CMS_LOGIN_REQUIRED": False,
    # How long a participant's cancel link works (it never works once the group starts).
    "CULTURE_CMS_CANCEL_LINK_MAX_AGE": 120 * 24 * 60 * 60,
    # Tries before an email is marked failed; the waits between them grow to 6 hours.
    "CULTURE_CMS_EMAIL_MAX_ATTEMPTS": 10,
    # Days after a focus group ends before purge_signups anonymises its signups.
    "CULTURE_CMS_SIGNUP_RETENTION_DAYS": 90,
    # Signup attempts allowed per window, per IP address and per email address.
    "CULTURE_CMS_SIGNUP_RATE_LIMIT": {"per_ip": 20, "per_email": 5, "window": 600},
}


def setting(name):
    return getattr(settings, name, DEFAULTS[name])
