"""System checks for what the programme's pages need from the host's settings."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def translations_start_as_drafts(app_configs, **kwargs):
    """wagtail-localize publishes a new translation at once, in the original's words,
    unless told not to; the plugin's translations go live when approved."""
    if getattr(settings, "WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE", True):
        return [
            Warning(
                "New translations are published at once, still in the original language.",
                hint="Set WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False, so that a "
                "translation is a draft until it is translated and approved.",
                id="culture_cms.W001",
            )
        ]
    return []
