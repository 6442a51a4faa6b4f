from django.urls import include, path

from samen.core.views.pages import healthz

urlpatterns = [
    path("", include("samen.informeren.urls")),
    path("", include("samen.core.urls")),
    path("zorgnetwerken/", include("samen.samenwerken.urls")),
    path("monitor/", include("samen.weten.urls")),
    path("", include("samen.vinden.urls")),
    path("huisbezoeken/", include("samen.vinden.visit_urls")),
    path("catalogus/", include("samen.kwaliteit.urls")),
    path("api/v1/", include("samen.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
]

handler400 = "samen.core.views.errors.bad_request"
handler403 = "samen.core.views.errors.permission_denied"
handler404 = "samen.core.views.errors.not_found"
handler500 = "samen.core.views.errors.server_error"
