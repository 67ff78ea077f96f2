from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from culture_cms import health, public_urls

# A 503 page while the database cannot be reached; the 500 page otherwise.
handler500 = health.server_error

urlpatterns = [
    # The load balancer's check: database and cache (no personal data).
    path("healthz/", health.healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The ESP's delivery and bounce reports (anymail's tracking webhooks).
    path("anymail/", include("anymail.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# English at the root, Welsh under /cy/.
urlpatterns += i18n_patterns(
    path("", include(public_urls)),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
