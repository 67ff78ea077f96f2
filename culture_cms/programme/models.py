from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin, get_page_models
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from culture_cms.organisation.models import Contact, OrganisationSettings
from culture_cms.organisation.tokens.translation_checks import translation_errors
from culture_cms.organisation.tokens.values import token_values

from .blocks import ProgrammeStreamBlock
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
    """What every programme page shares: tokens, contacts, facilitator view.

    `token_fields` lists the fields whose tokens are filled on the page and
    checked before publishing.
    """

    token_fields = ["title"]
    base_form_class = ProgrammePageForm
    # Found by the programme's search (views.search); lists of pages are not.
    searchable = True

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
        # Kept on a measurement (2026-12, Tool 4.3 page, SQLite, test client, 300 warm
        # anonymous requests each way, interleaved): 9 queries instead of 12, median
        # 10.0 ms instead of 11.3 ms (p90 12.8 against 14.4), some 12 % of the page;
        # routing plus the switcher's translations alone 2.2 ms against 3.4 ms. Each
        # level deeper adds two more queries to Wagtail's routing, none to this.
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
    template = "culture_cms/pages/programme_page.html"

    class Meta:
        verbose_name = _("programme page")

    @classmethod
    def clean_subpage_models(cls):
        """Its sections: the page types that name it in their parent_page_types. So the
        focus-groups app's index (or a host's own section) needs no entry here."""
        if cls._clean_subpage_models is None:
            cls._clean_subpage_models = [
                model
                for model in get_page_models()
                if getattr(model, "parent_page_types", None) is not None
                and cls in model.clean_parent_page_models()
            ]
        return cls._clean_subpage_models

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
