"""The signup count on a focus group's edit view, for those who may see signups."""

from django.urls import reverse
from wagtail.admin.panels import Panel

from .models.signups import Signup


class SignupSummaryPanel(Panel):
    """How full the focus group is, with links to its signups, its report and its
    register (for those who may keep it).

    Shown only to superusers, Organisers and the focus group's linked contact, and only
    once the focus group exists.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "culture_cms/focus_groups/admin/signup_summary_panel.html"

        def is_shown(self):
            # Imported here: the page models import these panels, and permissions.py
            # imports the page models.
            from . import permissions

            return bool(
                self.instance
                and self.instance.pk
                and self.request
                and permissions.can_see_signups(self.request.user)
                and permissions.focus_groups_visible_to(self.request.user)
                .filter(pk=self.instance.booking_event.pk)
                .exists()
            )

        def get_context_data(self, parent_context=None):
            from . import permissions

            context = super().get_context_data(parent_context)
            event = self.instance
            context.update(
                Signup.objects.availability_of(event),
                capacity=event.capacity,
                state=event.state,
                cancel_url=(
                    permissions.can_change_signups(self.request.user)
                    and not event.is_cancelled
                    and not event.is_past
                    and reverse("culture_focus_groups:cancel_focus_group", args=[event.pk])
                ),
                invite_url=(
                    event.by_invitation
                    and permissions.can_change_signups(self.request.user)
                    and reverse("culture_focus_groups:invite", args=[event.pk])
                ),
                list_url=reverse("culture_focus_groups:index") + f"?event={event.booking_event.pk}",
                report_url=reverse("culture_focus_groups:report_event", args=[event.pk]),
            )
            if permissions.can_keep_register(self.request.user, event):
                context["register_url"] = reverse("culture_focus_groups:register", args=[event.pk])
            return context


class ChangeNoticePanel(Panel):
    """Tells the editor, before publishing, whom a change to the time, place or joining
    details emails (services.announce_changes): a count, no names, so for every editor."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "culture_cms/focus_groups/admin/change_notice_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            event = self.instance
            context.update(
                # Who services.announce_changes emails: everyone confirmed or waitlisted.
                people=Signup.objects.for_focus_group(event).active().count(),
                state=event.state,
            )
            return context
