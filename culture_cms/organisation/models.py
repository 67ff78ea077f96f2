from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from .tokens.values import DEFAULT_PROGRAMME_NAME


class Contact(TranslatableMixin, index.Indexed, models.Model):
    """A named person staff can ask about the programme or a focus group."""

    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(_("role"), max_length=255, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The person's own account, if they have one: in the admin they then see the "
            "signups, register and export of the focus groups they are the contact for, and "
            "nothing else. Put the account in the Focus group contacts group to let it sign in."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("user"),
    ]
    # One person in every language: only the role is translated. The rest is not offered
    # in the translation editor, where a change would be overwritten by the original's.
    override_translatable_fields = [
        SynchronizedField(name, overridable=False) for name in ("name", "email", "phone", "user")
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("role"),
        index.SearchField("email"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("contact")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name

    @property
    def details(self):
        """How to reach this contact, in words: "email or phone"."""
        if not self.phone:
            return self.email
        return _("%(email)s or %(phone)s") % {"email": self.email, "phone": self.phone}


class Phase(models.TextChoices):
    SCOPING = "scoping", _("Scoping")
    DISCOVERY = "discovery", _("Discovery")
    DESIGN = "design", _("Design")
    DELIVERY = "delivery", _("Delivery")


@register_setting(icon="site")
class OrganisationSettings(BaseSiteSetting):
    """What each trust fills in once; tokens such as {organisation} read it."""

    organisation_name = models.CharField(
        _("organisation name"),
        max_length=255,
        blank=True,
        help_text=_("For example: Anytown Hospitals NHS Foundation Trust. Fills {organisation}."),
    )
    programme_name = models.CharField(
        _("programme name"),
        max_length=255,
        default=DEFAULT_PROGRAMME_NAME,
        help_text=_("Fills {programme}."),
    )
    current_phase = models.CharField(
        _("current phase"),
        max_length=20,
        choices=Phase.choices,
        default=Phase.DISCOVERY,
        help_text=_("Fills {phase}."),
    )
    plans_date = models.DateField(
        _("publish plans by"),
        null=True,
        blank=True,
        help_text=_("When the action plans will be published. Fills {plans_date}."),
    )
    action_plans_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("action plans page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The page where the action plans are published. When it is published (or chosen "
            "here once live), everyone who asked on a signup form is emailed its link, once."
        ),
    )
    default_contact = models.ForeignKey(
        Contact,
        verbose_name=_("default contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Named in the footer and used where a page or event has no contact of its own. "
            "Fills {contact_name} and {contact_details}."
        ),
    )
    privacy_notice_url = models.URLField(_("privacy notice link"), blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("programme_name"),
                FieldPanel("current_phase"),
                FieldPanel("plans_date"),
                FieldPanel("action_plans_page"),
            ],
            heading=_("Programme"),
        ),
        FieldPanel("default_contact"),
        FieldPanel("privacy_notice_url"),
    ]

    select_related = ["default_contact", "action_plans_page"]

    class Meta:
        verbose_name = _("organisation settings")
