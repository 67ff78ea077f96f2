"""The listings' filters, and how the admin names a focus group in a chooser."""

import django_filters
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet

from ..models import FocusGroupEventPage, OutboundEmail, Signup
from ..permissions import focus_groups_visible_to


def focus_group_label(event):
    """A focus group as the admin's choosers name it: its title and when it starts."""
    return f"{event.title} ({date_format(timezone.localtime(event.start), 'j M Y, H:i')})"


def focus_groups(request=None):
    """Each focus group once, whatever languages it is in: its booking page, latest first;
    given the request, only those whose signups its user may see."""
    if request is None:
        events = FocusGroupEventPage.objects.booking_pages()
    else:
        events = focus_groups_visible_to(request.user)
    return events.order_by("-start", "pk")


# The largest id the databases hold: a bigger number in `?event=` is no focus group.
LARGEST_ID = 2**63 - 1


class FocusGroupChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return focus_group_label(obj)

    def to_python(self, value):
        if str(value).isdigit() and int(value) > LARGEST_ID:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class FocusGroupFilter(django_filters.ModelChoiceFilter):
    field_class = FocusGroupChoiceField


class SignupFilterSet(WagtailFilterSet):
    # `?event=<id>` is the link in the contact's email and on the focus group's edit view.
    event = FocusGroupFilter(label=gettext_lazy("Focus group"), queryset=focus_groups)

    class Meta:
        model = Signup
        fields = ["event", "status"]


class OutboundEmailFilterSet(WagtailFilterSet):
    event = FocusGroupFilter(label=gettext_lazy("Focus group"), queryset=focus_groups)

    class Meta:
        model = OutboundEmail
        fields = ["status", "kind", "event"]
