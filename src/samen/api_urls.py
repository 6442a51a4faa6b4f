"""The REST API, version 1. Schema at /api/v1/schema/, browsable docs at /api/v1/docs/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from samen.core.api import tokens
from samen.core.api import views as core
from samen.core.api.permissions import PUBLIC
from samen.kwaliteit import api_hsds as hsds
from samen.kwaliteit.api import ActivityViewSet
from samen.samenwerken.api import ZorgnetwerkViewSet
from samen.vinden.api import SignalViewSet
from samen.weten.api import FiguresView, WaveViewSet

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("wijken", core.WijkViewSet, basename="wijk")
router.register("buurten", core.BuurtViewSet, basename="buurt")
router.register("organisations", core.OrganisationViewSet, basename="organisation")
router.register("zorgnetwerken", ZorgnetwerkViewSet, basename="zorgnetwerk")
router.register("residents", core.ResidentViewSet, basename="resident")
router.register("access-log", core.AccessLogViewSet, basename="accesslog")
router.register("monitor/waves", WaveViewSet, basename="wave")
router.register("signals", SignalViewSet, basename="signal")
router.register("activities", ActivityViewSet, basename="activity")  # the public catalogue search


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
    path("monitor/figures/", FiguresView.as_view(), name="monitor-figures"),
    # Open Referral HSDS 3.0 (kwaliteit.api_hsds): paths as the HSDS API specification names them.
    path("hsds/", hsds.HsdsIndexView.as_view(), name="hsds-index"),
    path("hsds/services", hsds.ServiceListView.as_view(), name="hsds-service-list"),
    path("hsds/services/<str:pk>", hsds.ServiceDetailView.as_view(), name="hsds-activity-detail"),
    path("hsds/organizations", hsds.OrganizationListView.as_view(), name="hsds-organization-list"),
    path("hsds/organizations/<str:pk>", hsds.OrganizationDetailView.as_view(), name="hsds-organisation-detail"),
    path("hsds/locations", hsds.LocationListView.as_view(), name="hsds-location-list"),
    path("hsds/taxonomies", hsds.TaxonomyListView.as_view(), name="hsds-taxonomy-list"),
    path("hsds/taxonomy_terms", hsds.TaxonomyTermListView.as_view(), name="hsds-taxonomy-term-list"),
    *router.urls,
]
