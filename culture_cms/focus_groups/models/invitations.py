from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """A personal invitation to a focus group "by invitation": its link (services.
    invitation_token) lets the person sign up, once, with the address it was sent to."""

    event = models.ForeignKey(
        "culture_focus_groups.FocusGroupEventPage",
        verbose_name=_("focus group"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("work email"), max_length=254)
    language = models.CharField(_("language"), max_length=10, default="en-gb")
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    signup = models.OneToOneField(
        "culture_focus_groups.Signup",
        verbose_name=_("signup"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
    )

    class Meta:
        verbose_name = _("invitation")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint("event", Lower("email"), name="one_invitation_per_email"),
        ]

    def __str__(self):
        return self.email
