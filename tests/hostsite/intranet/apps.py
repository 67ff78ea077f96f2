from django.apps import AppConfig


class IntranetConfig(AppConfig):
    name = "tests.hostsite.intranet"
    label = "intranet"
    default_auto_field = "django.db.models.BigAutoField"
