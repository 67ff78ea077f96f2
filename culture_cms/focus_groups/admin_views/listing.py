"""The listings and inspect views of signups and of the emails sent about them."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.widgets import HeaderButton

from ..models import OutboundEmail, Signup
from ..permissions import SEE_SIGNUPS
from .exports import FormulaSafeExportMixin


def named_signups():
    """Signups that still name a person: purged ones only count, in the report."""
    return Signup.objects.named().select_related("event")


class SignupIndexView(FormulaSafeExportMixin, IndexView):
    def get_base_queryset(self):
        return named_signups().with_place_in_line()

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(_("Report"), url=self.report_url, icon_name="table"),
        ]

    @cached_property
    def report_url(self):
        """The report for the focus group the list is filtered to, else all of them."""
        if self.filters and self.filters.is_valid() and self.filters.form.cleaned_data["event"]:
            event = self.filters.form.cleaned_data["event"]
            return reverse("culture_focus_groups:report_event", args=[event.pk])
        return reverse("culture_focus_groups:report")


class SignupInspectView(InspectView):
    template_name = "culture_cms/focus_groups/admin/inspect.html"

    def get_object(self, queryset=None):
        # Wagtail looks the object up before its permission check: check first, so
        # others cannot tell which signups exist from a 404.
        if not self.user_has_any_permission(SEE_SIGNUPS):
            raise PermissionDenied
        return get_object_or_404(named_signups().select_related("user"), pk=self.pk)

    def get_waitlist_position_display_value(self):
        return self.object.waitlist_position or "–"

    def get_user_display_value(self):
        return self.object.user or "–"

    def get_cancelled_at_display_value(self):
        return self.object.cancelled_at or "–"

    @cached_property
    def header_buttons(self):
        if not (self.object.is_active and self.user_has_permission("change")):
            return []
        return [
            HeaderButton(
                _("Move"),
                url=reverse("culture_focus_groups:move", args=[self.object.pk]),
                icon_name="arrow-right",
            ),
            HeaderButton(
                _("Cancel signup"),
                url=reverse("culture_focus_groups:cancel", args=[self.object.pk]),
                icon_name="cross",
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["emails"] = self.object.emails.order_by("created_at", "pk")
        return context


class OutboundEmailIndexView(IndexView):
    def get_base_queryset(self):
        return OutboundEmail.objects.select_related("signup__event", "event")


class OutboundEmailInspectView(InspectView):
    def get_object(self, queryset=None):
        if not self.user_has_any_permission(SEE_SIGNUPS):
            raise PermissionDenied
        return get_object_or_404(OutboundEmail.objects.select_related("signup__event"), pk=self.pk)
