from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import Workflow, WorkflowPage
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from culture_cms.organisation.models import Contact

from . import translations
from .admin_views import SubmitTranslationView
from .dashboard import StillToAdaptPanel, may_edit_pages
from .models import COMMS_APPROVAL, CulturalElement, Definition, ProgrammePage


class DefinitionViewSet(SnippetViewSet):
    model = Definition
    icon = "help"
    list_display = ["term", "definition", "locale"]
    list_export = ["term", "definition", "source"]
    search_fields = ["term", "definition"]
    list_filter = ["locale"]
    ordering = ["term"]


class CulturalElementViewSet(SnippetViewSet):
    model = CulturalElement
    icon = "table"
    list_display = ["name", "order", "colour", "locale"]
    list_export = ["name", "description", "order"]
    search_fields = ["name", "description"]
    list_filter = ["locale"]
    ordering = ["order"]


class ContactViewSet(SnippetViewSet):
    model = Contact
    icon = "user"
    list_display = ["name", "role", "email", "phone", "locale"]
    list_export = ["name", "role", "email", "phone"]
    search_fields = ["name", "role", "email"]
    list_filter = ["locale"]


class CultureProgrammeGroup(SnippetViewSetGroup):
    menu_label = _("Culture programme")
    menu_icon = "group"
    menu_order = 300
    items = (DefinitionViewSet, CulturalElementViewSet, ContactViewSet)


register_snippet(CultureProgrammeGroup)


@hooks.register("after_create_page")
def assign_comms_approval(request, page):
    """A new programme section goes through the comms team before it is published."""
    if isinstance(page.specific, ProgrammePage):
        workflow = Workflow.objects.filter(name=COMMS_APPROVAL, active=True).first()
        if workflow and not WorkflowPage.objects.filter(page=page).exists():
            WorkflowPage.objects.create(workflow=workflow, page=page)


# Translations: a draft until approved (translations.py)


@hooks.register("register_admin_urls")
def translation_urls():
    return [
        path(
            "culture/translations/<int:page_id>/submit/",
            SubmitTranslationView.as_view(),
            name="culture_cms_submit_translation",
        )
    ]


class SubmitTranslationButton(PageMenuItem):
    label = _("Submit translation for approval")
    icon_name = "resubmit"
    priority = 5

    @property
    def url(self):
        return reverse("culture_cms_submit_translation", args=[self.page.pk])

    def is_shown(self, user):
        return translations.can_submit_for_approval(self.page, user)


@hooks.register("register_page_listing_more_buttons")
def submit_translation_in_the_listing(page, user, next_url=None):
    yield SubmitTranslationButton(page=page)


@hooks.register("register_page_header_buttons")
def submit_translation_in_the_header(page, user, view_name, next_url=None):
    yield SubmitTranslationButton(page=page)


@hooks.register("insert_global_admin_js")
def choose_the_only_other_language():
    return format_html('<script src="{}"></script>', static("culture_cms/admin/translate.js"))


@hooks.register("construct_homepage_panels")
def add_still_to_adapt_panel(request, panels):
    """Editors see the pages they may edit that still hold a placeholder or a gap."""
    if may_edit_pages(request.user):
        panels.append(StillToAdaptPanel())
