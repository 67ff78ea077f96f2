"""The programme's content pages: its landing page, key messages and the glossary."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import get_page_models
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from ..blocks import ProgrammeStreamBlock
from .base import CultureCMSPage
from .snippets import Definition


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
    # Editors and readers look the page up by its tool ("Tool 4.3", "4.3"), which its
    # title leaves out: the heading holds both. The admin's page search autocompletes.
    search_fields = CultureCMSPage.search_fields + [
        index.SearchField("search_heading", boost=2),
        index.AutocompleteField("search_heading"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("tool_reference"),
    ]
    token_fields = ["title", "summary", "facilitator_note", "body"]
    # The same tool and contact in every language; the contact's role is translated.
    override_translatable_fields = [
        SynchronizedField("tool_reference", overridable=False),
        SynchronizedField("contact", overridable=False),
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

    def search_heading(self):
        """The heading in the page's own language, whichever language the index is
        updated in (an editor's admin language, or none in a worker)."""
        with translation.override(self.locale.language_code):
            return str(self.heading)


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
