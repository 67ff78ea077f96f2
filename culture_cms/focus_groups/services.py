"""The booking rules for culture focus groups, as plain functions.

Views, the admin, management commands and tests all call these. Each decision
is one transaction that first locks the focus group's row, so two people
signing up at once can never both take the last place.

A focus group translated into other languages is still one focus group: its
signups all belong to the original page (FocusGroupEventPage.booking_event),
whichever language's page people used, and each signup keeps that language.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from culture_cms.conf import setting
from culture_cms.organisation.models import OrganisationSettings

from . import emails
from .models import FocusGroupEventPage, FocusGroupState, Invitation, OutboundEmail, Signup

CANCEL_SALT = "culture_cms.focus_groups.cancel"
RESULT_SALT = "culture_cms.focus_groups.result"
INVITATION_SALT = "culture_cms.focus_groups.invitation"
# What the register records on each signup (record_attendance).
ATTENDANCE_FIELDS = ["attended", "attendance_recorded_at", "attendance_recorded_by"]


class SignupRefused(Exception):
    """The rules say no; the message says why, in words a person can act on."""


class CancelLinkInvalid(Exception):
    """A cancel link that was forged, mangled or has expired."""


@dataclass
class SignupOutcome:
    signup: Signup
    created: bool

    @property
    def already_booked(self):
        return not self.created


def signup_closes_at(event):
    """Signup closes at the set time, and in any case when the focus group starts."""
    return min(filter(None, [event.signup_closes, event.start]))


def closed_reason(event, now=None):
    """Why signup is not open now, or None when it is."""
    now = now or timezone.now()
    if event.is_cancelled:
        return _("This focus group has been cancelled, so signup has closed.")
    if event.start <= now:
        return _("This focus group has already started, so signup has closed.")
    if event.signup_opens and now < event.signup_opens:
        opens = timezone.localtime(event.signup_opens)
        # Month names in the reader's language.
        return _("Signup opens on %(date)s at %(time)s.") % {
            "date": date_format(opens, "j F Y"),
            "time": date_format(opens, "H:i"),
        }
    if now >= signup_closes_at(event):
        return _("Signup for this focus group has closed.")
    return None


def _lock(event_id):
    """The focus group's row, locked until the transaction ends (PostgreSQL; SQLite
    serialises write transactions anyway)."""
    return FocusGroupEventPage.objects.select_for_update(of=("self",)).get(pk=event_id)


def _status_for_new_place(event):
    full = Signup.objects.availability_of(event)["full"]
    return Signup.Status.WAITLISTED if full else Signup.Status.CONFIRMED


def is_booked(event, email):
    """Whether this email address holds a place or a waitlist place at the focus group."""
    return Signup.objects.for_focus_group(event).booked_by(email).exists()


def sign_up(
    event,
    *,
    full_name,
    email,
    staff_group,
    language,
    user=None,
    now=None,
    invitation=None,
    **details,
):
    """Book a place, or a place on the waitlist once the focus group is full.

    The same email on the same focus group while booked gets the existing
    signup back (created=False), not a second record, and that address is sent the
    booking's email again (at most once in emails.DETAILS_AGAIN_EVERY seconds): whoever
    typed the address may not be the person, so only the address hears about the
    booking. Raises SignupRefused
    when signup is not open, and for a focus group by invitation without an unused
    `invitation` for this address (which the booking then uses up). `event` may be any
    language's page of the focus group; `language` is the one the person used.
    """
    now = now or timezone.now()
    event = event.booking_event
    try:
        with transaction.atomic():
            event = _lock(event.pk)
            reason = closed_reason(event, now)
            if reason:
                raise SignupRefused(reason)
            existing = Signup.objects.for_focus_group(event).booked_by(email).first()
            _state_of(event)  # from now on, changes are announced
            if existing:
                emails.queue_details_again(existing, now)
                return SignupOutcome(existing, created=False)
            if event.by_invitation:
                invitation = _usable_invitation(event, invitation, email)
            signup = Signup.objects.create(
                event=event,
                status=_status_for_new_place(event),
                full_name=full_name,
                email=email,
                staff_group=staff_group,
                language=language,
                user=user,
                created_at=now,
                queued_at=now,
                **details,
            )
            emails.queue_for_signup(signup)
            if event.by_invitation:
                invitation.used_at = now
                invitation.signup = signup
                invitation.save(update_fields=["used_at", "signup"])
            return SignupOutcome(signup, created=True)
    except IntegrityError:
        # The same person, twice at once: the database let one through.
        existing = Signup.objects.for_focus_group(event).booked_by(email).get()
        return SignupOutcome(existing, created=False)


# Invitations ---------------------------------------------------------------------------


def invitation_token(invitation):
    """The signed token in a person's invitation link."""
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_for_token(event, token):
    """The invitation to this focus group (any language's page of it) that the token is
    for, used or not; None for a forged token or another focus group's."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        return None
    return Invitation.objects.filter(pk=pk, event__translation_key=event.translation_key).first()


def invitation_refusal(invitation, email=None):
    """Why this invitation cannot book a place (for this address), or None when it can."""
    if invitation is None:
        return _(
            "This focus group is by invitation only. To sign up, use the link in your "
            "invitation email."
        )
    if invitation.used_at:
        return _("This invitation has already been used to sign up.")
    if email is not None and email.lower() != invitation.email.lower():
        return _("Enter the email address this invitation was sent to")
    return None


def _usable_invitation(event, invitation, email):
    if invitation is not None:
        invitation = (
            Invitation.objects.select_for_update().filter(pk=invitation.pk, event=event).first()
        )
    refusal = invitation_refusal(invitation, email)
    if refusal:
        raise SignupRefused(refusal)
    return invitation


def invite(event, addresses, *, language, by=None, now=None):
    """Invite these work email addresses to a focus group by invitation: each gets an
    invitation email with a personal link. An address invited before and not yet signed up
    is sent its invitation again; one already booked, or whose invitation was used, is
    left out. Returns (invited, left_out), lists of addresses."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock(event.booking_event.pk)
        reason = closed_reason(event, now)
        if reason:
            raise SignupRefused(reason)
        if not event.by_invitation:
            raise SignupRefused(_("This focus group is open to everyone: no invitation is needed."))
        invited, left_out = [], []
        for address in addresses:
            invitation = Invitation.objects.filter(event=event, email__iexact=address).first()
            booked = Signup.objects.for_focus_group(event).booked_by(address).exists()
            if booked or (invitation and invitation.used_at):
                left_out.append(address)
                continue
            if invitation is None:
                invitation = Invitation(event=event, email=address, created_by=by, created_at=now)
            invitation.language = language
            invitation.save()
            emails.queue_invitation(invitation)
            invited.append(address)
        return invited, left_out


def fill_places(event, now=None):
    """Promote people from the waitlist, first in line first, while places are free:
    until the focus group starts (a place in a session under way, or over, is no use).

    Call inside a transaction that holds the focus group's lock. Returns those promoted.
    """
    if has_started(event, now):
        return []
    free = Signup.objects.availability_of(event)["left"]
    promoted = list(Signup.objects.for_focus_group(event).waitlist()[:free])
    for signup in promoted:
        signup.status = Signup.Status.CONFIRMED
        signup.save(update_fields=["status"])
        emails.queue(OutboundEmail.Kind.PROMOTED, signup)
        emails.queue(OutboundEmail.Kind.CONTACT_PROMOTED, signup)
    return promoted


def promote_waitlist(event, now=None):
    """After a change of capacity: give any free places to the waitlist."""
    with transaction.atomic():
        return fill_places(_lock(event.booking_event.pk), now)


def share_facts_with_translations(event):
    """Give every language's page of a focus group the original's time, place and
    capacity, as soon as either is published.

    wagtail-localize copies them only when a translation is synced, so without
    this a Welsh page could show another time or number of places than the
    booking it shares with the English. Returns how many pages changed.
    """
    original = event.booking_event
    facts = {
        field.attname: getattr(original, field.attname)
        for field in (original._meta.get_field(name) for name in original.shared_facts)
    }
    translations = FocusGroupEventPage.objects.for_focus_group(original).exclude(pk=original.pk)
    return translations.update(**facts)


# What the people booked are told of, and told again when it changes.
TOLD = ("start", "end", "venue", "joining_link", "joining_details")


def _facts(event):
    """The focus group's time, place and joining details, as JSON."""
    values = {name: getattr(event, name) for name in TOLD}
    return {
        name: value.isoformat() if hasattr(value, "isoformat") else value
        for name, value in values.items()
    }


def _state_of(event):
    """The focus group's FocusGroupState, made from its facts now if it has none yet:
    what the first person booked was told. Call holding the focus group's lock."""
    state, _created = FocusGroupState.objects.get_or_create(
        event=event, defaults={"told": _facts(event)}
    )
    return state


def announce_changes(event, now=None):
    """After a focus group is published: if its time, place or joining details differ
    from what the people booked were told, email each of them once what changed (with
    its calendar event, the SEQUENCE one higher) and tell the contact once.

    Edits to anything else send nothing; nor does a change to a focus group that has
    started or was cancelled. Returns the signups emailed.
    """
    with transaction.atomic():
        event = _lock(event.booking_event.pk)
        state = FocusGroupState.objects.filter(event=event).first()
        if state is None or state.is_cancelled:
            return []  # nobody has been told anything yet; or they were told it is off
        facts = _facts(event)
        if facts == state.told:
            return []
        changes = {"old": state.told, "new": facts}
        state.told = facts
        state.sequence += 1
        state.save(update_fields=["told", "sequence"])
        if has_started(event, now):
            return []
        booked = list(Signup.objects.for_focus_group(event).active().order_by("pk"))
        for signup in booked:
            emails.queue(OutboundEmail.Kind.CHANGED, signup, changes=changes)
        if booked:
            emails.queue_to_contact(OutboundEmail.Kind.CONTACT_CHANGED, event, changes=changes)
        return booked


def cancel_focus_group(event, *, message, by=None, now=None):
    """The organiser calls the focus group off: everyone confirmed or waitlisted gets a
    cancellation email (the calendar event cancelled) with the organiser's message, the
    contact is told once, and the signups are kept, as "cancelled by the organiser".

    The page stays up, saying it is cancelled; signup, moves to it and reminders stop.
    Raises SignupRefused once the focus group has started, or when already cancelled.
    Returns the signups cancelled.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock(event.booking_event.pk)
        if has_started(event, now):
            raise SignupRefused(
                _("This focus group has already started, so it can no longer be cancelled.")
            )
        state = _state_of(event)
        if state.is_cancelled:
            raise SignupRefused(_("This focus group is already cancelled."))
        state.cancelled_at = now
        state.cancelled_by = by
        state.cancellation_message = message
        state.sequence += 1
        state.save()
        places = emails.places_now(event)
        booked = list(Signup.objects.for_focus_group(event).active().order_by("pk"))
        for signup in booked:
            signup.status = Signup.Status.GROUP_CANCELLED
            signup.cancelled_at = now
            signup.save(update_fields=["status", "cancelled_at"])
            emails.queue(OutboundEmail.Kind.GROUP_CANCELLED, signup)
        emails.queue_to_contact(OutboundEmail.Kind.CONTACT_GROUP_CANCELLED, event, counts=places)
        return booked


def has_started(event, now=None):
    return event.start <= (now or timezone.now())


def cancel_refusal(signup, now=None, *, by_organiser=False):
    """Why this signup cannot be cancelled now, or None when it can.

    A participant can cancel until the focus group starts; an organiser, at any time.
    """
    if signup.anonymised_at or not signup.is_active:
        return _("This place has already been cancelled.")
    if not by_organiser and has_started(signup.event, now):
        return _(
            "This focus group has already started, so the place can no longer be cancelled online."
        )
    return None


def cancel(signup, now=None, *, by_organiser=False):
    """Cancel a signup; a confirmed place goes to the first person on the waitlist.

    Raises SignupRefused when it is already cancelled, or (unless an organiser
    cancels) when the focus group has started. After the start (an organiser
    cancelling someone who did not come) nobody is emailed and nobody promoted.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock(signup.event_id)
        signup = Signup.objects.select_for_update().get(pk=signup.pk)
        signup.event = event
        refusal = cancel_refusal(signup, now, by_organiser=by_organiser)
        if refusal:
            raise SignupRefused(refusal)
        signup.status = Signup.Status.CANCELLED
        signup.cancelled_at = now
        signup.save(update_fields=["status", "cancelled_at"])
        if not has_started(event, now):
            emails.queue(OutboundEmail.Kind.CANCELLED, signup)
            emails.queue(OutboundEmail.Kind.CONTACT_CANCELLATION, signup)
            fill_places(event, now)
        return signup


def attendance_refusal(event, now=None):
    """Why attendance cannot be recorded yet, or None once the focus group has started."""
    if has_started(event, now):
        return None
    start = timezone.localtime(event.start)
    return _("Attendance can be recorded once the focus group starts, on %(date)s at %(time)s.") % {
        "date": date_format(start, "j F Y"),
        "time": date_format(start, "H:i"),
    }


def record_attendance(event, attendance, *, by=None, now=None):
    """Keep a focus group's register: `attendance` maps each signup to True (attended),
    False (did not attend) or None (not recorded). All of it is saved, or none.

    `by` (a user) and the time are kept on each signup whose record changes; clearing
    a record clears them too. Raises SignupRefused before the focus group starts, and
    for a signup not on its register: not confirmed, anonymised, or of another focus
    group. Returns the signups changed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock(event.booking_event.pk)
        if refusal := attendance_refusal(event, now):
            raise SignupRefused(refusal)
        for attended in attendance.values():
            if attended is not None and not isinstance(attended, bool):
                raise TypeError(f"Attendance is True, False or None, not {attended!r}.")
        signups = Signup.objects.for_focus_group(event).select_for_update(of=("self",))
        found = signups.in_bulk([signup.pk for signup in attendance])
        changed = []
        for given, attended in attendance.items():
            signup = found.get(given.pk)
            if refusal := _off_the_register(signup, given):
                raise SignupRefused(refusal)
            if signup.attended is not attended:
                recorded = attended is not None
                signup.attended = attended
                signup.attendance_recorded_at = now if recorded else None
                signup.attendance_recorded_by = by if recorded else None
                changed.append(signup)
        Signup.objects.bulk_update(changed, ATTENDANCE_FIELDS)
        return changed


def _off_the_register(signup, given):
    """Why a signup is not on the focus group's register, or None when it is: `signup`
    as it is now, None when of another focus group; `given` as the caller had it."""
    if signup is None:
        return _("%(name)s is booked on another focus group, not this one.") % {
            "name": given.full_name
        }
    if signup.anonymised_at:
        return _("This signup was anonymised after the focus group, so it is not on the register.")
    if signup.status != Signup.Status.CONFIRMED:
        return _(
            "%(name)s does not have a confirmed place (%(status)s), so is not on the register."
        ) % {"name": signup.full_name, "status": signup.get_status_display().lower()}
    return None


def move(signup, to_event, now=None):
    """Move a signup to another focus group, under that group's rules.

    The person gets a place there if one is free, else joins the end of its
    waitlist; a place they leave goes to the first person waiting.
    """
    now = now or timezone.now()
    to_event = to_event.booking_event
    if to_event.pk == signup.event_id:
        raise SignupRefused(_("This signup is already for that focus group."))
    with transaction.atomic():
        # Lock both groups, in one order, so two moves can't deadlock.
        first, second = sorted([signup.event_id, to_event.pk])
        locked = {pk: _lock(pk) for pk in (first, second)}
        from_event, to_event = locked[signup.event_id], locked[to_event.pk]
        signup = Signup.objects.select_for_update().get(pk=signup.pk)
        if not signup.is_active:
            raise SignupRefused(_("A cancelled signup cannot be moved."))
        reason = closed_reason(to_event, now)
        if reason:
            raise SignupRefused(reason)
        if Signup.objects.for_focus_group(to_event).booked_by(signup.email).exists():
            raise SignupRefused(_("This person is already booked on that focus group."))
        _state_of(to_event)
        signup.event = to_event
        signup.status = _status_for_new_place(to_event)
        signup.queued_at = now
        # A register is of one focus group: what the old one's said is no record of this.
        signup.attended = signup.attendance_recorded_at = signup.attendance_recorded_by = None
        signup.save(update_fields=["event", "status", "queued_at", *ATTENDANCE_FIELDS])
        emails.queue(OutboundEmail.Kind.MOVED, signup, previous_event=from_event)
        emails.queue(OutboundEmail.Kind.CONTACT_SIGNUP, signup)
        fill_places(from_event)
        return signup


def cancel_token(signup):
    """The signed token in a participant's cancel link."""
    return signing.dumps(signup.pk, salt=CANCEL_SALT)


def signup_for_cancel_token(token):
    """The signup a cancel link is for. Raises CancelLinkInvalid for a forged or
    expired link; a used link finds a signup that is no longer active."""
    try:
        pk = signing.loads(
            token, salt=CANCEL_SALT, max_age=setting("CULTURE_CMS_CANCEL_LINK_MAX_AGE")
        )
    except signing.SignatureExpired as error:
        raise CancelLinkInvalid(_("This cancel link has expired.")) from error
    except signing.BadSignature as error:
        raise CancelLinkInvalid(_("This cancel link is not valid.")) from error
    signup = Signup.objects.select_related("event").filter(pk=pk).first()
    if signup is None:
        raise CancelLinkInvalid(_("This cancel link is not valid."))
    return signup


def result_token(signup):
    """The signed reference on the result page after signing up (no personal data)."""
    return signing.dumps(signup.pk, salt=RESULT_SALT)


def signup_for_result_token(token):
    try:
        pk = signing.loads(token, salt=RESULT_SALT, max_age=60 * 60 * 24)
    except signing.BadSignature:
        return None
    return Signup.objects.select_related("event").filter(pk=pk).first()


def queue_reminders(now=None):
    """Queue a reminder for everyone confirmed on a live, not cancelled focus group
    starting in the next day (an unpublished one is not going ahead as published).

    Safe to run as often as you like: each reminder is queued once.
    """
    now = now or timezone.now()
    due = Signup.objects.confirmed().filter(
        event__live=True,
        event__focus_group_state__cancelled_at__isnull=True,
        event__start__gt=now,
        event__start__lte=now + timezone.timedelta(hours=24),
    )
    return sum(emails.queue_once(OutboundEmail.Kind.REMINDER, signup) for signup in due)


# The action plans ----------------------------------------------------------------------


def live_action_plans(organisation):
    """The site's action-plans page (OrganisationSettings.action_plans_page) once it, or a
    translation of it, is live; else None. `.localized` gives the reader's language."""
    plans = organisation.action_plans_page
    if plans is None:
        return None
    return plans if plans.live else plans.get_translations().live().first()


def announce_action_plans(site, published=None):
    """Once the site's action plans are live, email everyone who asked on a signup form of
    a focus group of that site: one email per address whatever they booked, in the
    language of their latest signup, with the link. `published`, a page just published:
    only if it is the action plans (in any language). Returns how many were queued now."""
    organisation = OrganisationSettings.for_site(site)
    plans = live_action_plans(organisation)
    if plans is None:
        return 0
    if published is not None and published.translation_key != plans.translation_key:
        return 0
    roots = site.root_page.get_translations(inclusive=True)
    in_site = reduce(or_, (Q(event__path__startswith=root.path) for root in roots))
    asked = Signup.objects.named().filter(in_site, hear_about_plans=True)
    queued, told = 0, set()
    for signup in asked.select_related("event").order_by("-created_at"):
        if signup.email.lower() not in told:
            told.add(signup.email.lower())
            queued += emails.queue_plans_published(signup, organisation.action_plans_page)
    return queued


def purge(days, now=None, dry_run=False):
    """Anonymise signups for focus groups that ended more than `days` days ago.

    Status, staff group and the focus group are kept, so the counts by staff
    group survive; names, contact details and notes go, with their emails.
    """
    now = now or timezone.now()
    due = Signup.objects.due_for_purge(days, now)
    count = due.count()
    if not dry_run:
        with transaction.atomic():
            OutboundEmail.objects.filter(signup__in=due).delete()
            # Invitations name a person too: they go with the focus group's signups.
            ended = now - timezone.timedelta(days=days)
            Invitation.objects.filter(event__end__lt=ended).delete()
            due.update(
                full_name="",
                email="",
                job_role="",
                department="",
                access_needs="",
                user=None,
                hear_about_plans=False,
                anonymised_at=now,
            )
    return count
