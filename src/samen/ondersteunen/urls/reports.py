"""URLs of the reports part (namespace ``ondersteunen_rapportage``, prefix ``ondersteunen/``)."""

from __future__ import annotations

from django.urls import path

from samen.ondersteunen.views import reports as views

app_name = "ondersteunen_rapportage"

urlpatterns = [
    path("casusoverleg/", views.CaseIndexView.as_view(), name="casus_index"),
    path("casusoverleg/netwerk/<int:pk>/", views.CaseAgendaView.as_view(), name="casus_network_agenda"),
    path("casusoverleg/netwerk/<int:pk>/inbrengen/", views.CaseAddView.as_view(), name="casus_network_add"),
    path("casusoverleg/<int:pk>/advies/", views.CaseAdviceView.as_view(), name="casediscussion_advice"),
    path("casusoverleg/afspraak/<int:pk>/gedaan/", views.CaseActionDoneView.as_view(), name="caseaction_done"),
    path("uitkomsten/", views.OutcomesView.as_view(), name="outcomes"),
    path("uitkomsten/csv/", views.OutcomesCsvView.as_view(), name="outcomes_csv"),
    path("inzage/<int:pk>/json/", views.InzageJsonView.as_view(), name="resident_inzage_json"),
    path("inzage/<int:pk>/pdf/", views.InzagePdfView.as_view(), name="resident_inzage_pdf"),
    path("inzage/<int:pk>/verwijderen/", views.EraseView.as_view(), name="resident_erase"),
]
