"""Weten: the monitor dashboard, CSV download, council factsheet (PDF) and the survey import screen.

Only aggregates leave this module, all from services.monitor (suppression included)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from samen.core import policy
from samen.core.models import Wijk
from samen.core.views.mixins import PolicyMixin
from samen.weten import charts
from samen.weten.forms import SurveyImportForm, TargetForm
from samen.weten.models import Indicator, Target, Wave
from samen.weten.services import factsheet, monitor, targets
from samen.weten.services.survey_import import MappingError, SurveyMapping, import_survey


def _indicator(request) -> str:
    value = request.GET.get("indicator", "lonely")
    return value if value in Indicator.values else "lonely"


def chart_context(gemeente, data: monitor.Overview) -> dict:
    """The three charts as SVG plus the data they show (the text alternatives)."""
    context = {}
    if data.latest_year:
        latest = {code: years.get(data.latest_year) for code, years in data.wijken.items()}
        features = [{"type": "Feature", "geometry": wijk.boundary,
                     "properties": {"name": wijk.policy_name or wijk.official_name,
                                    "value": None if not latest.get(wijk.code) or latest[wijk.code].suppressed
                                    else latest[wijk.code].estimate}}
                    for wijk in Wijk.objects.filter(gemeente=gemeente) if wijk.boundary]
        context["map_svg"] = charts.svg(charts.choropleth(
            features, f"{data.indicator_label}, {data.latest_year}"))
        points = [{"area": gemeente.name, "year": f.year, "estimate": f.estimate, "ci_low": f.ci_low,
                   "ci_high": f.ci_high} for f in data.gemeente if not f.suppressed]
        points += [{"area": data.wijk_names[code], "year": year, "estimate": f.estimate, "ci_low": f.ci_low,
                    "ci_high": f.ci_high} for code, years in data.wijken.items() for year, f in years.items()
                   if not f.suppressed]
        target = data.gemeente_target.target_value if data.gemeente_target else None
        context["trend_svg"] = charts.svg(charts.trend(points, _("Verloop per wijk"), target))
    if data.factor_model:
        effects = [{"label": e.label, "odds_ratio": e.odds_ratio, "ci_low": e.ci_low,
                    "ci_high": e.ci_high} for e in data.factor_model.effects if not e.suppressed]
        context["forest_svg"] = charts.svg(charts.forest(effects, _("Samenhang met kenmerken (odds ratio)")))
    return context


class DashboardView(PolicyMixin, TemplateView):
    capability = "monitor.view"
    template_name = "weten/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        indicator = _indicator(self.request)
        factor_wijk = self.request.GET.get("factor_wijk") or None
        if factor_wijk and not policy.visible(user, Wijk).filter(code=factor_wijk).exists():
            factor_wijk = None
        data = monitor.overview(user.gemeente, user, indicator, factor_wijk=factor_wijk)
        return {**super().get_context_data(**kwargs), "data": data, "indicators": Indicator.choices,
                "wijken": policy.visible(user, Wijk), "factor_wijk": factor_wijk,
                **chart_context(user.gemeente, data)}


class FiguresCsvView(PolicyMixin, TemplateView):
    capability = "monitor.view"

    def get(self, request, *args, **kwargs):
        breakdown = tuple(b for b in request.GET.get("uitsplitsing", "").split(",") if b in monitor.BREAKDOWNS)
        rows = monitor.figures(request.user.gemeente, request.user, breakdown=breakdown)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="monitor-{timezone.localdate()}.csv"'
        writer = csv.writer(response)
        writer.writerow(["niveau", "gebiedscode", "gebied", "jaar", "leeftijdsgroep", "geslacht", "indicator", "n",
                         "schatting", "ondergrens_95", "bovengrens_95", "onderdrukt"])
        for f in rows:
            writer.writerow([f.level, f.area_code, f.area_name, f.year, f.age_group, f.sex, f.indicator,
                             "" if f.suppressed else f.n,
                             "" if f.suppressed else f"{f.estimate:.4f}",
                             "" if f.suppressed else f"{f.ci_low:.4f}",
                             "" if f.suppressed else f"{f.ci_high:.4f}", "ja" if f.suppressed else "nee"])
        return response


class FactsheetView(PolicyMixin, TemplateView):
    capability = "monitor.view"

    def get(self, request, *args, **kwargs):
        pdf = factsheet.render(request.user.gemeente, request.user, _indicator(request))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="factsheet-eenzaamheid-{timezone.localdate()}.pdf"'
        return response


class WaveListView(PolicyMixin, FormView):
    """The waves of survey data, and importing a new one (all or nothing)."""

    capability = "monitor.import"
    template_name = "weten/waves.html"
    form_class = SurveyImportForm
    http_method_names = ["get", "post"]

    def get_context_data(self, **kwargs):
        waves = policy.visible(self.request.user, Wave) if policy.can(self.request.user, "monitor.view") else []
        return {**super().get_context_data(**kwargs), "waves": waves}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            mapping = SurveyMapping.from_yaml(data["mapping"].read().decode("utf-8", errors="replace"))
        except MappingError as exc:
            form.add_error("mapping", str(exc))
            return self.form_invalid(form)
        report, wave = import_survey(self.request.user.gemeente, content=data["file"].read(),
                                     filename=data["file"].name, mapping=mapping, source=data["source"],
                                     year=data["year"], user=self.request.user)
        if not report.ok:
            return self.render_to_response(self.get_context_data(form=form, report=report), status=400)
        messages.success(self.request, _("%(name)s: %(count)s respondenten ingelezen.")
                         % {"name": wave.name, "count": report.imported})
        return redirect("weten:waves")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)



class TargetListView(PolicyMixin, TemplateView):
    """The policy targets per indicator and wijk, and adding or changing one."""

    capability = "monitor.change"
    template_name = "weten/targets.html"
    http_method_names = ["get", "post"]

    def _form(self, data=None):
        instance = None
        if self.request.GET.get("doel"):
            instance = policy.visible(self.request.user, Target).filter(pk=self.request.GET["doel"]).first()
        return TargetForm(data, instance=instance, gemeente=self.request.user.gemeente)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "form": kwargs.get("form") or self._form(),
                "targets": policy.visible(self.request.user, Target).select_related("wijk")}

    def post(self, request, *args, **kwargs):
        if request.POST.get("delete"):
            try:
                targets.delete_target(request.user, request.POST["delete"])
            except (Target.DoesNotExist, ValueError):
                raise Http404 from None
            messages.success(request, _("Het doel is verwijderd."))
            return redirect("weten:targets")
        form = self._form(request.POST)
        if form.is_valid():
            try:
                targets.save_target(request.user, form)
            except IntegrityError:
                pass
            else:
                messages.success(request, _("Het doel is opgeslagen."))
                return redirect("weten:targets")
        return self.render_to_response(self.get_context_data(form=form), status=400)
