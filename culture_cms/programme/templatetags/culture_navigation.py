"""Where a reader is and where else they can go: breadcrumbs and the language switcher."""

from types import SimpleNamespace

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context, page):
    """The pages above this one from its site's root page down, in the page's language.

    Each language has its own root page (the site's root page and its
    translations), so the trail starts at whichever of them is above the page.
    Empty on a root page itself, or for a page outside the current site.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None or not isinstance(page, Page) or not page.pk:
        return []
    roots = {
        path.root_path for path in page._get_site_root_paths(request) if path.site_id == site.pk
    }
    ancestors = page.breadcrumbs
    for index, ancestor in enumerate(ancestors):
        if ancestor.url_path in roots:
            return ancestors[index:]
    return []


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in each of the site's languages: code, names, url (None where untranslated).

    A Wagtail page links to its live translations; any other view (search, a
    cancel link) is the same address under the other language's prefix.
    """
    request = context.get("request")
    if request is None:  # rendered outside a request: nothing to link to
        return []
    page = context.get("page")
    current = translation.get_language()
    if isinstance(page, Page) and page.pk:
        # Routing fetched them with the page (CultureCMSPage.route), where it could.
        routed = getattr(page, "routed_translations", None)
        if routed is None:
            routed = page.get_translations(inclusive=True).live().select_related("locale")
        translations = {translated.locale.language_code: translated for translated in routed}
        urls = {code: translated.get_url(request) for code, translated in translations.items()}
    else:
        path = request.get_full_path()
        urls = {code: translate_url(path, code) for code, _name in settings.LANGUAGES}
    versions = []
    for code, name in settings.WAGTAIL_CONTENT_LANGUAGES:
        url = urls.get(code)
        with translation.override(code):
            name_local = str(name)  # "Cymraeg", not "Welsh"
        versions.append(
            SimpleNamespace(
                code=code,
                name=name,
                name_local=name_local,
                url=url,
                absolute_url=request.build_absolute_uri(url) if url else None,
                is_current=code == current,
            )
        )
    return versions
