"""What kwaliteit brings to Samen (registered from ``KwaliteitConfig.ready()``): the catalogue's
capabilities and model rules, menu group, URLs, API (the catalogue search and Open Referral HSDS),
demo catalogue and permission-matrix samples."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samen.core import policy, registry
from samen.core.roles import Role as R

# The catalogue is public once approved; these are the staff's views and edits of it.
for name, roles in (
    ("catalogue.view", (R.BELEIDSADVISEUR, R.REGISSEUR, R.SOCIAAL_WERKER, R.AANBIEDER)),
    ("catalogue.edit", (R.REGISSEUR, R.AANBIEDER)),
    ("catalogue.review", (R.REGISSEUR,)),
    ("catalogue.import", (R.REGISSEUR,)),
    # Keeps the entries of its own organisation only (and is reminded of them).
    ("catalogue.provider", (R.AANBIEDER,)),
    ("intervention.change", (R.BELEIDSADVISEUR, R.REGISSEUR)),
    ("themeweek.change", (R.BELEIDSADVISEUR, R.REGISSEUR)),
):
    registry.capability(name, roles, app="kwaliteit")


def _own_organisation(path: str):
    """A provider sees (drafts, versions, reviews of) its own organisation's activities; staff see all."""

    def scope(user, queryset):
        if policy.can(user, "catalogue.provider"):
            return queryset.filter(**{path: user.organisation_id}) if user.organisation_id else queryset.none()
        return queryset

    return scope


registry.model("kwaliteit.activity", "catalogue.view", _own_organisation("organisation"))
registry.model("kwaliteit.activityversion", "catalogue.view", _own_organisation("activity__organisation"))
for label in ("kwaliteit.location", "kwaliteit.intervention", "kwaliteit.themeweek"):
    registry.model(label, "catalogue.view")

registry.menu_group("kwaliteit", _("Kwaliteit bieden"), order=40)
for url_name, label, capability in (
    ("kwaliteit:activity_list", _("Activiteiten"), "catalogue.view"),
    ("kwaliteit:review_queue", _("Beoordelen"), "catalogue.review"),
    ("kwaliteit:intervention_list", _("Interventies"), "catalogue.view"),
    ("kwaliteit:themeweek_list", _("Themaweken"), "themeweek.change"),
    ("kwaliteit:import", _("Activiteiten inlezen"), "catalogue.import"),
):
    registry.menu_entry("kwaliteit", url_name, label, capability)

registry.url_include("kwaliteit", "catalogus/", "samen.kwaliteit.urls", order=50)


def _api_routes():
    from samen.kwaliteit.api import ActivityViewSet

    return [("activities", ActivityViewSet, "activity")]  # the public catalogue search


def _api_paths():
    from django.urls import path

    from samen.kwaliteit import api_hsds as hsds

    # Open Referral HSDS 3.0: paths as the HSDS API specification names them.
    return [
        path("hsds/", hsds.HsdsIndexView.as_view(), name="hsds-index"),
        path("hsds/services", hsds.ServiceListView.as_view(), name="hsds-service-list"),
        path("hsds/services/<str:pk>", hsds.ServiceDetailView.as_view(), name="hsds-activity-detail"),
        path("hsds/organizations", hsds.OrganizationListView.as_view(), name="hsds-organization-list"),
        path("hsds/organizations/<str:pk>", hsds.OrganizationDetailView.as_view(), name="hsds-organisation-detail"),
        path("hsds/locations", hsds.LocationListView.as_view(), name="hsds-location-list"),
        path("hsds/taxonomies", hsds.TaxonomyListView.as_view(), name="hsds-taxonomy-list"),
        path("hsds/taxonomy_terms", hsds.TaxonomyTermListView.as_view(), name="hsds-taxonomy-term-list"),
    ]


registry.api_contribution("kwaliteit", routes=_api_routes, paths=_api_paths)


def _load_catalogue(gemeente):
    from samen.kwaliteit.services.demo import load_catalogue_demo

    load_catalogue_demo(gemeente)
    return None


registry.demo_loader("kwaliteit.catalogue", _load_catalogue, after=("samenwerken",))


def _model(name):
    from django.apps import apps

    return apps.get_model("kwaliteit", name)


def _an_activity(gemeente):
    """A published demo activity of Heikracht, the demo provider's organisation (the meal in Zuid)."""
    return _model("Activity").objects.filter(gemeente=gemeente, organisation__name="Heikracht",
                                             status="published").order_by("pk").first()


# "version" first: a URL name such as activity_version names a version.
registry.matrix_sample("version", lambda g: _an_activity(g).versions.order_by("-number").first().pk)
registry.matrix_sample("activity", lambda g: _an_activity(g).pk)
registry.matrix_sample("intervention", lambda g: _model("Intervention").objects.filter(gemeente=g).first().pk)
registry.matrix_sample("themeweek", lambda g: _model("ThemeWeek").objects.filter(gemeente=g).first().pk)


def _home(name):
    """A function of ``kwaliteit.home``, imported when the home page is drawn (not at start-up)."""

    def call(user):
        from samen.kwaliteit import home

        return getattr(home, name)(user)

    return call


registry.home_panel("kwaliteit.review", "kwaliteit/panels/review.html", _home("review_panel"), "catalogue.review",
                    order=15)
registry.home_panel("kwaliteit.provider", "kwaliteit/panels/provider.html", _home("provider_panel"),
                    "catalogue.provider", order=10)
registry.today_items("kwaliteit.review", _home("review_today"), "catalogue.review", order=20)
registry.today_items("kwaliteit.provider", _home("provider_today"), "catalogue.provider", order=20)
