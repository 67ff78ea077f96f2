"""The focus groups' pages, and the signups and emails they take (in that order of import:
the pages' admin panel reads the signups)."""

from .signups import OutboundEmail, Signup, StaffGroup  # isort: skip
from .invitations import Invitation  # isort: skip
from .pages import FocusGroupEventPage, FocusGroupIndexPage
from .state import FocusGroupState

__all__ = [
    "FocusGroupEventPage",
    "FocusGroupIndexPage",
    "FocusGroupState",
    "Invitation",
    "OutboundEmail",
    "Signup",
    "StaffGroup",
]
