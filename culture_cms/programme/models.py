from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page, PageManager, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from blocks.streams import ProgrammeStreamBlock
from culture_cms.conf import setting
from culture_cms.organisation.models import Contact, OrganisationSettings
from culture_cms.organisation.tokens import token_values, translation_errors
from culture_cms.signups.panels import SignupSummaryPanel

from .forms import ProgrammePageForm

FACILITATORS = "Facilitators"
COMMS_APPROVAL = "Comms approval"  # the workflow made by migration 0002


class Definition(TranslatableMixin, index.Indexed, models.Model):
    """A term from the programme, in plain English."""

    term = models.CharField(_("term"), max_length=255)
    definition = models.TextField(_("plain-English definition"))
    source = models.CharField(_("source"), max_length=255, blank=True)

    panels = [FieldPanel("term"), FieldPanel("definition"), FieldPanel("source")]
    search_fields = [index.SearchField("term"), index.SearchField("definition")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("definition")
        ordering = ["term"]

    def __str__(self):
        return self.term

    @property
    def anchor(self):
        return f"term-{self.translation_key}"


class CulturalElement(TranslatableMixin, models.Model):
    """One of the six elements that make up an organisation's culture."""

    class Colour(models.TextChoices):
        BLUE = "blue", _("Blue")
        GREEN = "green", _("Green")
        PURPLE = "purple", _("Purple")
        PINK = "pink", _("Pink")
        AQUA_GREEN = "aqua-green", _("Aqua green")
        DARK_PINK = "dark-pink", _("Dark pink")

    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"))
    icon = models.CharField(
        _("icon"),
        max_length=50,
        default="circle",
        help_text=_("The name of a Wagtail admin icon, shown in the admin."),
    )
    colour = models.CharField(
        _("colour"), max_length=20, choices=Colour.choices, default=Colour.BLUE
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    # Only the words are translated.
    override_translatable_fields = [SynchronizedField("icon")]

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("icon"), FieldPanel("colour"), FieldPanel("order")]),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("cultural element")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class CultureCMSPage(Page):
    """What every programme page shares: the host's base template, tokens, facilitator view.

    `token_fields` lists the fields whose tokens are filled on the page and
    checked before publishing.
    """

    token_fields = ["title"]
    base_form_class = ProgrammePageForm

    class Meta:
        abstract = True

    @property
    def page_contact(self):
        """The page's own contact, where it has one."""
        return getattr(self, "contact", None)

    @property
    def breadcrumbs(self):
        """The pages above this one, top first, as get_ancestors() but without the tree's root.

        Routing leaves each page's parent cached on it, so for a served page
        this costs no query (get_ancestors would make one).
        """
        pages, page = [], self
        while page.depth > 2:
            page = page.get_parent()
            pages.insert(0, page)
        return pages

    def route(self, request, path_components):
        """Find the page a path names in two queries, however deep it is.

        Wagtail's own routing fetches each page on the way down, then its
        specific version, one level at a time: two queries a level. Here the
        pages on the way are fetched together by url_path, with the found
        page's translations for the language switcher. Where any of them
        routes in its own way (a RoutablePage, say), or the path names no page,
        Wagtail's routing takes over.
        """
        if not path_components:
            return super().route(request, path_components)
        url_paths = [
            self.url_path + "/".join(path_components[: level + 1]) + "/"
            for level in range(len(path_components))
        ]
        on_path = Q(path__startswith=self.path, depth__gt=self.depth, url_path__in=url_paths)
        found = Page.objects.filter(on_path, url_path=url_paths[-1]).values("translation_key")
        fetched = list(
            Page.objects.filter(on_path | Q(translation_key__in=found))
            .select_related("locale")
            .order_by("depth")
        )
        pages = [
            page
            for page in fetched
            if page.url_path in url_paths and page.path.startswith(self.path)
        ]
        if [page.url_path for page in pages] != url_paths or not all(
            _routes_by_slug(page.specific_class) for page in pages[:-1]
        ):
            return super().route(request, path_components)
        parent = self
        for page in pages:
            # As Wagtail's routing does: breadcrumbs then need no query.
            page._cached_parent_obj = parent
            parent = page
        page = pages[-1].specific
        page.routed_translations = [
            translation
            for translation in fetched
            if translation.translation_key == page.translation_key and translation.live
        ]
        return page.route(request, [])

    def full_clean(self, *args, exclude=None, **kwargs):
        """Refuse to save a translation that holds placeholders or unknown tokens.

        wagtail-localize writes a translated page's row, the version readers see,
        every time it saves one, with a whole-object clean (no `exclude`). Its
        translation editor shows each error next to the string its key names.
        The page editor's own form (which passes `exclude`) checks only when
        going live: ProgrammePageForm.
        """
        super().full_clean(*args, exclude=exclude, **kwargs)
        if exclude is None and self.pk and self.is_wagtail_localize_translation():
            site = self.get_site()
            organisation = OrganisationSettings.for_site(site) if site else OrganisationSettings()
            errors = translation_errors(
                self, self.token_fields, token_values(organisation, self.page_contact)
            )
            if errors:
                raise ValidationError(errors)

    def is_wagtail_localize_translation(self):
        """Made from another language's version by wagtail-localize."""
        from wagtail_localize.models import TranslationSource

        return (
            TranslationSource.objects.filter(object_id=self.translation_key)
            .exclude(locale_id=self.locale_id)
            .exists()
        )

    def contacts(self, organisation):
        """The page's contact (its own, else the organisation's default) and the default
        contact, each in this page's language where translated: one query at most."""
        default = organisation.default_contact
        own_id = getattr(self, "contact_id", None)
        if own_id is None and (default is None or default.locale_id == self.locale_id):
            return default, default
        ids = [pk for pk in (own_id, getattr(default, "pk", None)) if pk]
        fetched = Contact.objects.filter(
            Q(pk=own_id)
            | Q(
                locale_id=self.locale_id,
                translation_key__in=Contact.objects.filter(pk__in=ids).values("translation_key"),
            )
        )
        in_language = {c.translation_key: c for c in fetched if c.locale_id == self.locale_id}
        if default is not None:
            default = in_language.get(default.translation_key, default)
        own = next((c for c in fetched if c.pk == own_id), None)
        if own is not None:
            own = in_language.get(own.translation_key, own)
        return own or default, default

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        organisation = OrganisationSettings.for_request(request)
        contact, default_contact = self.contacts(organisation)
        context.update(
            base_template=setting("CULTURE_CMS_BASE_TEMPLATE"),
            organisation=organisation,
            contact=contact,
            footer_contact=default_contact,
            token_values=token_values(organisation, contact),
            is_facilitator=is_facilitator(request.user),
        )
        return context


def _routes_by_slug(page_class):
    """Whether pages of this class pass the rest of a path on to the child it names."""
    return page_class is not None and page_class.route in (Page.route, CultureCMSPage.route)


def in_language(obj, language):
    """A page or snippet's live translation into this language, else the object itself."""
    try:
        locale = Locale.objects.get_for_language(language)
    except (Locale.DoesNotExist, LookupError):
        return obj
    if obj is None or obj.locale_id == locale.pk:
        return obj
    translation = obj.get_translation_or_none(locale)
    if translation is None or not getattr(translation, "live", True):
        return obj
    return translation


def is_facilitator(user):
    """Signed in and in the Facilitators group: sees facilitator notes."""
    return user.is_authenticated and user.groups.filter(name=FACILITATORS).exists()


class ProgrammePage(CultureCMSPage):
    """The programme's landing page, placed anywhere in a host intranet's tree."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(ProgrammeStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = CultureCMSPage.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = CultureCMSPage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    token_fields = ["title", "intro", "body"]
    subpage_types = [
        "culture_programme.KeyMessagesPage",
        "culture_programme.GlossaryPage",
        "culture_programme.FocusGroupIndexPage",
    ]
    template = "culture_cms/pages/programme_page.html"

    class Meta:
        verbose_name = _("programme page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Sections with a view restriction of their own are left out. Restrictions
        # above this page the reader has already passed to see it, and an intranet
        # often restricts its whole tree, which .public() would read as "hide all".
        # Two queries: key messages pages (with their tool numbers and summaries),
        # and the rest as plain pages (title and search description are enough).
        children = self.get_children().live().filter(view_restrictions__isnull=True)
        sections = [
            *KeyMessagesPage.objects.filter(pk__in=children.values("pk")),
            *children.not_type(KeyMessagesPage),
        ]
        context["sections"] = sorted(sections, key=lambda section: section.path)
        return context


class KeyMessagesPage(CultureCMSPage):
    """A set of key messages from one of the programme's tools, adapted by the trust."""

    tool_reference = models.CharField(
        _("tool reference"),
        max_length=20,
        blank=True,
        help_text=_('The number of the programme tool, for example "4.3".'),
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences for listings and search.")
    )
    facilitator_note = RichTextField(
        _("facilitator note"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown only to signed-in members of the Facilitators group."),
    )
    contact = models.ForeignKey(
        "culture_organisation.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Fills {contact_name} and {contact_details}; "
            "the organisation's default contact if empty."
        ),
    )
    body = StreamField(ProgrammeStreamBlock(), verbose_name=_("key messages"))
    source = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("Where the material comes from.")
    )

    content_panels = CultureCMSPage.content_panels + [
        FieldRowPanel([FieldPanel("tool_reference"), FieldPanel("contact")]),
        FieldPanel("summary"),
        FieldPanel("facilitator_note"),
        FieldPanel("body"),
        FieldPanel("source"),
    ]
    search_fields = CultureCMSPage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("tool_reference"),
    ]
    token_fields = ["title", "summary", "facilitator_note", "body"]
    # The same tool and contact in every language; the contact's role is translated.
    override_translatable_fields = [
        SynchronizedField("tool_reference"),
        SynchronizedField("contact"),
    ]
    parent_page_types = ["culture_programme.ProgrammePage"]
    subpage_types = []
    template = "culture_cms/pages/key_messages_page.html"

    class Meta:
        verbose_name = _("key messages page")

    @property
    def heading(self):
        if self.tool_reference:
            return _("Tool %(reference)s: %(title)s") % {
                "reference": self.tool_reference,
                "title": self.title,
            }
        return self.title


class GlossaryPage(CultureCMSPage):
    """Every definition, A to Z, with an anchor for each term."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = CultureCMSPage.content_panels + [FieldPanel("intro")]
    search_fields = CultureCMSPage.search_fields + [index.SearchField("intro")]
    token_fields = ["title", "intro"]
    parent_page_types = ["culture_programme.ProgrammePage"]
    subpage_types = []
    template = "culture_cms/pages/glossary_page.html"

    class Meta:
        verbose_name = _("glossary page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        definitions = Definition.objects.filter(locale_id=self.locale_id).order_by("term")
        letters = {}
        for definition in definitions:
            letters.setdefault(definition.term[:1].upper(), []).append(definition)
        context["letters"] = letters
        return context


class FocusGroupEventQuerySet(PageQuerySet):
    def upcoming(self):
        """Not started yet, soonest first."""
        return self.filter(start__gte=timezone.now()).order_by("start")

    def past(self):
        """Already started, most recent first."""
        return self.filter(start__lt=timezone.now()).order_by("-start")

    def originals(self):
        """One page per focus group: the original, which holds the signups of every
        language (FocusGroupEventPage.booking_event)."""
        earlier = FocusGroupEventPage.objects.filter(
            translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk")
        )
        return self.exclude(Exists(earlier))


FocusGroupEventManager = PageManager.from_queryset(FocusGroupEventQuerySet)


class FocusGroupIndexPage(CultureCMSPage):
    """The list of culture focus groups: upcoming first, past ones separate."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = CultureCMSPage.content_panels + [FieldPanel("intro")]
    search_fields = CultureCMSPage.search_fields + [index.SearchField("intro")]
    token_fields = ["title", "intro"]
    parent_page_types = ["culture_programme.ProgrammePage"]
    subpage_types = ["culture_programme.FocusGroupEventPage"]
    template = "culture_cms/pages/focus_group_index_page.html"
    per_page = 10

    class Meta:
        verbose_name = _("focus group index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # One query for both lists: an index holds tens of focus groups, not thousands.
        now = timezone.now()
        events = list(FocusGroupEventPage.objects.child_of(self).live().order_by("start"))
        upcoming = [event for event in events if event.start >= now]
        past = [event for event in reversed(events) if event.start < now]
        context["upcoming"] = Paginator(upcoming, self.per_page).get_page(request.GET.get("page"))
        context["past"] = Paginator(past, self.per_page).get_page(request.GET.get("past"))
        return context


class FocusGroupEventPage(RoutablePageMixin, CultureCMSPage):
    """One culture focus group: when, where, for whom, and who to contact.

    Its page takes signups; `signed-up/` shows the result and `calendar/` is
    its "Add to calendar" .ics file (culture_cms/signups/views.py).
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
        _("places"), default=12, help_text=_("How many people can take part.")
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
            ],
            heading=_("When and where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel([FieldPanel("signup_opens"), FieldPanel("signup_closes")]),
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
    # text is translated.
    shared_facts = (
        "start",
        "end",
        "capacity",
        "signup_opens",
        "signup_closes",
        "contact",
        "joining_link",
    )
    override_translatable_fields = [SynchronizedField(name) for name in shared_facts]
    parent_page_types = ["culture_programme.FocusGroupIndexPage"]
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
        if errors:
            raise ValidationError(errors)

    @property
    def is_past(self):
        return self.start < timezone.now()

    @cached_property
    def booking_event(self):
        """The page that holds the signups for this focus group in every language.

        All language versions of a focus group share one booking: one capacity,
        one waitlist. It is the original page, the first made (the others are
        translations of it), so it stays the same as translations come and go.
        """
        original = (
            FocusGroupEventPage.objects.filter(translation_key=self.translation_key)
            .order_by("pk")
            .first()
        )
        return self if original is None or original.pk == self.pk else original

    # The signup views import the services, which import this module: so imported late.

    @path("")
    def index_route(self, request):
        from culture_cms.signups import views

        return views.event_page(request, self)

    @path("signed-up/", name="signed_up")
    def signed_up_route(self, request):
        from culture_cms.signups import views

        return views.signed_up(request, self)

    @path("calendar/", name="calendar")
    def calendar_route(self, request):
        from culture_cms.signups import views

        return views.event_calendar(request, self)
