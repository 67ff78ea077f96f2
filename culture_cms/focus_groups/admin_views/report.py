"""The signups report: counts only, no names, no contact details."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ..models import FocusGroupEventPage, Signup, StaffGroup
from ..permissions import SEE_SIGNUPS, can_keep_register, focus_groups_visible_to
from .filters import focus_groups


class SignupReportMixin(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """Counts only: no names, no contact details. Anonymised signups are counted too.
    Beside the signups by status: how many attended, from the register."""

    model = Signup
    any_permission_required = SEE_SIGNUPS
    header_icon = "table"
    index_url_name = None

    def report_breadcrumbs(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Signups")},
            {"url": reverse("culture_focus_groups:report"), "label": _("Report")},
        ]


class SignupReportIndexView(SignupReportMixin, TemplateView):
    template_name = "culture_cms/focus_groups/admin/report_index.html"
    page_title = gettext_lazy("Signups report")

    def get_breadcrumbs_items(self):
        return self.report_breadcrumbs()[:-1] + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        rows = [
            {
                "event": event,
                "counts": [getattr(event, status) for status in Signup.Status.values],
                "total": event.total,
                "attended": event.attended,
            }
            for event in focus_groups(self.request).with_signup_counts()
        ]
        return super().get_context_data(rows=rows, statuses=Signup.Status.choices, **kwargs)


class SignupReportView(SignupReportMixin, TemplateView):
    template_name = "culture_cms/focus_groups/admin/report_event.html"
    page_title = gettext_lazy("Signups report")

    @cached_property
    def event(self):
        # Any language's page of a focus group whose signups the user may see.
        event = get_object_or_404(FocusGroupEventPage, pk=self.kwargs["event_id"])
        if not focus_groups_visible_to(self.request.user).filter(pk=event.booking_event.pk):
            raise Http404
        return event

    def get_page_subtitle(self):
        return self.event.title

    def get_breadcrumbs_items(self):
        return [*self.report_breadcrumbs(), {"url": "", "label": self.event.title}]

    def get_context_data(self, **kwargs):
        signups = Signup.objects.for_focus_group(self.event)
        by_group = signups.status_totals_by_staff_group()
        statuses = Signup.Status.values
        rows = [
            {
                "staff_group": label,
                "counts": [by_group.get(group, {}).get(status, 0) for status in statuses],
                "total": by_group.get(group, {}).get("total", 0),
                "attended": by_group.get(group, {}).get("attended", 0),
            }
            for group, label in StaffGroup.choices
        ]
        totals = signups.status_totals()
        return super().get_context_data(
            event=self.event,
            statuses=Signup.Status.choices,
            rows=rows,
            totals=[totals[status] for status in statuses],
            total=totals["total"],
            attended=totals["attended"],
            anonymised=totals["anonymised"],
            list_url=reverse(self.index_url_name) + f"?event={self.event.pk}",
            register_url=self.register_url(),
            **kwargs,
        )

    def register_url(self):
        if can_keep_register(self.request.user, self.event):
            return reverse("culture_focus_groups:register", args=[self.event.pk])
        return None
