from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocusGroupsConfig(AppConfig):
    name = "culture_cms.focus_groups"
    label = "culture_focus_groups"
    verbose_name = _("Culture CMS: focus groups")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from . import checks, receivers  # noqa: F401  (system checks; anymail's webhook)
        from .models import Signup
        from .permissions import SignupPermissionPolicy

        # Before the admin's viewsets ask for it (permissions.py says who sees what).
        register_permission_policy(Signup, SignupPermissionPolicy(Signup), exact_class=True)
