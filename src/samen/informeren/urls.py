from django.urls import path

from samen.informeren import finder_urls, page_urls
from samen.informeren.views.pages import HomeView

app_name = "informeren"

urlpatterns = [
    path("", HomeView.as_view(), name="index"),
    *finder_urls.urlpatterns,  # the activity finder, activity pages, the theme week
    *page_urls.urlpatterns,  # the self-check and the page on how the approach works
]
