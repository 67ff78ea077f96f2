"""The dev settings, with the rate limit out of the way of a benchmark's many signups."""

from culture_cms.settings.dev import *  # noqa: F403

CULTURE_CMS_SIGNUP_RATE_LIMIT = {"per_ip": 100_000, "per_email": 100_000, "window": 600}
