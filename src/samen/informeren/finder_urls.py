"""The public activity finder: search, activity pages, calendar links, the theme week."""

from django.urls import path

from samen.informeren.views import finder

urlpatterns = [
    path("activiteiten/", finder.FinderView.as_view(), name="finder"),
    path("activiteiten/<int:pk>/", finder.ActivityView.as_view(), name="activity"),
    path("activiteiten/<int:pk>/agenda.ics", finder.ActivityCalendarView.as_view(), name="activity_ics"),
    path("samen-week/", finder.ThemeWeekView.as_view(), name="theme_week"),
    path("samen-week/agenda.ics", finder.ThemeWeekCalendarView.as_view(), name="theme_week_ics"),
]
