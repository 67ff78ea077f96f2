"""The standalone site's Content-Security-Policy: the strict one of the settings for
every page, with what Wagtail's admin needs added on its pages only."""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.urls import reverse

# Wagtail 8's admin still runs inline scripts (page listings, history, users) and sets
# inline styles (the page editor's panels and StreamField), seen as CSP violations in
# Chromium without these: so its pages, and only they, allow inline code.
ADMIN_ADDITIONS = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(reverse("wagtailadmin_home")):
            parts.update = {**ADMIN_ADDITIONS, **(parts.update or {})}
        return parts
