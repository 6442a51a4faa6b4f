"""The interventions of the catalogue (kwaliteit.services.interventions)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from samen.core import policy
from samen.core.views.mixins import PolicyMixin
from samen.core.views.pages import record_panels
from samen.kwaliteit import manage_forms as forms
from samen.kwaliteit.models import Activity, Intervention
from samen.kwaliteit.services import interventions
from samen.kwaliteit.views.common import (
    CataloguePage,
    LoadsRecord,
)


class InterventionListView(PolicyMixin, CataloguePage):
    capability = "catalogue.view"
    template_name = "kwaliteit/manage/intervention_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        activities = policy.visible(user, Activity).exclude(status=Activity.Status.WITHDRAWN).order_by("title")
        items = (policy.visible(user, Intervention)
                 .prefetch_related(Prefetch("activities", queryset=activities, to_attr="applied_in"))
                 .order_by("name"))
        return {**super().get_context_data(**kwargs), "interventions": items,
                "can_change": policy.can(user, "intervention.change")}


class _InterventionFormView(CataloguePage):
    template_name = "kwaliteit/manage/intervention_form.html"
    intervention = None

    def get_context_data(self, **kwargs):
        initial = None
        if self.intervention is not None:
            initial = {name: getattr(self.intervention, name) for name in interventions.FIELDS}
        applied = (policy.visible(self.request.user, Activity).select_related("organisation")
                   .filter(interventions=self.intervention)
                   .order_by("title") if self.intervention is not None else [])
        sections = record_panels(self.request.user, self.intervention) if self.intervention is not None else []
        return {**super().get_context_data(**kwargs), "intervention": self.intervention, "applied": applied,
                "sections": sections,  # what other blocks add (ondersteunen: the local evidence)
                "form": kwargs.get("form") or forms.InterventionForm(initial=initial),
                "title": _("Interventie bewerken") if self.intervention else _("Nieuwe interventie")}

    def post(self, request, *args, **kwargs):
        form = forms.InterventionForm(request.POST)
        if form.is_valid():
            try:
                interventions.save(request.user, form.cleaned_data, self.intervention)
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(request, _("De interventie is opgeslagen."))
                return redirect("kwaliteit:intervention_list")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class InterventionCreateView(PolicyMixin, _InterventionFormView):
    capability = "intervention.change"


class InterventionEditView(PolicyMixin, LoadsRecord, _InterventionFormView):
    capability = "intervention.change"

    def load(self, request, pk):
        self.intervention = get_object_or_404(policy.visible(request.user, Intervention), pk=pk)
