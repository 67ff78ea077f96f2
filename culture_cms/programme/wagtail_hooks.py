from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Workflow, WorkflowPage
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from culture_cms.organisation.models import Contact

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
