"""The Signups admin: list, inspect, export, cancel, move and the anonymised report.

Every view checks Wagtail's permission policy for Signup (see permissions.py).
Nothing here decides a booking: cancel and move call services, and show the
rules' refusals as they come.
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import HeaderButton

from . import services
from .models import FocusGroupEventPage, OutboundEmail, Signup, StaffGroup
from .permissions import SEE_SIGNUPS

# Spreadsheet exports ----------------------------------------------------------------

# A cell starting with one of these is run as a formula by Excel, LibreOffice and
# Google Sheets (OWASP's "CSV injection"); a leading quote makes it plain text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Text a spreadsheet would run as a formula, made plain text with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """Wagtail's CSV and XLSX export, with every text cell passed through neutralise_formula
    and times in UK time (Wagtail writes XLSX times in UTC)."""

    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        datetime.datetime: {
            IndexView.FORMAT_XLSX: lambda value: timezone.make_naive(value),
            IndexView.FORMAT_CSV: lambda value: timezone.localtime(value).isoformat(" "),
        },
    }

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return neutralise_formula(value)


# Filters -----------------------------------------------------------------------------


def focus_group_label(event):
    """A focus group as the admin's choosers name it: its title and when it starts."""
    return f"{event.title} ({date_format(timezone.localtime(event.start), 'j M Y, H:i')})"


class FocusGroupChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return focus_group_label(obj)


class FocusGroupFilter(django_filters.ModelChoiceFilter):
    field_class = FocusGroupChoiceField


def focus_groups(request=None):
    """Each focus group once, whatever languages it is in: signups belong to the original."""
    return FocusGroupEventPage.objects.originals().order_by("-start", "pk")


class SignupFilterSet(WagtailFilterSet):
    # `?event=<id>` is the link in the contact's email and on the focus group's edit view.
    event = FocusGroupFilter(label=gettext_lazy("Focus group"), queryset=focus_groups)

    class Meta:
        model = Signup
        fields = ["event", "status"]


class OutboundEmailFilterSet(WagtailFilterSet):
    event = FocusGroupFilter(label=gettext_lazy("Focus group"), queryset=focus_groups)

    class Meta:
        model = OutboundEmail
        fields = ["status", "kind", "event"]


# Signups -----------------------------------------------------------------------------


def not_anonymised():
    """Signups that still name a person: purged ones only count, in the report."""
    return Signup.objects.filter(anonymised_at__isnull=True).select_related("event")


def with_place_in_line(queryset):
    """Annotate `place_in_line`, the waitlist position, in the same query.

    The same order as Signup.waitlist_position (queued_at, then pk), counted over the
    whole focus group whatever the listing is filtered or searched by.
    """
    ahead = (
        Signup.objects.filter(event=OuterRef("event"))
        .ahead_of(OuterRef("queued_at"), OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.annotate(
        place_in_line=Case(
            When(status=Signup.Status.WAITLISTED, then=Coalesce(Subquery(ahead), 0) + 1),
            output_field=IntegerField(),
        )
    )


class SignupIndexView(FormulaSafeExportMixin, IndexView):
    def get_base_queryset(self):
        return with_place_in_line(not_anonymised())

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
        return get_object_or_404(not_anonymised().select_related("user"), pk=self.pk)

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


class SignupActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """A change to one signup, made through the booking rules."""

    model = Signup
    permission_required = "change"
    header_icon = "group"
    index_url_name = None
    inspect_url_name = None

    @cached_property
    def object(self):
        # Looked up after the permission check: no hint to others of which signups exist.
        return get_object_or_404(not_anonymised(), pk=self.kwargs["pk"])

    @cached_property
    def inspect_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Signups")},
            {"url": self.inspect_url, "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, inspect_url=self.inspect_url, **kwargs)


class CancelSignupView(SignupActionView, TemplateView):
    template_name = "culture_cms/focus_groups/admin/cancel.html"
    page_title = gettext_lazy("Cancel signup")

    def post(self, request, *args, **kwargs):
        try:
            services.cancel(self.object, by_organiser=True)
        except services.SignupRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("%(name)s's signup is cancelled; any place freed went to the waitlist.")
                % {"name": self.object.full_name},
            )
        return redirect(self.inspect_url)


class FocusGroupChoiceFormField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return focus_group_label(obj)


class MoveForm(forms.Form):
    event = FocusGroupChoiceFormField(
        label=gettext_lazy("Move to"),
        queryset=FocusGroupEventPage.objects.none(),
        help_text=gettext_lazy(
            "They get a place if one is free, else join the end of its waitlist."
        ),
    )

    def __init__(self, *args, signup, **kwargs):
        super().__init__(*args, **kwargs)
        # Focus groups yet to start; whether signup is open there is for the rules to say.
        self.fields["event"].queryset = (
            FocusGroupEventPage.objects.originals()
            .exclude(pk=signup.event_id)
            .filter(start__gt=timezone.now())
            .order_by("start", "pk")
        )


class MoveSignupView(SignupActionView, FormView):
    template_name = "culture_cms/focus_groups/admin/move.html"
    page_title = gettext_lazy("Move signup")
    form_class = MoveForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "signup": self.object}

    def form_valid(self, form):
        try:
            signup = services.move(self.object, form.cleaned_data["event"])
        except services.SignupRefused as refusal:
            form.add_error("event", str(refusal))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is moved to %(event)s: %(status)s.")
            % {
                "name": signup.full_name,
                "event": signup.event.title,
                "status": signup.get_status_display().lower(),
            },
        )
        return redirect(self.inspect_url)


# The report --------------------------------------------------------------------------


class SignupReportMixin(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """Counts only: no names, no contact details. Anonymised signups are counted too."""

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


def status_counts(prefix=""):
    """Count(...) per signup status, and in all, for annotate() or aggregate()."""
    lookup = f"{prefix}status" if prefix else "status"
    counted = f"{prefix}pk" if prefix else "pk"
    counts = {
        status: Count(counted, filter=Q(**{lookup: status})) for status in Signup.Status.values
    }
    return {**counts, "total": Count(counted)}


class SignupReportIndexView(SignupReportMixin, TemplateView):
    template_name = "culture_cms/focus_groups/admin/report_index.html"
    page_title = gettext_lazy("Signups report")

    def get_breadcrumbs_items(self):
        return self.report_breadcrumbs()[:-1] + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        events = focus_groups().annotate(**status_counts(prefix="signups__"))
        rows = [
            {
                "event": event,
                "counts": [getattr(event, status) for status in Signup.Status.values],
                "total": event.total,
            }
            for event in events
        ]
        return super().get_context_data(rows=rows, statuses=Signup.Status.choices, **kwargs)


class SignupReportView(SignupReportMixin, TemplateView):
    template_name = "culture_cms/focus_groups/admin/report_event.html"
    page_title = gettext_lazy("Signups report")

    @cached_property
    def event(self):
        return get_object_or_404(FocusGroupEventPage, pk=self.kwargs["event_id"])

    def get_page_subtitle(self):
        return self.event.title

    def get_breadcrumbs_items(self):
        return [*self.report_breadcrumbs(), {"url": "", "label": self.event.title}]

    def get_context_data(self, **kwargs):
        signups = Signup.objects.for_focus_group(self.event)
        counted = signups.values("staff_group").annotate(**status_counts()).order_by()
        by_group = {row["staff_group"]: row for row in counted}
        statuses = Signup.Status.values
        rows = [
            {
                "staff_group": label,
                "counts": [by_group.get(group, {}).get(status, 0) for status in statuses],
                "total": by_group.get(group, {}).get("total", 0),
            }
            for group, label in StaffGroup.choices
        ]
        totals = signups.aggregate(**status_counts())
        return super().get_context_data(
            event=self.event,
            statuses=Signup.Status.choices,
            rows=rows,
            totals=[totals[status] for status in statuses],
            total=totals["total"],
            anonymised=signups.filter(anonymised_at__isnull=False).count(),
            list_url=reverse(self.index_url_name) + f"?event={self.event.pk}",
            **kwargs,
        )


# Emails ------------------------------------------------------------------------------


class OutboundEmailIndexView(IndexView):
    def get_base_queryset(self):
        return OutboundEmail.objects.select_related("signup__event", "event")


class OutboundEmailInspectView(InspectView):
    def get_object(self, queryset=None):
        if not self.user_has_any_permission(SEE_SIGNUPS):
            raise PermissionDenied
        return get_object_or_404(OutboundEmail.objects.select_related("signup__event"), pk=self.pk)
