"""The beheerder's screen for the municipality's own settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from samen.core.forms import GemeenteSettingsForm
from samen.core.services import gemeente as service
from samen.core.views.mixins import PolicyMixin


class GemeenteSettingsView(PolicyMixin, TemplateView):
    capability = "gemeente.change"
    template_name = "core/gemeente_settings.html"

    def get_context_data(self, **kwargs):
        gemeente = self.request.user.gemeente
        form = kwargs.get("form") or GemeenteSettingsForm(instance=gemeente)
        return {**super().get_context_data(**kwargs), "form": form, "gemeente": gemeente,
                "contact_fields": ("logo_url", "contact_phone", "contact_hours", "contact_email", "contact_address"),
                "accessibility_fields": ("accessibility_status", "accessibility_scope", "accessibility_date",
                                         "accessibility_notes")}

    def post(self, request):
        form = GemeenteSettingsForm(request.POST, instance=request.user.gemeente)
        if form.is_valid():
            try:
                service.change_settings(request.user, form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("De instellingen zijn opgeslagen."))
                return redirect("core:gemeente_settings")
        return self.render_to_response(self.get_context_data(form=form), status=400)
