"""A focus group's register: who came, kept in the admin, and the A4 sheet to tick.

The admin page lists the people with a confirmed place and, once the focus group has
started, records who attended, one at a time or several at once
(services.record_attendance). The printable page is the sheet to tick in the room,
made before. Who may see either: permissions.can_keep_register, and nothing else.
"""

import re

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from .. import services
from ..models import FocusGroupEventPage, Signup
from ..permissions import can_keep_register

# The choice for each person, as the form posts it, and what the register records.
ATTENDANCE = {"attended": True, "absent": False, "unrecorded": None}
ATTENDANCE_CHOICES = [
    ("attended", gettext_lazy("Attended")),
    ("absent", gettext_lazy("Did not attend")),
    ("unrecorded", gettext_lazy("Not recorded")),
]
CHOICE_OF = {recorded: choice for choice, recorded in ATTENDANCE.items()}
# The buttons that mark several people at once: (who, choice).
MARKS = {
    "ticked-attended": ("ticked", "attended"),
    "ticked-absent": ("ticked", "absent"),
    "everyone-attended": ("everyone", "attended"),
    "everyone-absent": ("everyone", "absent"),
}
PERSON_FIELD = re.compile(r"^attendance-(\d+)$")

CHANGED_SINCE_LOADED = gettext_lazy(
    "The register has changed since this page was loaded (a place was cancelled or "
    "moved). Nothing was saved: check the register below and save again."
)


def person_field(signup):
    return f"attendance-{signup.pk}"


class RegisterForm(forms.Form):
    """One choice for each person on the register, the people ticked, and which button
    was pressed: Save, or one that marks the ticked people or everyone."""

    mark = forms.ChoiceField(choices=[(mark, mark) for mark in MARKS], required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        for signup in people:
            self.fields[person_field(signup)] = forms.ChoiceField(
                label=_("Attendance of %(name)s") % {"name": signup.full_name},
                choices=ATTENDANCE_CHOICES,
                initial=CHOICE_OF[signup.attended],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose whether %(name)s attended.") % {"name": signup.full_name},
                },
            )
        self.fields["ticked"] = forms.MultipleChoiceField(
            label=_("Ticked"),
            choices=[(str(signup.pk), signup.full_name) for signup in people],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": CHANGED_SINCE_LOADED},
        )

    def clean(self):
        cleaned = super().clean()
        on_register = {person_field(signup) for signup in self.people}
        if any(PERSON_FIELD.match(name) and name not in on_register for name in self.data):
            raise ValidationError(CHANGED_SINCE_LOADED)
        if MARKS.get(cleaned.get("mark"), ("",))[0] == "ticked" and not cleaned.get("ticked"):
            raise ValidationError(
                _("Tick the people to mark first, or mark everyone."), code="none_ticked"
            )
        return cleaned

    def attendance(self):
        """{signup: True, False or None}: the choices made, with the button's mark over
        those it marks (the other choices are saved with it, so none is lost)."""
        who, choice = MARKS.get(self.cleaned_data["mark"], (None, None))
        ticked = set(self.cleaned_data["ticked"])
        marked = {
            signup.pk
            for signup in self.people
            if who == "everyone" or (who == "ticked" and str(signup.pk) in ticked)
        }
        return {
            signup: ATTENDANCE[
                choice if signup.pk in marked else self.cleaned_data[person_field(signup)]
            ]
            for signup in self.people
        }

    def rows(self):
        """Each person with their tick box and their choice, in the register's order."""
        ticks = list(self["ticked"])
        return [
            {"signup": signup, "tick": tick, "attendance": self[person_field(signup)]}
            for signup, tick in zip(self.people, ticks, strict=True)
        ]


class RegisterAccessMixin:
    """The focus group of the URL and the people on its register, for those who may keep
    it: others are refused (PermissionDenied) whether or not it exists, as
    can_keep_register answers before a 404 could tell them."""

    def dispatch(self, request, *args, **kwargs):
        event = FocusGroupEventPage.objects.filter(pk=kwargs["event_id"]).first()
        if not can_keep_register(request.user, event):
            raise PermissionDenied
        if event is None:
            raise Http404
        self.event = event
        self.people = list(
            Signup.objects.for_focus_group(event)
            .on_register()
            .select_related("attendance_recorded_by")
        )
        return super().dispatch(request, *args, **kwargs)

    @property
    def print_url(self):
        return reverse("culture_focus_groups:register_print", args=[self.event.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=self.event, people=self.people, print_url=self.print_url, **kwargs
        )


class RegisterView(RegisterAccessMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "culture_cms/focus_groups/admin/register.html"
    page_title = gettext_lazy("Register")
    index_url_name = None
    form_class = RegisterForm

    def get_page_subtitle(self):
        return self.event.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Signups")},
            {"url": self.list_url, "label": self.event.title},
            {"url": "", "label": self.get_page_title()},
        ]

    @property
    def list_url(self):
        return reverse(self.index_url_name) + f"?event={self.event.booking_event.pk}"

    @property
    def header_buttons(self):
        return [HeaderButton(_("Printable register"), url=self.print_url, icon_name="doc-full")]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "people": self.people}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            not_yet=services.attendance_refusal(self.event.booking_event),
            report_url=reverse("culture_focus_groups:report_event", args=[self.event.pk]),
            list_url=self.list_url,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.record_attendance(self.event, form.attendance(), by=self.request.user)
        except services.SignupRefused as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        recorded = list(form.attendance().values())
        messages.success(
            self.request,
            _(
                "The register is saved: %(attended)d attended, %(absent)d did not attend, "
                "%(unrecorded)d not recorded."
            )
            % {
                "attended": recorded.count(True),
                "absent": recorded.count(False),
                "unrecorded": recorded.count(None),
            },
        )
        return redirect(self.request.path)

    def form_invalid(self, form):
        messages.error(self.request, _("The register could not be saved. Nothing was changed."))
        return super().form_invalid(form)


class PrintableRegisterView(RegisterAccessMixin, TemplateView):
    """The A4 sheet to tick in the room: a page of its own, without the admin around it."""

    template_name = "culture_cms/focus_groups/admin/register_print.html"
    # Lines for people who come without booking, to write in.
    blank_rows = 5

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            blank_rows=range(self.blank_rows),
            register_url=reverse("culture_focus_groups:register", args=[self.event.pk]),
            **kwargs,
        )
