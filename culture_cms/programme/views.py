import re

from django.apps import apps
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Locale, Page

from .models import CultureCMSPage


def searched_types():
    """Every page type of the plugin (and of a host, if built on CultureCMSPage) that
    says it is searchable: this app need not know the focus-groups app's pages."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, CultureCMSPage) and model.searchable
    ]


# What no search means, and the databases' full-text search refuses (NUL, say).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def search(request):
    """Wagtail search over the programme's live pages in the current language."""
    query = CONTROL_CHARACTERS.sub(" ", request.GET.get("query", "")).strip()[:200]
    results = Page.objects.none()
    if query:
        pages = (
            Page.objects.live()
            .public()
            .exact_type(*searched_types())
            .filter(locale=Locale.get_active())
            .specific()
        )
        results = pages.search(query)
    return TemplateResponse(
        request,
        "culture_cms/search.html",
        {
            "query": query,
            "results": Paginator(results, 10).get_page(request.GET.get("page")),
        },
    )
