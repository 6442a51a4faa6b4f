"""The 75+ home visits, included at /huisbezoeken/ under the namespace "visits"."""

from django.urls import path

from samen.vinden.visits import views

app_name = "visits"

urlpatterns = [
    path("", views.VisitListView.as_view(), name="visit_list"),
    path("<int:pk>/melden/", views.VisitReportView.as_view(), name="visit_report"),
    path("register/", views.RegisterImportView.as_view(), name="register_import"),
    path("register/overzicht/", views.RegisterConfirmView.as_view(), name="register_confirm"),
    path("rondes/", views.RoundListView.as_view(), name="round_list"),
    path("rondes/nieuw/", views.RoundCreateView.as_view(), name="round_create"),
    path("rondes/<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("rondes/<int:pk>/toewijzen/", views.RoundAssignView.as_view(), name="round_assign"),
    path("rondes/<int:pk>/capaciteit/", views.RoundCapacityView.as_view(), name="round_capacity"),
    path("rondes/<int:pk>/brieven.csv", views.RoundLettersCsvView.as_view(), name="round_letters_csv"),
    path("rondes/<int:pk>/brieven.pdf", views.RoundLettersPdfView.as_view(), name="round_letters_pdf"),
    path("dekking/", views.CoverageView.as_view(), name="coverage"),
]
