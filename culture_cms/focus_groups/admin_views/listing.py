"""The listings and inspect views of signups and of the emails sent about them."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.widgets import HeaderButton

from ..models import OutboundEmail
from ..permissions import SEE_SIGNUPS, can_keep_register, signups_visible_to
from .exports import FormulaSafeExportMixin


def named_signups(user):
    """The signups the user may see that still name a person (purged ones only count, in
    the report)."""
    return signups_visible_to(user).named().select_related("event")


class SignupIndexView(FormulaSafeExportMixin, IndexView):
    def get_base_queryset(self):
        return named_signups(self.request.user).with_place_in_line()

    @cached_property
    def header_buttons(self):
        buttons = [
            *super().header_buttons,
            HeaderButton(_("Report"), url=self.report_url, icon_name="table"),
        ]
        if self.focus_group and can_keep_register(self.request.user, self.focus_group):
            url = reverse("culture_focus_groups:register", args=[self.focus_group.pk])
            buttons.append(HeaderButton(_("Register"), url=url, icon_name="tasks"))
        return buttons

    @cached_property
    def focus_group(self):
        """The focus group the list is filtered to, if one."""
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data["event"]
        return None

    @cached_property
    def report_url(self):
        """The report for the focus group the list is filtered to, else all of them."""
        if self.focus_group:
            return reverse("culture_focus_groups:report_event", args=[self.focus_group.pk])
        return reverse("culture_focus_groups:report")


class SignupInspectView(InspectView):
    template_name = "culture_cms/focus_groups/admin/inspect.html"

    def get_object(self, queryset=None):
        # Wagtail looks the object up before its permission check: check first, so
        # others cannot tell which signups exist from a 404.
        if not self.user_has_any_permission(SEE_SIGNUPS):
            raise PermissionDenied
        signups = named_signups(self.request.user).select_related("user", "attendance_recorded_by")
        return get_object_or_404(signups, pk=self.pk)

    def get_waitlist_position_display_value(self):
        return self.object.waitlist_position or "–"

    def get_user_display_value(self):
        return self.object.user or "–"

    def get_cancelled_at_display_value(self):
        return self.object.cancelled_at or "–"

    def get_attended_display_value(self):
        """As the register has it, with who recorded it and when."""
        signup = self.object
        if signup.attendance_recorded_at is None:
            return signup.get_attended_display()
        who = signup.attendance_recorded_by
        return _("%(attendance)s (recorded %(when)s by %(who)s)") % {
            "attendance": signup.get_attended_display(),
            "when": date_format(timezone.localtime(signup.attendance_recorded_at), "j F Y, H:i"),
            "who": (who.get_full_name() or who.get_username()) if who else _("a deleted user"),
        }

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
