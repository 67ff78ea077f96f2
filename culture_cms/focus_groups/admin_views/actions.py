"""Cancel and move one signup, through the booking rules (services.py)."""

import re
from email.utils import parseaddr

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from .. import services
from ..models import FocusGroupEventPage, Invitation, Signup
from .filters import focus_group_label
from .listing import named_signups


class SignupActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """A change to one signup, made through the booking rules."""

    model = Signup
    permission_required = "change"
    header_icon = "group"
    index_url_name = None
    inspect_url_name = None

    @cached_property
    def object(self):
        # Looked up after the permission check: no hint to others of which signups exist.
        return get_object_or_404(named_signups(self.request.user), pk=self.kwargs["pk"])

    @cached_property
    def inspect_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Signups")},
            {"url": self.inspect_url, "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, inspect_url=self.inspect_url, **kwargs)


class CancelSignupView(SignupActionView, TemplateView):
    template_name = "culture_cms/focus_groups/admin/cancel.html"
    page_title = gettext_lazy("Cancel signup")

    def post(self, request, *args, **kwargs):
        try:
            services.cancel(self.object, by_organiser=True)
        except services.SignupRefused as refusal:
            messages.error(request, str(refusal))
        else:
            if services.has_started(self.object.event):
                message = _(
                    "%(name)s's signup is cancelled. The focus group has started, so nobody "
                    "was emailed and no place went to the waitlist."
                )
            else:
                message = _("%(name)s's signup is cancelled; any place freed went to the waitlist.")
            messages.success(request, message % {"name": self.object.full_name})
        return redirect(self.inspect_url)


class FocusGroupChoiceFormField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return focus_group_label(obj)


class MoveForm(forms.Form):
    event = FocusGroupChoiceFormField(
        label=gettext_lazy("Move to"),
        queryset=FocusGroupEventPage.objects.none(),
        help_text=gettext_lazy(
            "They get a place if one is free, else join the end of its waitlist."
        ),
    )

    def __init__(self, *args, signup, **kwargs):
        super().__init__(*args, **kwargs)
        # Focus groups yet to start; whether signup is open there is for the rules to say.
        self.fields["event"].queryset = (
            FocusGroupEventPage.objects.booking_pages()
            .exclude(pk=signup.event_id)
            .filter(start__gt=timezone.now())
            .order_by("start", "pk")
        )


class MoveSignupView(SignupActionView, FormView):
    template_name = "culture_cms/focus_groups/admin/move.html"
    page_title = gettext_lazy("Move signup")
    form_class = MoveForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "signup": self.object}

    def form_valid(self, form):
        try:
            signup = services.move(self.object, form.cleaned_data["event"])
        except services.SignupRefused as refusal:
            form.add_error("event", str(refusal))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is moved to %(event)s: %(status)s.")
            % {
                "name": signup.full_name,
                "event": signup.event.title,
                "status": signup.get_status_display().lower(),
            },
        )
        return redirect(self.inspect_url)


class CancelFocusGroupForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message to the people booked"),
        help_text=gettext_lazy(
            "Sent in the cancellation email to everyone with a place or on the waitlist, "
            "and to the contact. It is not shown on the page."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("Say why it is cancelled, or what happens next.")},
    )


class FocusGroupActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """An organiser's action on a whole focus group (the URL's `event_id`), reached from
    its edit view."""

    model = Signup
    permission_required = "change"
    index_url_name = None

    @cached_property
    def event(self):
        # Looked up after the permission check, as the other actions do.
        page = get_object_or_404(FocusGroupEventPage, pk=self.kwargs["event_id"])
        return page.booking_event

    def get_page_subtitle(self):
        return self.event.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Signups")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=self.event,
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.event.pk]),
            **kwargs,
        )


class CancelFocusGroupView(FocusGroupActionView):
    """Call a whole focus group off (services.cancel_focus_group), with a message."""

    header_icon = "cross"
    template_name = "culture_cms/focus_groups/admin/cancel_focus_group.html"
    page_title = gettext_lazy("Cancel the focus group")
    form_class = CancelFocusGroupForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            places=Signup.objects.availability_of(self.event), refusal=self.refusal(), **kwargs
        )

    def refusal(self):
        if self.event.is_cancelled:
            return _("This focus group is already cancelled.")
        if services.has_started(self.event):
            return _("This focus group has already started, so it can no longer be cancelled.")
        return None

    def form_valid(self, form):
        try:
            cancelled = services.cancel_focus_group(
                self.event, message=form.cleaned_data["message"], by=self.request.user
            )
        except services.SignupRefused as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "%(title)s is cancelled. %(count)d person booked has been emailed, and the "
                "contact told.",
                "%(title)s is cancelled. %(count)d people booked have been emailed, and the "
                "contact told.",
                len(cancelled),
            )
            % {"title": self.event.title, "count": len(cancelled)},
        )
        return redirect("wagtailadmin_pages:edit", self.event.pk)


# What separates the addresses of a pasted list: lines, commas, semicolons (Outlook's).
SEPARATORS = re.compile(r"[\n\r,;]+")
MOST_INVITATIONS = 500


class InviteForm(forms.Form):
    addresses = forms.CharField(
        label=gettext_lazy("Work email addresses"),
        help_text=gettext_lazy(
            "Paste them one per line, or separated by commas or semicolons, as Outlook copies "
            'them ("Ann Able <ann.able@example.nhs.uk>" is fine).'
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": gettext_lazy("Enter at least one email address.")},
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the invitation email"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
    )

    def clean_addresses(self):
        """Each address once (in any case), or an error naming those that are not one."""
        addresses, wrong, seen = [], [], set()
        for piece in SEPARATORS.split(self.cleaned_data["addresses"]):
            if not piece.strip():
                continue
            address = parseaddr(piece.strip())[1]
            try:
                validate_email(address)
            except ValidationError:
                wrong.append(piece.strip())
                continue
            if address.lower() not in seen:
                seen.add(address.lower())
                addresses.append(address)
        if wrong:
            raise ValidationError(
                _(
                    "Not email addresses: %(wrong)s. Correct them and send again: nobody has "
                    "been invited."
                )
                % {"wrong": ", ".join(wrong)}
            )
        if len(addresses) > MOST_INVITATIONS:
            raise ValidationError(
                _("At most %(most)d addresses at a time.") % {"most": MOST_INVITATIONS}
            )
        return addresses


class InviteView(FocusGroupActionView):
    """Invite people to a focus group by invitation (services.invite)."""

    header_icon = "mail"
    template_name = "culture_cms/focus_groups/admin/invite.html"
    page_title = gettext_lazy("Invite people")
    form_class = InviteForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            invitations=Invitation.objects.filter(event=self.event), **kwargs
        )

    def form_valid(self, form):
        try:
            invited, left_out = services.invite(
                self.event,
                form.cleaned_data["addresses"],
                language=form.cleaned_data["language"],
                by=self.request.user,
            )
        except services.SignupRefused as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        message = ngettext(
            "%(count)d invitation is on its way.",
            "%(count)d invitations are on their way.",
            len(invited),
        ) % {"count": len(invited)}
        if left_out:
            message += " " + _("Left out, as already signed up: %(addresses)s.") % {
                "addresses": ", ".join(left_out)
            }
        messages.success(self.request, message)
        return redirect(self.request.path)
