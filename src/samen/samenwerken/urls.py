from django.urls import path

from samen.samenwerken import views

app_name = "samenwerken"

urlpatterns = [
    path("", views.NetworkListView.as_view(), name="network_list"),
    path("<int:pk>/", views.NetworkDetailView.as_view(), name="network_detail"),
]
