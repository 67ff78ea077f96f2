from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from blocks.content import UpcomingFocusGroupsBlock
from culture_cms.organisation.models import Phase
from culture_cms.programme.blocks import ProgrammeStreamBlock
from culture_cms.programme.models import CultureCMSPage, KeyMessagesPage


class HomePage(CultureCMSPage):
    """The standalone site's landing page: the programme at a glance."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    featured_key_messages = StreamField(
        [
            (
                "page",
                blocks.PageChooserBlock(
                    page_type="culture_programme.KeyMessagesPage", label=_("Key messages page")
                ),
            )
        ],
        blank=True,
        verbose_name=_("featured key messages"),
    )
    body = StreamField(ProgrammeStreamBlock(), blank=True, verbose_name=_("body"))

    searchable = False  # a list of pages, not content of its own
    content_panels = CultureCMSPage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("featured_key_messages"),
        FieldPanel("body"),
    ]
    search_fields = CultureCMSPage.search_fields + [index.SearchField("intro")]
    token_fields = ["title", "intro", "body"]
    parent_page_types = ["wagtailcore.Page"]  # the root: a site of its own
    subpage_types = ["culture_programme.ProgrammePage"]
    template = "home/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["phases"] = Phase
        context["featured_key_messages"] = self.featured_in_page_language()
        # The same automatic list as the block editors can add, with its default heading.
        upcoming = UpcomingFocusGroupsBlock()
        context["upcoming_focus_groups"] = upcoming.bind(upcoming.get_default())
        return context

    def featured_in_page_language(self):
        """The featured key messages pages that are live, each in this page's language where
        it has a live translation: one query, for the chosen pages and their translations."""
        chosen_ids = [block["value"] for block in self.featured_key_messages.raw_data]
        keys = Page.objects.filter(pk__in=chosen_ids).values("translation_key")
        candidates = list(KeyMessagesPage.objects.live().filter(translation_key__in=keys))
        key_of = {page.pk: page.translation_key for page in candidates}
        in_language = {
            page.translation_key: page for page in candidates if page.locale_id == self.locale_id
        }
        originals = {page.pk: page for page in candidates}
        return [
            in_language.get(key_of[pk]) or originals[pk] for pk in chosen_ids if pk in originals
        ]
