from django.urls import path

from samen.weten import views

app_name = "weten"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("cijfers.csv", views.FiguresCsvView.as_view(), name="figures_csv"),
    path("factsheet.pdf", views.FactsheetView.as_view(), name="factsheet"),
    path("metingen/", views.WaveListView.as_view(), name="waves"),
    path("metingen/controleren/", views.WaveConfirmView.as_view(), name="wave_confirm"),
    path("metingen/koppelbestand-sjabloon.yaml", views.MappingTemplateView.as_view(), name="mapping_template"),
    path("metingen/<int:pk>/koppelbestand.yaml", views.WaveMappingView.as_view(), name="wave_mapping"),
    path("doelen/", views.TargetListView.as_view(), name="targets"),
]
