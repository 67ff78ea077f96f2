from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "culture_cms.organisation"
    label = "culture_organisation"
    verbose_name = "Culture CMS: organisation"
    default_auto_field = "django.db.models.BigAutoField"
