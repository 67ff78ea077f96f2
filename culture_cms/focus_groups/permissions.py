"""Who sees signup data in the admin.

Superusers, and people holding any permission on signups (the Organisers group,
made by migration 0003), see every focus group's. A focus group's contact whose
Contact is linked to their user account (and whose account may use the admin: the
Focus group contacts group, migration 0009) sees the signups, report, register and
export of the focus groups they are the contact for, and nothing else: no emails
list, no cancel or move. Everyone else sees nothing: no menu item, list, inspect,
export, search area, report or count on the focus group's edit view.
"""

from django.db.models import Q
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from culture_cms.organisation.models import Contact, OrganisationSettings

from .models import FocusGroupEventPage
from .models.signups import Signup

# Wagtail's own rule for who may open a model's listing and inspect view.
SEE_SIGNUPS = ("add", "change", "delete", "view")


class SignupPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's model permissions, and "view" for a contact on their focus groups' signups."""

    def user_has_permission(self, user, action):
        if super().user_has_permission(user, action):
            return True
        return action == "view" and bool(contact_focus_group_ids(user))

    def instances_user_has_any_permission_for(self, user, actions):
        if any(super(SignupPermissionPolicy, self).user_has_permission(user, a) for a in actions):
            return Signup.objects.all()
        if "view" in actions:
            return Signup.objects.filter(event_id__in=contact_focus_group_ids(user))
        return Signup.objects.none()


def sees_every_focus_group(user):
    """A superuser or an organiser (a holder of a signup permission), not only a contact."""
    return ModelPermissionPolicy(Signup).user_has_any_permission(user, SEE_SIGNUPS)


def can_see_signups(user):
    """True for a superuser, an organiser, or the linked contact of some focus group."""
    return policy_registry.get_by_type(Signup).user_has_any_permission(user, SEE_SIGNUPS)


def can_change_signups(user):
    """True for those who may cancel and move signups, and cancel a focus group."""
    return policy_registry.get_by_type(Signup).user_has_permission(user, "change")


def signups_visible_to(user):
    """The signups this user may see: all, or their own focus groups' as the contact."""
    return policy_registry.get_by_type(Signup).instances_user_has_any_permission_for(
        user, SEE_SIGNUPS
    )


def focus_groups_visible_to(user):
    """The focus groups (booking pages) whose signups this user may see."""
    events = FocusGroupEventPage.objects.booking_pages()
    if sees_every_focus_group(user):
        return events
    return events.filter(pk__in=contact_focus_group_ids(user))


def contact_focus_group_ids(user):
    """The ids of the focus groups (booking pages) the user is the contact for: through a
    Contact linked to their account (in any language), as the focus group's own contact
    or, where it has none, as its site's default contact. Worked out once per request's
    user."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if not hasattr(user, "_culture_contact_of"):
        user._culture_contact_of = frozenset(
            _contact_focus_groups(user).values_list("pk", flat=True)
        )
    return user._culture_contact_of


def _contact_focus_groups(user):
    keys = Contact.objects.filter(user=user).values("translation_key")
    theirs = Q(contact__translation_key__in=keys)
    defaults = OrganisationSettings.objects.filter(default_contact__translation_key__in=keys)
    for root in Page.objects.filter(sites_rooted_here__in=defaults.values("site")):
        # The site's tree in each language: each has its own root page.
        for path in Page.objects.filter(translation_key=root.translation_key).values_list(
            "path", flat=True
        ):
            theirs |= Q(contact__isnull=True, path__startswith=path)
    return FocusGroupEventPage.objects.booking_pages().filter(theirs)


def can_keep_register(user, event):
    """Whether the user may see a focus group's register and record who attended: an
    organiser (who may change signups), or the focus group's contact. Every register view
    and link asks this, and only this.

    `event` is the focus group, or None when there is no such focus group: the answer is
    then the one for a focus group this user has nothing to do with, so that a refusal
    tells nobody which focus groups exist.
    """
    if can_change_signups(user):
        return True
    return event is not None and _keeps_register(user, event.booking_event)


def registers_kept_by(user, booking_pages):
    """The ids of those of these focus groups (booking pages) whose register the user may
    keep: can_keep_register for a listing, without a query for each focus group."""
    return {event.pk for event in booking_pages if _keeps_register(user, event)}


def _keeps_register(user, booking_page):
    return can_change_signups(user) or booking_page.pk in contact_focus_group_ids(user)
