"""The focus groups that other parts of a site show, such as the "upcoming focus groups"
block (blocks/content.py, through the hook this app registers in wagtail_hooks.py) and
the admin dashboard's panel (dashboard.py)."""

from django.db.models import Q
from wagtail.models import Locale, Page, Site

from .models import FocusGroupEventPage
from .permissions import focus_groups_visible_to


def upcoming_focus_groups(request, page=None):
    """Live focus groups that have not started and are not cancelled, soonest first, in
    the page's language (else the active one) and on the request's site: several trusts
    may share one installation."""
    locale_id = getattr(page, "locale_id", None) or Locale.get_active().pk
    events = (
        FocusGroupEventPage.objects.live().upcoming().not_cancelled().filter(locale_id=locale_id)
    )
    site = Site.find_for_request(request) if request else None
    if site is None:
        return events
    # The site's root page has a translation for each language, each a tree of its own.
    if isinstance(page, Page):  # its request's cached copy: no query
        paths = page._get_site_root_paths(request)
    else:
        paths = Site.get_site_root_paths()
    roots = Q()
    for path in paths:
        if path.site_id == site.pk:
            roots |= Q(url_path__startswith=path.root_path)
    return events.filter(roots)


def upcoming_focus_groups_for(user):
    """The live focus groups not started and not cancelled whose signups this user may
    see (all, or their own as the contact), soonest first, each with its `availability`:
    one query however many there are."""
    return focus_groups_visible_to(user).live().upcoming().not_cancelled().with_availability()
