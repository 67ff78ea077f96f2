from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from culture_cms import public_urls as culture_cms_urls

# An intranet without i18n_patterns: the plugin must not need them.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("culture/", include(culture_cms_urls)),
    path("", include(wagtail_urls)),
]
