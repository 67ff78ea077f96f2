from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FocusGroupState(models.Model):
    """What the people booked on a focus group have been told, and whether the organiser
    cancelled it: one per focus group (its booking page), whatever its languages.

    Kept apart from the page so that a draft, a revision or a translation's sync never
    changes it: the calendar event's SEQUENCE is counted here, on the server, as each
    published change is announced (services.announce_changes).
    """

    event = models.OneToOneField(
        "culture_focus_groups.FocusGroupEventPage",
        verbose_name=_("focus group"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="focus_group_state",
    )
    # The calendar event's SEQUENCE: one higher with each change announced, and the
    # cancellation.
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    # The time, place and joining details as the people booked were last told them.
    told = models.JSONField(_("facts as announced"), default=dict)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancellation_message = models.TextField(_("message to participants"), blank=True)

    class Meta:
        verbose_name = _("focus group state")

    def __str__(self):
        return str(self.event)

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None
