"""Who sees signup data in the admin.

Superusers, and people holding any permission on signups (the Organisers group,
made by migration 0003). Everyone else sees nothing: no menu item, list,
inspect, export, search area, report or count on the focus group's edit view.

A focus group's register (who attended) is for those can_keep_register says.
"""

from wagtail.permissions import policy_registry

from .models.signups import Signup

# Wagtail's own rule for who may open a model's listing and inspect view.
SEE_SIGNUPS = ("add", "change", "delete", "view")


def can_see_signups(user):
    """True for a superuser or a holder of a signup permission, through Wagtail's policy."""
    return policy_registry.get_by_type(Signup).user_has_any_permission(user, SEE_SIGNUPS)


def can_change_signups(user):
    """True for those who may cancel and move signups, and cancel a focus group."""
    return policy_registry.get_by_type(Signup).user_has_permission(user, "change")


def can_keep_register(user, event):
    """Whether the user may see a focus group's register and record who attended: every
    register view and link asks this, and only this.

    For now, whoever may change signups (superusers and Organisers). `event` is the
    focus group, or None when there is no such focus group: the answer must then be the
    one it would be for a focus group this user has nothing to do with, so that a 403
    tells nobody which focus groups exist.
    """
    return policy_registry.get_by_type(Signup).user_has_permission(user, "change")
