"""Anymail's tracking webhook (delivered and bounced reach the email's record), and what
publishing a focus group sets off."""

from anymail.signals import tracking
from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published

from . import services
from .models import FocusGroupEventPage, OutboundEmail

STATUSES = {
    "delivered": OutboundEmail.Status.DELIVERED,
    "bounced": OutboundEmail.Status.BOUNCED,
    "rejected": OutboundEmail.Status.BOUNCED,
    "failed": OutboundEmail.Status.FAILED,
}


@receiver(tracking)
def record_delivery(sender, event, esp_name, **kwargs):
    status = STATUSES.get(event.event_type)
    if status and event.message_id:
        OutboundEmail.objects.filter(esp_message_id=event.message_id).exclude(status=status).update(
            status=status, status_changed_at=timezone.now()
        )


@receiver(page_published)
def focus_group_published(sender, instance, **kwargs):
    """Every language shows the original's facts; the people booked hear of a change to
    its time, place or joining details; and an organiser who raises a focus group's
    capacity gives the new places to the waitlist."""
    if isinstance(instance, FocusGroupEventPage):
        services.share_facts_with_translations(instance)
        services.announce_changes(instance)
        services.promote_waitlist(instance)
