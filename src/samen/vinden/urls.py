from django.urls import path

from samen.vinden import views

app_name = "vinden"

urlpatterns = [
    path("signalen/", views.SignalListView.as_view(), name="signal_list"),
    path("signalen/centraal/", views.CentralQueueView.as_view(), name="central_queue"),
    path("signalen/nieuw/", views.StaffIntakeView.as_view(), name="staff_intake"),
    path("signalen/mijn-meldingen/", views.MyReportsView.as_view(), name="my_reports"),
    path("signalen/cijfers/", views.SignalStatsView.as_view(), name="signal_stats"),
    path("signalen/<int:pk>/", views.SignalDetailView.as_view(), name="signal_detail"),
    path("melding/", views.VolunteerIntakeView.as_view(), name="volunteer_intake"),
    path("zorgen-om-iemand/", views.ConcernView.as_view(), name="concern"),
    path("meer-contact/", views.SelfView.as_view(), name="self"),
]
