"""The staff side of the catalogue, under /catalogus/."""

from samen.kwaliteit import manage_urls, transfer_urls

app_name = "kwaliteit"

urlpatterns = [
    *manage_urls.urlpatterns,  # providers' entries, the regisseur's review, interventions, theme weeks
    *transfer_urls.urlpatterns,  # import, CSV export, iCalendar feeds
]
