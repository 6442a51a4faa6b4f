"""The provider's public link page (namespace ``verwijzing_link``, under ``verwijzing/``; the token is the
``sleutel`` query parameter so that it never becomes part of a URL pattern)."""

from __future__ import annotations

from django.urls import path

from samen.ondersteunen.views.referral_link import ProviderLinkView

app_name = "verwijzing_link"

urlpatterns = [path("antwoord/", ProviderLinkView.as_view(), name="answer")]
