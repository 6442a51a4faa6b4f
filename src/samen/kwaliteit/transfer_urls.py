"""Import from CSV/Excel, export as CSV, iCalendar feeds per wijk and per organiser."""

urlpatterns = []
