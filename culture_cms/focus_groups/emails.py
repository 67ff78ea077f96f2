"""Every email the signup workflow sends: recorded, queued as a task, sent once.

Each kind has a folder templates/culture_cms/emails/<kind>/ with subject.txt, body.txt and
body.html. An OutboundEmail row is written in the same transaction as the
booking decision, and the send task (whose only argument is that row's id) is
queued in the same transaction too: with the database task backend the two
commit or roll back together, so no signup is ever left without its emails.
"""

import datetime
import hashlib
import logging
import traceback
from email.utils import parseaddr
from types import SimpleNamespace
from urllib.parse import urlencode

from anymail.exceptions import AnymailError
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from culture_cms.conf import setting
from culture_cms.organisation.models import OrganisationSettings

from .models import OutboundEmail, Signup

logger = logging.getLogger(__name__)

TO_CONTACT = {
    OutboundEmail.Kind.CONTACT_SIGNUP,
    OutboundEmail.Kind.CONTACT_CANCELLATION,
    OutboundEmail.Kind.CONTACT_PROMOTED,
    OutboundEmail.Kind.CONTACT_CHANGED,
    OutboundEmail.Kind.CONTACT_GROUP_CANCELLED,
}


def contact_for(event):
    """The event's named contact: its own, else the organisation's default."""
    if event.contact_id:
        return event.contact
    return OrganisationSettings.for_site(event.get_site()).default_contact


def addressed(kind, signup=None, event=None, invitation=None, **fields):
    """An unsaved email of this kind about the signup (or, to the contact, about the
    whole focus group `event`; or an invitation), to whom it goes in their language.

    The person gets it in the language they signed up in (an invitation, in the one the
    organiser chose); the contact in the site's default. None where there is nobody to
    send it to (a contact email for an event with no contact at all).
    """
    event = signup.event if signup else (invitation.event if invitation else event)
    if kind in TO_CONTACT:
        contact = contact_for(event)
        if contact is None:
            logger.warning("Focus group %s has no contact to tell about a signup.", event)
            return None
        recipient, language = contact.email, settings.LANGUAGE_CODE
    elif invitation is not None:
        recipient, language = invitation.email, invitation.language
    else:
        recipient, language = signup.email, signup.language
    return OutboundEmail(
        signup=signup,
        invitation=invitation,
        event_id=event.pk,
        kind=kind,
        recipient=recipient,
        language=language,
        **fields,
    )


def queue(kind, signup, once_key=None, **fields):
    """Record an email for this signup and queue the task that sends it.

    Returns the OutboundEmail, or None where there is nobody to send it to.
    """
    return _record(addressed(kind, signup, once_key=once_key, **fields))


def queue_to_contact(kind, event, **fields):
    """Record and queue an email to the focus group's contact about the whole group."""
    return _record(addressed(kind, event=event, **fields))


def queue_invitation(invitation):
    """Record and queue the invitation email, with the person's link."""
    return _record(addressed(OutboundEmail.Kind.INVITATION, invitation=invitation))


def _record(email):
    if email is None:
        return None
    if email.kind in TO_CONTACT and email.counts is None:
        email.counts = places_now(email.event)
    email.save()
    send_email.enqueue(email.pk)
    return email


def place_kind(signup):
    """The email that tells a booked person where they stand: confirmed, or waitlisted."""
    if signup.status == Signup.Status.CONFIRMED:
        return OutboundEmail.Kind.CONFIRMED
    return OutboundEmail.Kind.WAITLISTED


def places_now(event):
    """The focus group's places as they stand: what the contact's email reports."""
    return {**Signup.objects.availability_of(event), "capacity": event.capacity}


def queue_for_signup(signup):
    """A new signup: tell the person where they stand, and tell the contact."""
    queue(place_kind(signup), signup)
    queue(OutboundEmail.Kind.CONTACT_SIGNUP, signup)


def queue_once(kind, signup):
    """Queue an email that must go out once only for this signup and event start.

    Returns True if queued now, False if it was queued before.
    """
    return _queue_keyed(
        kind, signup, f"{kind}:{signup.pk}:{signup.event_id}:{signup.event.start.isoformat()}"
    )


# Someone signing up again with an address that is booked is sent the booking's own
# email again, at most once in this many seconds.
DETAILS_AGAIN_EVERY = 10 * 60


def queue_details_again(signup, now=None):
    """The person's own email (confirmed or waitlisted) again, to their address only, at
    most once in DETAILS_AGAIN_EVERY seconds. Returns True if queued now."""
    now = now or timezone.now()
    window = int(now.timestamp() // DETAILS_AGAIN_EVERY)
    return _queue_keyed(place_kind(signup), signup, f"again:{signup.pk}:{window}")


def queue_plans_published(signup, page):
    """ "The action plans are published", with the link to `page`, to the signup's address
    in its language: once for each address and plans page. True if queued now."""
    address = hashlib.sha256(signup.email.lower().encode()).hexdigest()[:40]
    key = f"plans:{page.translation_key}:{address}"
    return _queue_keyed(OutboundEmail.Kind.PLANS_PUBLISHED, signup, key, page=page)


def _queue_keyed(kind, signup, key, **fields):
    """Queue the email unless one with this once_key was queued before; True if queued."""
    try:
        with transaction.atomic():
            return queue(kind, signup, once_key=key, **fields) is not None
    except IntegrityError:
        return False


def backoff(attempts):
    """Seconds to wait before the next try: 1, 2, 4 … minutes, at most 6 hours."""
    return min(60 * 2 ** (attempts - 1), 6 * 60 * 60)


@task()
def send_email(email_id):
    """Send one recorded email. Its argument is an id only: no personal data in the queue."""
    deliver(email_id)


# The ESP or relay refused the message, or could not be reached: expected now and then.
# Anything else is a bug or a misconfiguration, and its log line says where it was raised.
DELIVERY_ERRORS = (AnymailError, OSError)


def _sending_lease():
    """How long a worker's claim on an email lasts before the sweep may send it again."""
    return timezone.timedelta(seconds=setting("CULTURE_CMS_EMAIL_SENDING_LEASE"))


def deliver(email_id, now=None):
    """Send the email if it is still waiting to go; retry later if sending fails.

    The worker first claims the email with one UPDATE (only a queued email whose
    try is due can be claimed, and the claim pushes its next try past a lease),
    so a task that runs twice, or a retry racing a sweep, sends nothing the
    second time. No transaction is held open while the ESP answers: on SQLite
    that would stop every signup for as long as a slow ESP takes.

    Whatever fails while the message is built or sent, the ESP or relay down or a
    misconfigured backend alike, is recorded on the email and counts as a try: an
    exception let through would leave the email queued with no error, claimed again
    after each lease for ever.
    """
    now = now or timezone.now()
    claimed = OutboundEmail.objects.filter(
        pk=email_id, status=OutboundEmail.Status.QUEUED, next_attempt_at__lte=now
    ).update(next_attempt_at=now + _sending_lease(), attempts=F("attempts") + 1)
    if not claimed:
        return
    email = OutboundEmail.objects.select_related("signup", "event").get(pk=email_id)
    try:
        message = build_message(email)
        message.send()
    except Exception as error:
        _record_failure(email, error, now)
        return
    status = getattr(message, "anymail_status", None)
    email.esp_message_id = (status and status.message_id) or ""
    email.status = OutboundEmail.Status.SENT
    email.sent_at = email.status_changed_at = now
    email.last_error = ""
    email.save(
        update_fields=["esp_message_id", "status", "sent_at", "status_changed_at", "last_error"]
    )


def _record_failure(email, error, now):
    """Record a failed try on the email, then queue the next after the backoff, or give up.

    The log names the email by its id only: the error's message may name the recipient
    (a refused address, say), so it is kept on the email, for the admin's Emails list.
    """
    max_attempts = setting("CULTURE_CMS_EMAIL_MAX_ATTEMPTS")
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    given_up = email.attempts >= max_attempts
    if given_up:
        email.status = OutboundEmail.Status.FAILED
        email.status_changed_at = now
    else:
        email.next_attempt_at = now + timezone.timedelta(seconds=backoff(email.attempts))
    email.save(update_fields=["last_error", "status", "status_changed_at", "next_attempt_at"])
    logger.log(
        logging.ERROR if given_up else logging.WARNING,
        "Email %s not sent: %s on try %s of %s; %s.%s",
        email.pk,
        type(error).__name__,
        email.attempts,
        max_attempts,
        "marked failed" if given_up else f"next try at {email.next_attempt_at.isoformat()}",
        _where_raised(error),
    )
    if not given_up and default_task_backend.supports_defer:
        send_email.using(run_after=email.next_attempt_at).enqueue(email.pk)


def _where_raised(error):
    """The stack of a bug or misconfiguration, for the log, without the error's message;
    nothing for a refusing or unreachable ESP or relay, where the stack says nothing new."""
    if isinstance(error, DELIVERY_ERRORS):
        return ""
    return "\n" + "".join(traceback.format_tb(error.__traceback__)).rstrip()


def send_due(now=None):
    """Queue a send for every email whose next try is due and may have no task waiting:
    one tried before (a retry the task backend could not defer, or an email whose
    worker died holding it), or one never tried since longer ago than a claim lasts
    (its task lost). A new email's own task is not doubled while a backlog drains.
    Returns how many."""
    now = now or timezone.now()
    due = OutboundEmail.objects.filter(
        Q(attempts__gt=0) | Q(created_at__lte=now - _sending_lease()),
        status=OutboundEmail.Status.QUEUED,
        next_attempt_at__lte=now,
    ).values_list("pk", flat=True)
    for email_id in due:
        send_email.enqueue(email_id)
    return len(due)


def build_message(email):
    """The email's message, rendered from templates/culture_cms/emails/<kind>/ in its language.

    Its links go to the focus group's page in that language (where it has one):
    the language the person signed up in, or the site's default for the contact.
    """
    from . import calendar, services

    signup, booking_event = email.signup, email.event
    with translation.override(email.language):
        event = booking_event.localized
        contact = contact_for(booking_event)
        context = {
            "signup": signup,
            "event": event,
            "state": booking_event.state,
            "contact": contact.localized if contact else None,
            "organisation": OrganisationSettings.for_site(event.get_site()),
            "event_url": event.get_full_url(),
            "index_url": event.get_parent().get_full_url(),
            "cancel_url": signup
            and _site_url(
                event, reverse("culture_cms:cancel", args=[services.cancel_token(signup)])
            ),
            "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("culture_focus_groups:index")
            + f"?event={booking_event.pk}",
            "places": email.counts or places_now(booking_event),
            "changes": email.changes and what_changed(email.changes),
            "invitation_url": email.invitation
            and event.get_full_url()
            + "?"
            + urlencode({"invitation": services.invitation_token(email.invitation)}),
            "plans_url": email.page and email.page.localized.get_full_url(),
            # Only then the joining details and the calendar event.
            "for_a_place": for_a_place(email),
        }
        folder = f"culture_cms/emails/{email.kind}"
        subject = " ".join(render_to_string(f"{folder}/subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"{folder}/body.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.recipient],
            reply_to=[signup.email] if signup and email.kind in TO_CONTACT else [],
            headers={"Message-ID": message_id(email)},
        )
        message.attach_alternative(render_to_string(f"{folder}/body.html", context), "text/html")
        for filename, ics, method in calendar_files(email, event, context["for_a_place"]):
            message.attach(filename, ics, calendar.attachment_type(method))
    return message


# The emails that take the focus group out of the person's calendar.
TAKE_OUT = {OutboundEmail.Kind.CANCELLED, OutboundEmail.Kind.GROUP_CANCELLED}


def calendar_files(email, event, with_place):
    """The calendar files of the email: (filename, content, method) each.

    One UID per focus group in each person's calendar: the event itself for a person with
    a place, at the focus group's SEQUENCE; its cancellation (one higher than any invitation
    they had) when their place, or the focus group, is cancelled, and for the group left
    in a move.
    """
    from . import calendar

    files = []
    if with_place:
        ics = calendar.ics_for_person(event, email.signup, now=email.created_at)
        files.append(("focus-group.ics", ics, "REQUEST"))
    if email.kind in TAKE_OUT:
        ics = calendar.ics_cancel_for_person(event, email.signup, now=email.created_at)
        files.append(("cancelled-focus-group.ics", ics, "CANCEL"))
    if email.kind == OutboundEmail.Kind.MOVED and email.previous_event:
        ics = calendar.ics_cancel_for_person(
            email.previous_event.localized, email.signup, now=email.created_at
        )
        files.append(("cancelled-focus-group.ics", ics, "CANCEL"))
    return files


def what_changed(changes):
    """The facts that changed, each as {"old": …, "new": …} in words of the active
    language, for the "changed" emails: `when` and `venue` (None when unchanged), and
    `joining`, whether the joining link or details changed (they are shown only to people
    with a place, as the new details)."""
    old, new = changes["old"], changes["new"]

    def changed(*names):
        return any(old.get(name) != new.get(name) for name in names)

    def when(facts):
        times = SimpleNamespace(
            start=datetime.datetime.fromisoformat(facts["start"]),
            end=datetime.datetime.fromisoformat(facts["end"]),
        )
        return render_to_string("culture_cms/includes/event_when.html", {"event": times})

    def venue(facts):
        lines = [line.strip() for line in facts.get("venue", "").splitlines() if line.strip()]
        return ", ".join(lines) or _("none (online only)")

    return {
        "when": {"old": when(old), "new": when(new)} if changed("start", "end") else None,
        "venue": {"old": venue(old), "new": venue(new)} if changed("venue") else None,
        "joining": changed("joining_link", "joining_details"),
    }


# The emails that can tell a person with a place how to take part.
FOR_A_PLACE = {
    OutboundEmail.Kind.CONFIRMED,
    OutboundEmail.Kind.CHANGED,
    OutboundEmail.Kind.PROMOTED,
    OutboundEmail.Kind.MOVED,
    OutboundEmail.Kind.REMINDER,
}


def for_a_place(email):
    """Whether the email goes to a person with a place, about it: only then does it carry
    the focus group as a calendar event, and an online one's joining link and details
    (not to the waitlist, not with a cancellation)."""
    return (
        email.kind in FOR_A_PLACE
        and email.signup is not None
        and email.signup.status == Signup.Status.CONFIRMED
    )


def message_id(email):
    """The same Message-ID on every send of one email: where a worker died after sending
    and the email went again, mail clients (and the topology tests) see one message."""
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    domain = sender.rpartition("@")[2] if "@" in sender else str(DNS_NAME)
    return f"<culture-cms.{email.pk}.{email.created_at:%Y%m%d%H%M%S}@{domain}>"


def _site_url(event, path):
    """The path on the focus group's site, absolute from the Site's root URL.

    The same base as event.get_full_url() and the calendar files, never the
    request's host or WAGTAILADMIN_BASE_URL (the admin's), so every link for
    the public in an email works wherever the Site says it is served.
    """
    return event.get_site().root_url.rstrip("/") + path
