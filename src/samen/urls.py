"""The project's URLs: every app's, as each registered them (``registry.url_include``), in their order."""

from django.urls import include, path

from samen.core import registry
from samen.core.views.pages import healthz

urlpatterns = [
    *(path(entry.prefix, include(entry.module)) for entry in registry.by_order(registry.urls)),
    path("api/v1/", include("samen.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
]

handler400 = "samen.core.views.errors.bad_request"
handler403 = "samen.core.views.errors.permission_denied"
handler404 = "samen.core.views.errors.not_found"
handler500 = "samen.core.views.errors.server_error"
