from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class IntranetHomePage(Page):
    """The host intranet's own home page: nothing to do with the plugin."""

    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    template = "intranet/intranet_home_page.html"


class IntranetSectionPage(Page):
    """A plain section of the intranet, such as "Our organisation"."""

    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    template = "intranet/intranet_home_page.html"
