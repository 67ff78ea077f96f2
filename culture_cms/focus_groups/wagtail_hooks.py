"""The Signups menu in the Wagtail admin: signups, the emails sent about them, the report,
and each focus group's register.

There is no add, edit, copy or delete view: a signup changes only through the
booking rules (services.py), by the cancel, move and register views here.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.search import SearchArea
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from blocks.content import UPCOMING_FOCUS_GROUPS_HOOK

from . import listings, services
from .admin_views import actions, filters, listing, register, report
from .dashboard import UpcomingFocusGroupsPanel
from .models import FocusGroupEventPage, OutboundEmail, Signup
from .permissions import can_change_signups, can_see_signups


class ReadOnlyModelViewSet(ModelViewSet):
    """A listing and inspect view only."""

    inspect_view_enabled = True
    copy_view_enabled = False
    # Not in the reference index: a focus group's "usage" would list its signups to anyone.
    add_to_reference_index = False
    search_backend_name = None  # the database's own search; these models are not indexed

    def get_common_view_kwargs(self, **kwargs):
        no_view = dict.fromkeys(
            ["add_url_name", "edit_url_name", "delete_url_name", "history_url_name"]
        )
        return super().get_common_view_kwargs(**{**no_view, **kwargs})

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def register_admin_url_finder(self):
        """No edit view to find."""


class SignupViewSet(ReadOnlyModelViewSet):
    model = Signup
    url_prefix = "signups"
    # emails.py links the contact to "culture_focus_groups:index".
    url_namespace = "culture_focus_groups"
    menu_label = _("Signups")
    icon = "group"
    index_view_class = listing.SignupIndexView
    inspect_view_class = listing.SignupInspectView
    filterset_class = filters.SignupFilterSet
    list_display = [
        "full_name",
        "email",
        "event",
        "status",
        Column("place_in_line", label=_("Waitlist position"), sort_key="place_in_line"),
        "staff_group",
        "language",
        "created_at",
    ]
    search_fields = ["full_name", "email"]
    list_export = [
        "full_name",
        "email",
        "event",
        "event.start",
        "get_status_display",
        "place_in_line",
        "get_staff_group_display",
        "job_role",
        "department",
        "access_needs",
        "language",
        "created_at",
        "cancelled_at",
        "get_attended_display",
    ]
    export_headings = {
        "event.start": _("Focus group starts"),
        "get_status_display": _("Status"),
        "place_in_line": _("Waitlist position"),
        "get_staff_group_display": _("Staff group"),
        "get_attended_display": _("Attendance"),
    }
    export_filename = "signups"
    inspect_view_fields = [
        "event",
        "status",
        "waitlist_position",
        "full_name",
        "email",
        "staff_group",
        "job_role",
        "department",
        "access_needs",
        "language",
        "user",
        "created_at",
        "queued_at",
        "cancelled_at",
        "attended",
        "hear_about_plans",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("cancel/<int:pk>/", self.action_view(actions.CancelSignupView), name="cancel"),
            path("move/<int:pk>/", self.action_view(actions.MoveSignupView), name="move"),
            path(
                "focus-group/<int:event_id>/cancel/",
                self.construct_view(actions.CancelFocusGroupView),
                name="cancel_focus_group",
            ),
            path(
                "focus-group/<int:event_id>/invite/",
                self.construct_view(actions.InviteView),
                name="invite",
            ),
            path("report/", self.construct_view(report.SignupReportIndexView), name="report"),
            path(
                "report/<int:event_id>/",
                self.construct_view(report.SignupReportView),
                name="report_event",
            ),
            path(
                "register/<int:event_id>/",
                self.construct_view(register.RegisterView),
                name="register",
            ),
            path(
                "register/<int:event_id>/print/",
                self.construct_view(register.PrintableRegisterView),
                name="register_print",
            ),
        ]

    def action_view(self, view_class):
        return self.construct_view(view_class, inspect_url_name=self.get_url_name("inspect"))


class OutboundEmailViewSet(ReadOnlyModelViewSet):
    model = OutboundEmail
    url_prefix = "signup-emails"
    url_namespace = "culture_signup_emails"
    menu_label = _("Emails")
    icon = "mail"
    index_view_class = listing.OutboundEmailIndexView
    inspect_view_class = listing.OutboundEmailInspectView
    filterset_class = filters.OutboundEmailFilterSet
    list_display = [
        "kind",
        "recipient",
        "signup",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "status_changed_at",
    ]
    search_fields = ["recipient"]
    inspect_view_fields_exclude = ["once_key"]


class SignupsGroup(ModelViewSetGroup):
    menu_label = _("Signups")
    menu_icon = "group"
    menu_order = 310  # after "Culture programme"
    items = (SignupViewSet, OutboundEmailViewSet)


@hooks.register("register_admin_viewset")
def register_signups():
    return SignupsGroup()


class SignupSearchArea(SearchArea):
    def is_shown(self, request):
        return can_see_signups(request.user)


@hooks.register("register_admin_search_area")
def register_signup_search_area():
    return SignupSearchArea(
        _("Signups"), reverse("culture_focus_groups:index"), name="signups", icon_name="group"
    )


class SignupReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_signups(request.user)


@hooks.register("register_reports_menu_item")
def register_signup_report_menu_item():
    """The signups report under Reports too, where Wagtail's own reports are."""
    return SignupReportMenuItem(
        _("Signups report"), reverse("culture_focus_groups:report"), icon_name="table"
    )


@hooks.register("construct_homepage_panels")
def add_upcoming_focus_groups_panel(request, panels):
    """Organisers, and the contacts of focus groups, see the upcoming ones they may see."""
    if can_see_signups(request.user):
        panels.append(UpcomingFocusGroupsPanel())


@hooks.register("before_delete_page")
def keep_focus_groups_with_signups(request, page):
    """A focus group with signups (or a section holding one) is not deleted: unpublish it."""
    events = page.get_descendants(inclusive=True).values("pk")
    if Signup.objects.filter(event_id__in=events).exists():
        messages.error(
            request,
            _(
                "“%(title)s” has focus groups with signups, so it cannot be deleted. "
                "Unpublish it instead; purge_signups removes the personal data in time."
            )
            % {"title": page.get_admin_display_title()},
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_unpublish_page")
def ask_before_unpublishing_a_booked_focus_group(request, page):
    """Unpublishing a focus group tells nobody booked on it: say how many are, and offer
    to cancel it instead, before unpublishing."""
    page = page.specific
    if not isinstance(page, FocusGroupEventPage) or request.POST.get("unpublish_booked"):
        return None
    places = Signup.objects.availability_of(page)
    booked = places["confirmed"] + places["waitlisted"]
    if not booked or page.is_cancelled or services.has_started(page):
        return None
    context = {
        "page": page,
        "places": places,
        "booked": booked,
        "cancel_url": can_change_signups(request.user)
        and reverse("culture_focus_groups:cancel_focus_group", args=[page.pk]),
        "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        # Wagtail's own choices on its confirmation form, sent on with ours.
        "carried": [
            (name, request.POST[name])
            for name in ("include_descendants", "next")
            if name in request.POST
        ],
    }
    return TemplateResponse(
        request, "culture_cms/focus_groups/admin/unpublish_booked.html", context
    )


# What the "upcoming focus groups" block lists.
hooks.register(UPCOMING_FOCUS_GROUPS_HOOK, listings.upcoming_focus_groups)
