from django.apps import AppConfig


class BlocksConfig(AppConfig):
    name = "blocks"
    verbose_name = "Culture CMS: blocks"
