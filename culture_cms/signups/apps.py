from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignupsConfig(AppConfig):
    name = "culture_cms.signups"
    label = "culture_signups"
    verbose_name = _("Culture CMS: focus group signups")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, receivers  # noqa: F401  (system checks; anymail's webhook)
