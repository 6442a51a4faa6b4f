"""The public site's statements, per municipality (set by the beheerder on "Instellingen"): the
privacyverklaring and the toegankelijkheidsverklaring in the form of the Dutch model statement
(digitoegankelijk.nl: scope, compliance status, date, how it was checked, contact, enforcement)."""

from __future__ import annotations

from django.views.generic import TemplateView

from samen.core.site import site_details, site_gemeente


class _StatementView(TemplateView):
    def get_context_data(self, **kwargs):
        gemeente = site_gemeente(self.request)
        return {**super().get_context_data(**kwargs), "gemeente": gemeente, "site": site_details(gemeente)}


class PrivacyView(_StatementView):
    template_name = "core/privacy.html"


class AccessibilityView(_StatementView):
    template_name = "core/accessibility.html"
