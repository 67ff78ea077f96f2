"""The known tokens, how tokens and placeholders are written, and their values for one site."""

import re

from django.template.defaultfilters import date as format_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TOKENS = {
    "organisation": gettext_lazy("the organisation name"),
    "programme": gettext_lazy("the programme name"),
    "phase": gettext_lazy("the current phase"),
    "plans_date": gettext_lazy("the date plans will be published by"),
    "contact_name": gettext_lazy("the contact's name"),
    "contact_role": gettext_lazy("the contact's role"),
    "contact_email": gettext_lazy("the contact's email"),
    "contact_phone": gettext_lazy("the contact's phone number"),
    "contact_details": gettext_lazy("the contact's email and phone number"),
}

# OrganisationSettings.programme_name's default, which has translations.
DEFAULT_PROGRAMME_NAME = "Culture and Leadership Programme"

# {word} is a token. Square brackets round words are a placeholder left unadapted: the
# template's own "[insert ...]" (even unclosed), and the same in any language, such as a
# translator's "[mewnosod ...]" copied from a Welsh template. "[1]" has no words, so passes.
TOKEN_RE = re.compile(r"\{([A-Za-z_]+)\}")
PLACEHOLDER_RE = re.compile(
    r"\[\s*insert\b[^\]]*\]?|\[[^\[\]\n]*[^\W\d_][^\[\]\n]*\]", re.IGNORECASE
)


def token_values(organisation_settings, contact=None):
    """The value of every token for one site, and optionally one page's own contact.

    A token with nothing configured has the value None.
    """
    contact = contact or organisation_settings.default_contact
    values = dict.fromkeys(TOKENS)
    programme = organisation_settings.programme_name
    if programme == DEFAULT_PROGRAMME_NAME:
        programme = _(DEFAULT_PROGRAMME_NAME)  # the default name, in the reader's language
    values.update(
        organisation=organisation_settings.organisation_name or None,
        programme=programme or None,
        phase=organisation_settings.get_current_phase_display() or None,
        plans_date=format_date(organisation_settings.plans_date, "j F Y") or None,
    )
    if contact:
        values.update(
            contact_name=contact.name,
            contact_role=contact.role or None,
            contact_email=contact.email,
            contact_phone=contact.phone or None,
            contact_details=str(contact.details),
        )
    return values
