"""The plugin's own settings, with their defaults: a host intranet sets only what it changes."""

from django.conf import settings

DEFAULTS = {
    # Event pages and signup need a signed-in user.
    "CULTURE_CMS_LOGIN_REQUIRED": False,
    # How long a participant's cancel link works (it never works once the group starts).
    "CULTURE_CMS_CANCEL_LINK_MAX_AGE": 120 * 24 * 60 * 60,
    # Tries before an email is marked failed; the waits between them grow to 6 hours.
    "CULTURE_CMS_EMAIL_MAX_ATTEMPTS": 10,
    # Seconds a claimed email waits for its worker before send_due retries it (> EMAIL_TIMEOUT).
    "CULTURE_CMS_EMAIL_SENDING_LEASE": 600,
    # Days after a focus group ends before purge_signups anonymises its signups.
    "CULTURE_CMS_SIGNUP_RETENTION_DAYS": 90,
    # Signup attempts allowed per window from one client address, and bookings
    # accepted per window for one email address (culture_cms/focus_groups/ratelimit.py).
    "CULTURE_CMS_SIGNUP_RATE_LIMIT": {"per_ip": 20, "per_email": 5, "window": 600},
    # The reverse proxies in front of the site: addresses or CIDR ranges (a list, or
    # one comma-separated string). From them, the client is read from X-Forwarded-For.
    "CULTURE_CMS_TRUSTED_PROXIES": [],
}


def setting(name):
    return getattr(settings, name, DEFAULTS[name])
