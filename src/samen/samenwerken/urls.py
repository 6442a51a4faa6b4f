from django.urls import path

from samen.samenwerken import views

app_name = "samenwerken"

urlpatterns = [
    path("", views.NetworkListView.as_view(), name="network_list"),
    path("<int:pk>/", views.NetworkDetailView.as_view(), name="network_detail"),
    path("bijeenkomsten/", views.MeetingListView.as_view(), name="meeting_list"),
    path("bijeenkomsten/<int:pk>/", views.MeetingDetailView.as_view(), name="sw_meeting_detail"),
    path("actiepunten/<int:pk>/klaar/", views.ActionPointDoneView.as_view(), name="sw_point_done"),
    path("agenda/", views.AgendaView.as_view(), name="agenda"),
    path("agenda/acties/nieuw/", views.ActionFormView.as_view(), name="action_new"),
    path("agenda/acties/<int:pk>/", views.ActionDetailView.as_view(), name="sw_action_detail"),
    path("agenda/acties/<int:pk>/wijzigen/", views.ActionFormView.as_view(), name="sw_action_edit"),
    path("budget/", views.BudgetView.as_view(), name="budget"),
    path("budget/budget.xlsx", views.BudgetExportView.as_view(), name="budget_export"),
    path("budget/regels/<int:pk>/boeken/", views.BookingView.as_view(), name="sw_line_book"),
    path("campagne/", views.CampaignView.as_view(), name="campaign"),
    path("zelfevaluatie/", views.AssessmentView.as_view(), name="assessment"),
    path("rapportage/", views.ReportView.as_view(), name="report"),
    path("rapportage/voorbeeld.pdf", views.ReportPdfView.as_view(), name="report_pdf"),
    path("rapportage/versies/<int:pk>.pdf", views.FrozenPdfView.as_view(), name="sw_frozen_pdf"),
]
