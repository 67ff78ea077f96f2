"""The host-site suite runs on its own settings, against the plugin installed from a wheel.

    .ci/hostsite       (builds the wheel, then: pytest tests/hostsite --ds=tests.hostsite.settings)

Under any other settings (the main suite) nothing here is collected, since the
intranet app is not installed there.
"""

from django.conf import settings

HOST_SETTINGS = "tests.hostsite.settings"

if settings.SETTINGS_MODULE != HOST_SETTINGS:
    collect_ignore_glob = ["*"]
