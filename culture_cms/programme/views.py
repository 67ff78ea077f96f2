from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Locale, Page

from culture_cms.conf import setting

from .models import FocusGroupEventPage, GlossaryPage, KeyMessagesPage, ProgrammePage

SEARCHED_TYPES = (ProgrammePage, KeyMessagesPage, GlossaryPage, FocusGroupEventPage)


def search(request):
    """Wagtail search over the programme's live pages in the current language."""
    query = request.GET.get("query", "").strip()[:200]
    results = Page.objects.none()
    if query:
        pages = (
            Page.objects.live()
            .public()
            .type(*SEARCHED_TYPES)
            .filter(locale=Locale.get_active())
            .specific()
        )
        results = pages.search(query)
    return TemplateResponse(
        request,
        "culture_cms/search.html",
        {
            "base_template": setting("CULTURE_CMS_BASE_TEMPLATE"),
            "query": query,
            "results": Paginator(results, 10).get_page(request.GET.get("page")),
        },
    )
