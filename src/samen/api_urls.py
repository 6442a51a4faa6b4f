"""The REST API, version 1. Schema at /api/v1/schema/, browsable docs at /api/v1/docs/.

The core's endpoints are named here; each building block's come from its registration
(``registry.api_contribution``: router routes and plain paths)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from samen.core import registry
from samen.core.api import tokens
from samen.core.api import views as core
from samen.core.api.permissions import PUBLIC

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("wijken", core.WijkViewSet, basename="wijk")
router.register("buurten", core.BuurtViewSet, basename="buurt")
router.register("organisations", core.OrganisationViewSet, basename="organisation")
router.register("residents", core.ResidentViewSet, basename="resident")
router.register("access-log", core.AccessLogViewSet, basename="accesslog")
block_paths = []
for contribution in registry.api:
    for prefix, viewset, basename in (contribution.routes() if contribution.routes else []):
        router.register(prefix, viewset, basename=basename)
    block_paths += contribution.paths() if contribution.paths else []


class SchemaView(SpectacularAPIView):
    capabilities = {"get": PUBLIC}


class SwaggerView(SpectacularSwaggerSplitView):
    capabilities = {"get": PUBLIC}
    url_name = "api:schema"


class RedocView(SpectacularRedocView):
    capabilities = {"get": PUBLIC}
    url_name = "api:schema"


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(), name="docs"),
    path("redoc/", RedocView.as_view(), name="redoc"),
    path("me/", core.MeView.as_view(), name="me"),
    path("auth/logout/", tokens.LogoutView.as_view(), name="auth-logout"),
    path("auth/logout-all/", tokens.LogoutAllView.as_view(), name="auth-logout-all"),
    path("auth/tokens/", tokens.TokenListView.as_view(), name="auth-token-list"),
    path("address-lookup/", core.AddressLookupView.as_view(), name="address-lookup"),
    *block_paths,
    *router.urls,
]
