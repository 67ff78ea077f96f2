"""The organisers' and contacts' panel on the admin dashboard: the upcoming focus groups
whose signups they may see, how full each is, and links to its signups and register."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from . import services
from .listings import upcoming_focus_groups_for
from .permissions import registers_kept_by


class UpcomingFocusGroupsPanel(Component):
    """ "Upcoming focus groups": renders what listings and permissions decide."""

    name = "culture_upcoming_focus_groups"
    template_name = "culture_cms/focus_groups/admin/upcoming_focus_groups_panel.html"
    # First: what an organiser or a contact comes to the admin for.
    order = 50

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        events = list(upcoming_focus_groups_for(user))
        registers = registers_kept_by(user, events)
        signups = reverse("culture_focus_groups:index")
        return {
            "rows": [
                {
                    "event": event,
                    "places": event.availability,
                    "closes": services.signup_closes_at(event),
                    "signups_url": f"{signups}?event={event.pk}",
                    "register_url": event.pk in registers
                    and reverse("culture_focus_groups:register", args=[event.pk]),
                }
                for event in events
            ]
        }
