from django.urls import path

from samen.weten import views

app_name = "weten"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("cijfers.csv", views.FiguresCsvView.as_view(), name="figures_csv"),
    path("factsheet.pdf", views.FactsheetView.as_view(), name="factsheet"),
    path("metingen/", views.WaveListView.as_view(), name="waves"),
    path("doelen/", views.TargetListView.as_view(), name="targets"),
]
