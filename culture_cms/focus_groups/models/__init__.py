"""The focus groups' pages, and the signups and emails they take (in that order of import:
the pages' admin panel reads the signups)."""

from .signups import WAITLIST_ORDER, OutboundEmail, Signup, StaffGroup  # isort: skip
from .pages import FocusGroupEventPage, FocusGroupIndexPage

__all__ = [
    "WAITLIST_ORDER",
    "FocusGroupEventPage",
    "FocusGroupIndexPage",
    "OutboundEmail",
    "Signup",
    "StaffGroup",
]
