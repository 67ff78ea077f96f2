"""The programme's snippets: definitions and the cultural elements."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField


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
