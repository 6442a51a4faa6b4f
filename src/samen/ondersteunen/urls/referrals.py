"""URLs of the referral part (namespace ``verwijzingen``, under ``ondersteunen/``)."""

from __future__ import annotations

from django.urls import path

from samen.ondersteunen.views import referrals as views

app_name = "verwijzingen"

urlpatterns = [
    path("verwijzingen/", views.ReferralListView.as_view(), name="verwijzingen"),
    path("trajecten/<int:pk>/doorverwijzen/", views.ReferralCreateView.as_view(), name="doorverwijzen"),
    path("trajecten/<int:pk>/nazorg/", views.AftercareView.as_view(), name="nazorg"),
    path("verwijzingen/<int:pk>/", views.ReferralDetailView.as_view(), name="verwijzing_detail"),
    path("verwijzingen/<int:pk>/maatje/", views.MaatjeAskView.as_view(), name="verwijzing_maatje"),
    path("nazorgmomenten/<int:pk>/", views.CheckInView.as_view(), name="nazorgmoment"),
    path("nazorgmomenten/<int:pk>/poging/", views.CheckInAttemptView.as_view(), name="nazorgmoment_poging"),
    path("maatje/bezoeken/", views.MaatjeVisitListView.as_view(), name="maatjesbezoeken"),
    path("maatje/bezoeken/<int:pk>/", views.MaatjeVisitView.as_view(), name="maatjesbezoek"),
    path("maatje/profiel/", views.MaatjeProfileView.as_view(), name="mijn_maatjeprofiel"),
    path("maatjes/", views.MaatjeListView.as_view(), name="maatjes"),
    path("maatjes/<int:pk>/profiel/", views.MaatjeProfileManageView.as_view(), name="maatjeprofiel_beheer"),
]
