from .base import COMMS_APPROVAL, FACILITATORS, CultureCMSPage, is_facilitator
from .pages import GlossaryPage, KeyMessagesPage, ProgrammePage
from .snippets import CulturalElement, Definition

__all__ = [
    "COMMS_APPROVAL",
    "FACILITATORS",
    "CulturalElement",
    "CultureCMSPage",
    "Definition",
    "GlossaryPage",
    "KeyMessagesPage",
    "ProgrammePage",
    "is_facilitator",
]
