from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "culture_cms.organisation"
    label = "culture_organisation"
    verbose_name = _("Culture CMS: organisation")
    default_auto_field = "django.db.models.BigAutoField"
