"""Submit a translation for approval (translations.py says why wagtail-localize needs this)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from . import translations


class SubmitTranslationView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "culture_cms/programme/admin/submit_translation.html"
    page_title = gettext_lazy("Submit translation for approval")
    header_icon = "doc-empty-inverse"

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        if not translations.can_submit_for_approval(self.page, request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_context_data(self, **kwargs):
        translation = translations.synced_translation(self.page)
        return super().get_context_data(
            page=self.page,
            language=self.page.locale.get_display_name(),
            workflow=translations.workflow_for(translation),
            explore_url=reverse("wagtailadmin_explore", args=[self.page.get_parent().pk]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        title = self.page.get_admin_display_title()
        try:
            workflow = translations.submit_for_approval(self.page, request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(reverse("wagtailadmin_pages:edit", args=[self.page.pk]))
        if workflow is None:
            messages.error(request, _("There is no approval workflow for this page."))
        else:
            messages.success(
                request,
                _("The translation '%(title)s' has been submitted to %(workflow)s.")
                % {"title": title, "workflow": workflow.name},
            )
        return redirect(reverse("wagtailadmin_explore", args=[self.page.get_parent().pk]))
