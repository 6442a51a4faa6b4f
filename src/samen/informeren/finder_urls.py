"""The public activity finder: search, activity pages, calendar links, the theme week."""

urlpatterns = []
