from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocusGroupsConfig(AppConfig):
    name = "culture_cms.focus_groups"
    label = "culture_focus_groups"
    verbose_name = _("Culture CMS: focus groups")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, receivers  # noqa: F401  (system checks; anymail's webhook)
