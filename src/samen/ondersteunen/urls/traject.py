"""URLs of the trajectory screens (part traject), namespace ``ondersteunen``, under ``/ondersteunen/``."""

from __future__ import annotations

from django.urls import path

from samen.ondersteunen.views import traject as views

app_name = "ondersteunen"

urlpatterns = [
    path("mijn-inwoners/", views.MyResidentsView.as_view(), name="my_residents"),
    path("overzicht/", views.OversightView.as_view(), name="oversight"),
    path("trajecten/", views.TrajectoryListView.as_view(), name="trajectory_list"),
    path("trajecten/<int:pk>/", views.TrajectoryDetailView.as_view(), name="trajectory_detail"),
    path("trajecten/<int:pk>/stap/", views.TrajectoryStepView.as_view(), name="trajectory_step"),
    path("trajecten/<int:pk>/overdragen/", views.TrajectoryReassignView.as_view(), name="trajectory_reassign"),
    path("trajecten/<int:pk>/contactpoging/", views.TrajectoryAttemptView.as_view(), name="trajectory_attempt"),
    path("trajecten/<int:pk>/notitie/", views.TrajectoryNoteView.as_view(), name="trajectory_note"),
    path("trajecten/<int:pk>/toestemming/", views.TrajectoryConsentView.as_view(), name="trajectory_consent"),
    path("trajecten/<int:pk>/profiel/", views.TrajectoryProfileView.as_view(), name="trajectory_profile"),
    path("trajecten/<int:pk>/meting/", views.TrajectoryMeasurementView.as_view(), name="trajectory_measurement"),
    path("inwoners/<int:pk>/traject-starten/", views.ResidentStartView.as_view(), name="resident_start"),
    path("instellingen/", views.SettingsView.as_view(), name="settings"),
]
