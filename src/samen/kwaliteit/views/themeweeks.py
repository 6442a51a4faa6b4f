"""The theme weeks of the catalogue (kwaliteit.services.themeweeks)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Min
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from samen.core import policy
from samen.core.views.mixins import PolicyMixin
from samen.kwaliteit import manage_forms as forms
from samen.kwaliteit.models import Activity, ThemeWeek
from samen.kwaliteit.services import themeweeks
from samen.kwaliteit.views.common import (
    CataloguePage,
    LoadsRecord,
)


class ThemeWeekListView(PolicyMixin, CataloguePage):
    """The theme weeks, each with the entries marked for it that have a date in the week."""

    capability = "catalogue.view"
    template_name = "kwaliteit/manage/themeweek_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        rows = []
        for week in policy.visible(user, ThemeWeek).order_by("-starts_on"):
            activities = (policy.visible(user, Activity).select_related("organisation")
                          .filter(theme_week=True, occurrences__date__range=(week.starts_on, week.ends_on))
                          .annotate(days=Count("occurrences"), first=Min("occurrences__date"))
                          .order_by("first", "title"))
            rows.append({"week": week, "activities": activities})
        return {**super().get_context_data(**kwargs), "rows": rows,
                "can_change": policy.can(user, "themeweek.change")}


class _ThemeWeekFormView(CataloguePage):
    template_name = "kwaliteit/manage/themeweek_form.html"
    week = None

    def get_context_data(self, **kwargs):
        initial = None
        if self.week is not None:
            initial = {"name": self.week.name, "starts_on": self.week.starts_on, "ends_on": self.week.ends_on}
        return {**super().get_context_data(**kwargs), "week": self.week,
                "form": kwargs.get("form") or forms.ThemeWeekForm(initial=initial),
                "title": _("Themaweek bewerken") if self.week else _("Nieuwe themaweek")}

    def post(self, request, *args, **kwargs):
        form = forms.ThemeWeekForm(request.POST)
        if form.is_valid():
            try:
                themeweeks.save(request.user, form.cleaned_data, self.week)
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(request, _("De themaweek is opgeslagen."))
                return redirect("kwaliteit:themeweek_list")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ThemeWeekCreateView(PolicyMixin, _ThemeWeekFormView):
    capability = "themeweek.change"


class ThemeWeekEditView(PolicyMixin, LoadsRecord, _ThemeWeekFormView):
    capability = "themeweek.change"

    def load(self, request, pk):
        self.week = get_object_or_404(policy.visible(request.user, ThemeWeek), pk=pk)
