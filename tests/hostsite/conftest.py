"""The host-site suite runs on its own settings.

    pytest tests/hostsite --ds=tests.hostsite.settings

Under any other settings (the main suite) nothing here is collected, since the
intranet app is not installed there.
"""

from django.conf import settings

HOST_SETTINGS = "tests.hostsite.settings"

if settings.SETTINGS_MODULE != HOST_SETTINGS:
    collect_ignore_glob = ["*"]
