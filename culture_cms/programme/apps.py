from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "culture_cms.programme"
    label = "culture_programme"
    verbose_name = "Culture CMS: programme"
    default_auto_field = "django.db.models.BigAutoField"
