from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


def account(username, *groups):
    """A user in the named groups (those the migrations made, or a test's own), with the
    password "pw"."""
    user = get_user_model().objects.create_user(username, f"{username}@example.nhs.uk", "pw")
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user
