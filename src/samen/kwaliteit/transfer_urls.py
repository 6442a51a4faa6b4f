"""Import from CSV/Excel, export as CSV, iCalendar feeds per wijk and per organiser."""

from django.urls import path

from samen.kwaliteit.views import transfer

urlpatterns = [
    path("import/", transfer.ImportView.as_view(), name="import"),
    path("import/overzicht/", transfer.ImportConfirmView.as_view(), name="import_confirm"),
    path("import/voorbeeld.csv", transfer.ImportExampleView.as_view(), name="import_example"),
    path("export.csv", transfer.ExportCsvView.as_view(), name="export_csv"),
    path("agenda.ics", transfer.FeedView.as_view(), name="feed"),
    path("agenda/wijk/<str:code>.ics", transfer.FeedWijkView.as_view(), name="feed_wijk"),
    path("agenda/organisatie/<int:pk>.ics", transfer.FeedOrganisationView.as_view(), name="feed_organisation"),
]
