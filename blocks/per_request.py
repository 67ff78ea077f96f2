"""Lists that automatic blocks show, fetched once per request however many blocks ask."""

from django.apps import apps
from django.db.models import Q
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site


def _once_per_request(context, key, fetch):
    request = context.get("request")
    cache = getattr(request, "_culture_cms_lists", None) if request else None
    if cache is None:
        cache = {}
        if request is not None:
            request._culture_cms_lists = cache
    if key not in cache:
        cache[key] = fetch()
    return cache[key]


def _locale_id(context):
    """The page's language (by id: no query), or the active one where there is no page."""
    page = context.get("page")
    return getattr(page, "locale_id", None) or Locale.get_active().pk


def upcoming_focus_groups(context):
    """Live focus groups that have not started, soonest first, in the page's language and
    on this site (several trusts may share one installation)."""
    event_model = apps.get_model("culture_programme", "FocusGroupEventPage")

    def fetch():
        events = event_model.objects.live().upcoming().filter(locale_id=_locale_id(context))
        request = context.get("request")
        site = Site.find_for_request(request) if request else None
        if site is None:
            return list(events)
        # The site's root page has a translation for each language, each a tree of its own.
        page = context.get("page")
        if isinstance(page, Page):  # its request's cached copy: no query
            paths = page._get_site_root_paths(request)
        else:
            paths = Site.get_site_root_paths()
        roots = Q()
        for path in paths:
            if path.site_id == site.pk:
                roots |= Q(url_path__startswith=path.root_path)
        return list(events.filter(roots))

    return _once_per_request(context, ("upcoming", get_language()), fetch)


def cultural_elements(context):
    """All cultural elements in their order, in the page's language."""
    element_model = apps.get_model("culture_programme", "CulturalElement")
    return _once_per_request(
        context,
        ("elements", get_language()),
        lambda: list(element_model.objects.filter(locale_id=_locale_id(context))),
    )
