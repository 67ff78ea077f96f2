"""A translation goes live when it is translated and approved.

"Translate this page" makes the translation a draft (the setting
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False). Someone who may publish
presses Publish in wagtail-localize's translation editor. Someone who may not (an
editor in Wagtail's Editors group) has no Publish there, and wagtail-localize offers
nothing else; so the page's "More" menu offers "Submit translation for approval":
the translation as it stands is saved as a draft revision and sent to the workflow
the original page goes through (Comms approval), where a moderator approves and
publishes it from their dashboard, as they do pages.
"""

from wagtail.models import Workflow
from wagtail_localize.models import Translation

from .models import COMMS_APPROVAL


def synced_translation(page):
    """wagtail-localize's record of the synced translation this page is, or None (an
    original, or a translation someone stopped syncing)."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .exclude(source__locale_id=page.locale_id)
        .select_related("source")
        .first()
    )


def workflow_for(translation):
    """The workflow of the original page (a translation's own tree is often given
    none), else Comms approval."""
    original = translation.source.get_source_instance()
    return (
        original.get_workflow() or Workflow.objects.filter(name=COMMS_APPROVAL, active=True).first()
    )


def can_submit_for_approval(page, user):
    """Whether the user may send this translation to approval now: they may edit it, it
    is a synced translation, and it is not in a workflow already."""
    return (
        page.permissions_for_user(user).can_edit()
        and not page.workflow_in_progress
        and synced_translation(page) is not None
    )


def submit_for_approval(page, user):
    """Save the translation as it stands as a draft revision of the page and start the
    original's workflow on it; the workflow, or None when there is none to start.

    Raises django.core.exceptions.ValidationError when the translation cannot be
    saved (a placeholder left in it, say), with nothing saved.
    """
    translation = synced_translation(page)
    workflow = workflow_for(translation)
    if workflow is None:
        return None
    translation.save_target(user=user, publish=False)
    page = type(page).objects.get(pk=page.pk)
    workflow.start(page, user)
    return workflow
