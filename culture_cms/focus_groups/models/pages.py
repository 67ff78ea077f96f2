"""The focus groups' pages: the index of them and each focus group, which takes signups."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from culture_cms.programme.blocks import ProgrammeStreamBlock
from culture_cms.programme.models import CultureCMSPage

from ..panels import ChangeNoticePanel, SignupSummaryPanel
from .signups import Signup, availability, status_counts
from .state import FocusGroupState


class FocusGroupEventQuerySet(PageQuerySet):
    def upcoming(self):
        """Not started yet, soonest first."""
        return self.filter(start__gte=timezone.now()).order_by("start")

    def for_focus_group(self, event):
        """Every language's page of the focus group `event` is a page of."""
        return self.filter(translation_key=event.translation_key)

    def booking_page_of(self, event):
        """The page that holds the focus group's one booking for every language: the
        original, the first made (the others are translations of it), so it stays the
        same as translations come and go. None for a focus group not yet saved."""
        return self.for_focus_group(event).order_by("pk").first()

    def booking_pages(self):
        """One page per focus group: its booking page (booking_page_of)."""
        earlier = FocusGroupEventPage.objects.filter(
            translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk")
        )
        return self.exclude(Exists(earlier))

    def with_cancelled(self):
        """Each page with `cancelled`: whether the organiser has cancelled the focus group."""
        return self.annotate(cancelled=Exists(self._cancellations()))

    def not_cancelled(self):
        """Without the focus groups the organiser has cancelled."""
        return self.exclude(Exists(self._cancellations()))

    @staticmethod
    def _cancellations():
        # The state is the booking page's: match every language's page by translation key.
        return FocusGroupState.objects.filter(
            event__translation_key=OuterRef("translation_key"), cancelled_at__isnull=False
        )

    def with_signup_counts(self):
        """Each page with how many signups it holds in each status, and in all (`total`)."""
        return self.annotate(**status_counts(prefix="signups__"))

    def with_availability(self):
        """Each page with its signup counts (with_signup_counts) and `availability`, as
        Signup.objects.availability_of gives it, in the one query: for booking pages
        (booking_pages), which hold every language's signups."""
        return self.with_signup_counts()._with_availability()

    def _with_availability(self):
        clone = self._chain()
        clone._iterable_class = _WithAvailability
        return clone


class _WithAvailability(ModelIterable):
    """Pages with `availability` from the counts annotated on them."""

    def __iter__(self):
        for page in super().__iter__():
            page.availability = availability(page.capacity, page.confirmed, page.waitlisted)
            yield page


FocusGroupEventManager = PageManager.from_queryset(FocusGroupEventQuerySet)


class FocusGroupIndexPage(CultureCMSPage):
    """The list of culture focus groups: upcoming first, past ones separate."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    searchable = False  # a list of pages, not content of its own
    content_panels = CultureCMSPage.content_panels + [FieldPanel("intro")]
    search_fields = CultureCMSPage.search_fields + [index.SearchField("intro")]
    token_fields = ["title", "intro"]
    parent_page_types = ["culture_programme.ProgrammePage"]
    subpage_types = ["culture_focus_groups.FocusGroupEventPage"]
    template = "culture_cms/pages/focus_group_index_page.html"
    per_page = 10

    class Meta:
        verbose_name = _("focus group index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # One query for both lists: an index holds tens of focus groups, not thousands.
        now = timezone.now()
        events = list(
            FocusGroupEventPage.objects.child_of(self).live().with_cancelled().order_by("start")
        )
        upcoming = [event for event in events if event.start >= now]
        past = [event for event in reversed(events) if event.start < now]
        context["upcoming"] = Paginator(upcoming, self.per_page).get_page(request.GET.get("page"))
        context["past"] = Paginator(past, self.per_page).get_page(request.GET.get("past"))
        return context


class FocusGroupEventPage(RoutablePageMixin, CultureCMSPage):
    """One culture focus group: when, where, for whom, and who to contact.

    Its page takes signups; `signed-up/` shows the result and `calendar/` is
    its "Add to calendar" .ics file (culture_cms/focus_groups/views.py).
    """

    start = models.DateTimeField(_("starts"), help_text=_("UK time."))
    end = models.DateTimeField(_("ends"), help_text=_("UK time."))
    venue = models.TextField(
        _("venue"), blank=True, help_text=_("Room, building and site, for an in-person group.")
    )
    joining_link = models.URLField(_("online joining link"), blank=True)
    joining_details = models.TextField(
        _("online joining details"),
        blank=True,
        help_text=_("For example a meeting ID and passcode."),
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        default=12,
        help_text=_("How many people can take part."),
        validators=[MinValueValidator(1, _("A focus group needs at least 1 place."))],
    )
    signup_opens = models.DateTimeField(
        _("signup opens"),
        null=True,
        blank=True,
        help_text=_("Leave empty to open as soon as published."),
    )
    signup_closes = models.DateTimeField(
        _("signup closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to close when it starts."),
    )
    by_invitation = models.BooleanField(
        _("by invitation only"),
        default=False,
        help_text=_(
            "Only people you invite can sign up, each with a personal link (Invite people, "
            "on this page once saved). The page says so, and whom to ask for an invitation."
        ),
    )
    audience = models.CharField(
        _("who it is for"),
        max_length=255,
        blank=True,
        help_text=_("For example: all staff, or nursing staff on wards."),
    )
    facilitators = models.CharField(_("facilitators"), max_length=255, blank=True)
    contact = models.ForeignKey(
        "culture_organisation.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Emailed about every signup; the organisation's default contact if empty."),
    )
    description = StreamField(ProgrammeStreamBlock(), blank=True, verbose_name=_("description"))

    objects = FocusGroupEventManager()

    content_panels = CultureCMSPage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("venue"),
                FieldPanel("joining_link"),
                FieldPanel("joining_details"),
                ChangeNoticePanel(),
            ],
            heading=_("When and where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel([FieldPanel("signup_opens"), FieldPanel("signup_closes")]),
                FieldPanel("by_invitation"),
            ],
            heading=_("Signup"),
        ),
        SignupSummaryPanel(heading=_("Signups so far")),
        FieldPanel("audience"),
        FieldPanel("facilitators"),
        FieldPanel("contact"),
        FieldPanel("description"),
    ]
    search_fields = CultureCMSPage.search_fields + [
        index.SearchField("audience"),
        index.SearchField("description"),
        index.FilterField("start"),
    ]
    token_fields = ["title", "description"]
    # Every language's page is the same focus group, with one booking: these facts are
    # the original's in every language (services.share_facts_with_translations). The
    # text is translated. They are not offered in the translation editor either: a
    # change there would be overwritten by the original's.
    shared_facts = (
        "start",
        "end",
        "capacity",
        "signup_opens",
        "signup_closes",
        "contact",
        "joining_link",
        "by_invitation",
    )
    override_translatable_fields = [
        SynchronizedField(name, overridable=False) for name in shared_facts
    ]
    parent_page_types = ["culture_focus_groups.FocusGroupIndexPage"]
    subpage_types = []
    template = "culture_cms/pages/focus_group_event_page.html"

    class Meta:
        verbose_name = _("focus group")
        verbose_name_plural = _("focus groups")

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The end must be after the start.")
        if not (self.venue or self.joining_link):
            errors["venue"] = _("Give a venue, an online joining link, or both.")
        if self.signup_opens and self.signup_closes and self.signup_closes <= self.signup_opens:
            errors["signup_closes"] = _("Signup must close after it opens.")
        if self.signup_closes and self.start and self.signup_closes > self.start:
            errors["signup_closes"] = _("Signup must close before the focus group starts.")
        if error := self._too_few_places():
            errors["capacity"] = error
        if errors:
            raise ValidationError(errors)

    def _too_few_places(self):
        """Why the places cannot be fewer than this now: more people have a place."""
        if self.pk is None or not self.capacity:
            return None
        confirmed = Signup.objects.availability_of(self)["confirmed"]
        if self.capacity >= confirmed:
            return None
        return ngettext(
            "%(count)d person has a confirmed place, so there must be at least %(count)d "
            "place. To have fewer, cancel places or move people to another focus group "
            "first (Signups, in the menu).",
            "%(count)d people have a confirmed place, so there must be at least %(count)d "
            "places. To have fewer, cancel places or move people to another focus group "
            "first (Signups, in the menu).",
            confirmed,
        ) % {"count": confirmed}

    @property
    def is_past(self):
        return self.start < timezone.now()

    @cached_property
    def booking_event(self):
        """The page that holds the signups for this focus group in every language
        (FocusGroupEventQuerySet.booking_page_of): one capacity, one waitlist."""
        original = FocusGroupEventPage.objects.booking_page_of(self)
        return self if original is None or original.pk == self.pk else original

    @cached_property
    def state(self):
        """The focus group's FocusGroupState (on its booking page), or None while nobody
        has booked and nobody has cancelled it."""
        # Only the booking page has one: found by translation key, in one query.
        return FocusGroupState.objects.filter(event__translation_key=self.translation_key).first()

    @property
    def is_cancelled(self):
        return bool(self.state and self.state.is_cancelled)

    def is_same_focus_group(self, other):
        """Whether `other` is this focus group's page in some language (one booking)."""
        return other.translation_key == self.translation_key

    # The views import the services, which import these models: so imported late,
    # inside this app.

    @path("")
    def index_route(self, request):
        from .. import views

        return views.event_page(request, self)

    @path("signed-up/", name="signed_up")
    def signed_up_route(self, request):
        from .. import views

        return views.signed_up(request, self)

    @path("calendar/", name="calendar")
    def calendar_route(self, request):
        from .. import views

        return views.event_calendar(request, self)
