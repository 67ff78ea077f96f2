from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlocksConfig(AppConfig):
    name = "blocks"
    # The plugin's own label: a host intranet may well have an app called "blocks".
    label = "culture_cms_blocks"
    verbose_name = _("Culture CMS: blocks")
