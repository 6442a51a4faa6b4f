"""The explained matching's page (namespace ``matching``, prefix ``ondersteunen/``)."""

from __future__ import annotations

from django.urls import path

from samen.ondersteunen.views.matching import MatchesPage

app_name = "matching"
urlpatterns: list = [
    path("trajecten/<int:pk>/passend/", MatchesPage.as_view(), name="matches"),
]
