from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaffGroup(models.TextChoices):
    """The NHS staff groups."""

    NURSING = "nursing", _("Nursing and midwifery")
    MEDICAL = "medical", _("Medical and dental")
    AHP = "ahp", _("Allied health professionals")
    SCIENTISTS = "scientists", _("Healthcare scientists")
    STT = "stt", _("Scientific, therapeutic and technical")
    ADDITIONAL_CLINICAL = "additional_clinical", _("Additional clinical services")
    ADMIN = "admin", _("Administrative and clerical")
    ESTATES = "estates", _("Estates and ancillary")
    STUDENTS = "students", _("Students")
    OTHER = "other", _("Other")


# The waitlist's order: who joined the line first, then who was saved first.
WAITLIST_ORDER = ("queued_at", "pk")


def status_counts(prefix=""):
    """Count(...) per signup status, in all, and of those who attended (confirmed, and
    marked attended on the register), for annotate() or aggregate(): over signups, or
    with prefix "signups__" over each focus group's."""
    counted = f"{prefix}pk"
    counts = {
        status: models.Count(counted, filter=models.Q(**{f"{prefix}status": status}))
        for status in Signup.Status.values
    }
    attended = models.Q(**{f"{prefix}status": Signup.Status.CONFIRMED, f"{prefix}attended": True})
    return {
        **counts,
        "total": models.Count(counted),
        "attended": models.Count(counted, filter=attended),
    }


def availability(capacity, confirmed, waitlisted):
    """A focus group's places from its counts: confirmed and waitlisted, places left and
    whether it is full. The one rule, for one focus group's signups
    (SignupQuerySet.availability) and for a listing counted in its own query
    (FocusGroupEventQuerySet.with_availability)."""
    left = max(capacity - confirmed, 0)
    return {"confirmed": confirmed, "waitlisted": waitlisted, "left": left, "full": left == 0}


class SignupQuerySet(models.QuerySet):
    def active(self):
        """Confirmed or on the waitlist: holding or waiting for a place."""
        return self.filter(status__in=[Signup.Status.CONFIRMED, Signup.Status.WAITLISTED])

    def booked_by(self, email):
        """Those holding or waiting for a place under this email address, in any case."""
        return self.active().filter(email__iexact=email)

    def named(self):
        """Not anonymised: the signups that still name a person."""
        return self.filter(anonymised_at__isnull=True)

    def for_focus_group(self, event):
        """The signups of a focus group, given any language's page of it."""
        return self.filter(event__translation_key=event.translation_key)

    def availability_of(self, event):
        """`availability` of a focus group, given any language's page of it: one booking
        for all. A focus group not saved yet (in the editor's preview) has no signups."""
        signups = self.none() if event.pk is None else self.for_focus_group(event)
        return signups.availability(event.capacity)

    def confirmed(self):
        return self.filter(status=Signup.Status.CONFIRMED)

    def on_register(self):
        """The people on a focus group's register: confirmed and still named, by name."""
        return self.confirmed().named().order_by(Lower("full_name"), "pk")

    def waitlist(self):
        """The waitlist, first in line first."""
        return self.filter(status=Signup.Status.WAITLISTED).order_by(*WAITLIST_ORDER)

    def ahead_of(self, queued_at, pk):
        """The waitlisted signups ahead in line of one queued at `queued_at` with this pk:
        plain values or OuterRef()s, so it serves one signup and a whole listing alike."""
        return self.filter(status=Signup.Status.WAITLISTED).filter(
            models.Q(queued_at__lt=queued_at) | models.Q(queued_at=queued_at, pk__lt=pk)
        )

    def availability(self, capacity):
        """Confirmed and waitlisted counts, places left and whether it is full, in one
        query: of a focus group's signups (`for_focus_group`) and its capacity."""
        totals = self.aggregate(**status_counts())
        return availability(
            capacity, totals[Signup.Status.CONFIRMED], totals[Signup.Status.WAITLISTED]
        )

    def with_place_in_line(self):
        """Annotate `place_in_line`, the waitlist position (None when not waitlisted), in
        the same query: counted over the whole focus group whatever else filters this."""
        ahead = (
            Signup.objects.filter(event=models.OuterRef("event"))
            .ahead_of(models.OuterRef("queued_at"), models.OuterRef("pk"))
            .order_by()
            .values("event")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(
            place_in_line=models.Case(
                models.When(
                    status=Signup.Status.WAITLISTED,
                    then=Coalesce(models.Subquery(ahead), 0) + 1,
                ),
                output_field=models.IntegerField(),
            )
        )

    def status_totals(self):
        """How many in each status, in all, attended, and how many anonymised: one query."""
        return self.aggregate(
            **status_counts(),
            anonymised=models.Count("pk", filter=models.Q(anonymised_at__isnull=False)),
        )

    def status_totals_by_staff_group(self):
        """{staff group: {status: count, …, "total": count, "attended": count}} for the
        groups with signups."""
        rows = self.values("staff_group").annotate(**status_counts()).order_by()
        return {row["staff_group"]: row for row in rows}

    def due_for_purge(self, days, now=None):
        """Not yet anonymised, for events that ended more than `days` days ago."""
        cutoff = (now or timezone.now()) - timezone.timedelta(days=days)
        return self.named().filter(event__end__lt=cutoff)


class Signup(models.Model):
    """One person's place, or place in line, at one focus group."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        # The whole focus group called off (services.cancel_focus_group): kept for the reports.
        GROUP_CANCELLED = "group_cancelled", _("Cancelled by the organiser")

    event = models.ForeignKey(
        "culture_focus_groups.FocusGroupEventPage",
        verbose_name=_("focus group"),
        on_delete=models.PROTECT,
        related_name="signups",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("work email"), max_length=254)
    staff_group = models.CharField(_("staff group"), max_length=30, choices=StaffGroup.choices)
    job_role = models.CharField(_("job role"), max_length=200, blank=True)
    department = models.CharField(_("department or site"), max_length=200, blank=True)
    access_needs = models.TextField(_("access needs"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en-gb")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed-in user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    # When the person joined the line for a place: the waitlist is in this order.
    queued_at = models.DateTimeField(_("in line since"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # The register, kept once the focus group starts (services.record_attendance): who
    # came, and who last recorded it, when. Kept when anonymised, for the report.
    attended = models.BooleanField(
        _("attendance"),
        null=True,
        blank=True,
        choices=[
            (None, _("Not recorded")),
            (True, _("Attended")),
            (False, _("Did not attend")),
        ],
    )
    attendance_recorded_at = models.DateTimeField(_("attendance recorded"), null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendance recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Asked on the form: one email when the site's action plans are published
    # (services.announce_action_plans). Cleared by the purge with the rest.
    hear_about_plans = models.BooleanField(
        _("email me when the plans are published"), default=False
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = SignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("signup")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=models.Q(
                    status__in=["confirmed", "waitlisted"], anonymised_at__isnull=True
                ),
                name="one_active_signup_per_email_per_event",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"])]

    def __str__(self):
        return f"{self.full_name} – {self.event}"

    @property
    def is_active(self):
        return self.status in (self.Status.CONFIRMED, self.Status.WAITLISTED)

    @property
    def waitlist_position(self):
        """1 for the first person in line; None when not on the waitlist."""
        if self.status != self.Status.WAITLISTED or self.pk is None:
            return None
        listing = Signup.objects.filter(pk=self.pk).with_place_in_line()
        return listing.values_list("place_in_line", flat=True).first()


class OutboundEmail(models.Model):
    """Every email the signup workflow sends, and what became of it."""

    class Kind(models.TextChoices):
        CONTACT_SIGNUP = "contact_signup", _("Signup, to the contact")
        CONTACT_CANCELLATION = "contact_cancellation", _("Cancellation, to the contact")
        CONTACT_PROMOTED = "contact_promoted", _("Place from the waitlist, to the contact")
        CONFIRMED = "confirmed", _("Place confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        PROMOTED = "promoted", _("Promoted from the waitlist")
        MOVED = "moved", _("Moved to another focus group")
        CANCELLED = "cancelled", _("Cancellation, to the participant")
        REMINDER = "reminder", _("Reminder")
        CHANGED = "changed", _("Focus group changed")
        GROUP_CANCELLED = "group_cancelled", _("Focus group cancelled")
        CONTACT_CHANGED = "contact_changed", _("Focus group changed, to the contact")
        CONTACT_GROUP_CANCELLED = (
            "contact_group_cancelled",
            _("Focus group cancelled, to the contact"),
        )
        INVITATION = "invitation", _("Invitation")
        PLANS_PUBLISHED = "plans_published", _("Action plans published")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        DELIVERED = "delivered", _("Delivered")
        BOUNCED = "bounced", _("Bounced")

    # None for an email to the contact about the whole focus group (a change, a
    # cancellation), and for an invitation.
    signup = models.ForeignKey(
        Signup,
        verbose_name=_("signup"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="emails",
    )
    event = models.ForeignKey(
        "culture_focus_groups.FocusGroupEventPage",
        verbose_name=_("focus group"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # For the contact's emails: the focus group's places as they were when it was queued
    # (confirmed, waitlisted, left, full, capacity), not when it is sent.
    counts = models.JSONField(_("places at the time"), null=True, blank=True)
    # For a change: the facts before and after ({"old": {...}, "new": {...}}).
    changes = models.JSONField(_("what changed"), null=True, blank=True)
    # For an invitation (which has no signup yet).
    invitation = models.ForeignKey(
        "culture_focus_groups.Invitation",
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="emails",
    )
    # For "the action plans are published": the plans page, whose link it gives.
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # For a move: the focus group left, which the email takes out of the person's calendar.
    previous_event = models.ForeignKey(
        "culture_focus_groups.FocusGroupEventPage",
        verbose_name=_("previous focus group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    recipient = models.EmailField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=10, default="en-gb")
    # Set for emails that must go out once only (a reminder, say): a second
    # attempt to queue the same one is refused by the database.
    once_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    esp_message_id = models.CharField(_("ESP message id"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)

    class Meta:
        verbose_name = _("email")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return _("%(kind)s to %(recipient)s") % {
            "kind": self.get_kind_display(),
            "recipient": self.recipient,
        }
