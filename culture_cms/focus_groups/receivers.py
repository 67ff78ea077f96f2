"""Anymail's tracking webhook (delivered and bounced reach the email's record), what
publishing a focus group sets off, and the email once the action plans are out."""

from anymail.signals import tracking
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published

from culture_cms.organisation.models import OrganisationSettings

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


@receiver(page_published)
def action_plans_published(sender, instance, **kwargs):
    """Publishing the action plans tells everyone who asked on a signup form."""
    site = instance.get_site()
    if site is not None:
        services.announce_action_plans(site, published=instance)


@receiver(post_save, sender=OrganisationSettings)
def action_plans_chosen(sender, instance, **kwargs):
    """So does choosing, in the settings, action plans that are live already."""
    services.announce_action_plans(instance.site)
