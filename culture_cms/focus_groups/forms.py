"""The public signup form for a focus group, in the NHS.UK form pattern."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from culture_cms.conf import setting

from .models import Signup, StaffGroup

# What splits a line (str.splitlines): none belongs in a name, and in a mail header
# a line break would let someone add headers of their own.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

# NHS.UK frontend classes for each kind of widget: (normal, with an error).
WIDGET_CLASSES = {
    "text": ("nhsuk-input", "nhsuk-input--error"),
    "email": ("nhsuk-input", "nhsuk-input--error"),
    "textarea": ("nhsuk-textarea", "nhsuk-textarea--error"),
}


class NHSBoundField(BoundField):
    """Adds NHS.UK frontend's classes to the widget, and its error class when invalid.

    Django itself adds aria-invalid and aria-describedby (the hint and error ids
    `<id>_helptext` and `<id>_error`, which the template uses).
    """

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        normal, error = WIDGET_CLASSES.get(self.widget_type, ("", ""))
        classes = [attrs.get("class", ""), normal, error if self.errors else ""]
        attrs["class"] = " ".join(filter(None, classes))
        return attrs


# Control characters nobody means to type (they come with text pasted from Word, say):
# the line-breaking ones become line breaks in the access needs, and are refused on
# one line (one_line); the rest are removed.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
LINE_BREAKS_TO_NEWLINE = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def without_control_characters(value):
    return CONTROL_CHARACTERS.sub("", value)


def max_length(field_name):
    return Signup._meta.get_field(field_name).max_length


def one_line(value):
    if LINE_BREAKS.intersection(value):
        raise ValidationError(_("Enter this on one line"), code="line_break")


class SignupForm(forms.Form):
    """A place at a focus group: who, how to reach them, and their agreement.

    `website` is a honeypot: hidden from people (and from screen readers), left
    empty by them, and filled in by bots that fill in every field.
    """

    bound_field_class = NHSBoundField
    # NHS.UK forms mark the optional fields instead, and validate on the server.
    use_required_attribute = False

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=max_length("full_name"),
        validators=[one_line],
        error_messages={
            "required": _("Enter your full name"),
            "max_length": ngettext_lazy(
                "Full name must be %(limit_value)d character or fewer",
                "Full name must be %(limit_value)d characters or fewer",
                "limit_value",
            ),
            "line_break": _("Enter your full name on one line"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Work email address"),
        help_text=_("We will send your confirmation and any changes here."),
        max_length=max_length("email"),
        error_messages={
            "required": _("Enter your work email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.nhs.uk"),
            "max_length": ngettext_lazy(
                "Email address must be %(limit_value)d character or fewer",
                "Email address must be %(limit_value)d characters or fewer",
                "limit_value",
            ),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    staff_group = forms.ChoiceField(
        label=_("Staff group"),
        choices=StaffGroup.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select your staff group"),
            "invalid_choice": _("Select your staff group"),
        },
    )
    job_role = forms.CharField(
        label=_("Job role (optional)"),
        required=False,
        max_length=max_length("job_role"),
        validators=[one_line],
        error_messages={
            "max_length": ngettext_lazy(
                "Job role must be %(limit_value)d character or fewer",
                "Job role must be %(limit_value)d characters or fewer",
                "limit_value",
            ),
            "line_break": _("Enter your job role on one line"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    department = forms.CharField(
        label=_("Department or site (optional)"),
        required=False,
        max_length=max_length("department"),
        validators=[one_line],
        error_messages={
            "max_length": ngettext_lazy(
                "Department or site must be %(limit_value)d character or fewer",
                "Department or site must be %(limit_value)d characters or fewer",
                "limit_value",
            ),
            "line_break": _("Enter your department or site on one line"),
        },
    )
    access_needs = forms.CharField(
        label=_("Access needs (optional)"),
        help_text=_(
            "Tell us anything that would help you take part, for example a hearing loop, "
            "step-free access or a break."
        ),
        required=False,
        max_length=max_length("access_needs"),
        error_messages={
            "max_length": ngettext_lazy(
                "Access needs must be %(limit_value)d character or fewer",
                "Access needs must be %(limit_value)d characters or fewer",
                "limit_value",
            )
        },
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Offered until the site's action plans are live (then the page links to them).
    hear_about_plans = forms.BooleanField(
        label=_("Email me when the action plans are published"), required=False
    )
    consent = forms.BooleanField(
        label=_("I have read the confidentiality statement and want to take part"),
        error_messages={
            "required": _("Confirm you have read the confidentiality statement"),
        },
    )
    website = forms.CharField(label=_("Leave this empty"), required=False)
    # The signed token of the person's invitation link, for a focus group by invitation.
    invitation = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, organisation=None, contact=None, plans_live=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].help_text = confidentiality_statement(organisation, contact)
        if plans_live:
            del self.fields["hear_about_plans"]
        else:
            self.fields["hear_about_plans"].help_text = plans_hint(organisation)

    def clean_access_needs(self):
        return LINE_BREAKS_TO_NEWLINE.sub("\n", self.cleaned_data["access_needs"])

    def clean(self):
        cleaned_data = super().clean()
        for name in ["full_name", "job_role", "department", "access_needs"]:
            if isinstance(cleaned_data.get(name), str):
                cleaned_data[name] = without_control_characters(cleaned_data[name])
        if cleaned_data.get("website"):
            raise ValidationError(
                _(
                    "We could not take your signup. Check your details and send the form "
                    "again; if this keeps happening, contact us by email instead."
                ),
                code="honeypot",
            )
        return cleaned_data

    def signup_details(self):
        """The cleaned data as services.sign_up takes it."""
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "email": data["email"],
            "staff_group": data["staff_group"],
            "job_role": data["job_role"],
            "department": data["department"],
            "access_needs": data["access_needs"],
            "hear_about_plans": data.get("hear_about_plans", False),
        }


def plans_hint(organisation=None):
    """What the action plans are and when they are due, for the tick box that asks."""
    plans_date = organisation and organisation.plans_date
    if plans_date:
        return _(
            "Your feedback will help us to build action plans. We aim to publish them by "
            "%(date)s, and will email you once when they are published."
        ) % {"date": date_format(plans_date, "j F Y")}
    return _(
        "Your feedback will help us to build action plans. We will email you once when "
        "they are published."
    )


def confidentiality_statement(organisation=None, contact=None):
    """The programme's confidentiality statement, as plain text, for the consent question."""
    organisation_name = (organisation and organisation.organisation_name) or _("the trust")
    days = setting("CULTURE_CMS_SIGNUP_RETENTION_DAYS")
    parts = [
        str(
            _(
                "Information provided in a focus group will be used for purposes relating to "
                "the culture and leadership work and will be reported in an anonymised format. "
                "Participants will be asked not to share any information after the focus group "
                "which could identify another person."
            )
        ),
        str(
            ngettext(
                "Your name and email address are used by %(organisation)s only to manage your "
                "place, and are deleted %(days)d day after the focus group.",
                "Your name and email address are used by %(organisation)s only to manage your "
                "place, and are deleted %(days)d days after the focus group.",
                days,
            )
            % {"organisation": organisation_name, "days": days}
        ),
    ]
    if contact:
        parts.append(
            str(
                _("For more information, contact %(name)s at %(email)s.")
                % {"name": contact.name, "email": contact.email}
            )
        )
    return " ".join(parts)
