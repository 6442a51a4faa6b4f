from django.urls import path

from samen.informeren import views

app_name = "informeren"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
]
