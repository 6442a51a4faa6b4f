"""Weten: the monitor dashboard, CSV download, council factsheet (PDF) and the survey import screen.

Only aggregates leave this module, all from services.monitor (suppression included)."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from samen.core import policy, tabular
from samen.core.models import Wijk
from samen.core.views.mixins import PolicyMixin
from samen.weten.forms import SurveyImportForm, TargetForm
from samen.weten.models import Indicator, Target, Wave
from samen.weten.services import factsheet, monitor, targets
from samen.weten.services.charts import chart_context
from samen.weten.services.survey_import import MappingError, SurveyMapping, import_survey


def _indicator(request) -> str:
    value = request.GET.get("indicator", "lonely")
    return value if value in Indicator.values else "lonely"


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
        table = [["niveau", "gebiedscode", "gebied", "jaar", "leeftijdsgroep", "geslacht", "indicator", "n",
                  "schatting", "ondergrens_95", "bovengrens_95", "onderdrukt"]]
        for f in rows:
            table.append([f.level, f.area_code, f.area_name, f.year, f.age_group, f.sex, f.indicator,
                          "" if f.suppressed else f.n,
                          "" if f.suppressed else f"{f.estimate:.4f}",
                          "" if f.suppressed else f"{f.ci_low:.4f}",
                          "" if f.suppressed else f"{f.ci_high:.4f}", "ja" if f.suppressed else "nee"])
        # Numbers stay numbers; area names (typed by people) are guarded against formulas (core.tabular).
        return tabular.csv_response(table, f"monitor-{timezone.localdate()}.csv", delimiter=",", bom=False)


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

    UNDO_KEY = "weten.deleted_target"

    def get(self, request, *args, **kwargs):
        if request.GET.get("verwijderen"):  # first the question, with what it means
            target = policy.visible(request.user, Target).filter(pk=request.GET["verwijderen"]).first()
            if target is None:
                raise Http404
            return render(request, "core/confirm.html", {"confirm": {
                "title": _("Doel verwijderen?"), "button": _("Ja, doel verwijderen"), "danger": True,
                "consequences": [
                    _("Het doel voor %(indicator)s (%(area)s) verdwijnt uit de monitor en de factsheet.")
                    % {"indicator": target.get_indicator_display(),
                       "area": target.wijk.display_name if target.wijk else request.user.gemeente.name},
                    _("De metingen zelf blijven bewaard; alleen de streefwaarde gaat weg.")],
                "undo": _("Direct daarna kunt u het verwijderen nog ongedaan maken."),
                "hidden": [("delete", target.pk)], "cancel_url": reverse("weten:targets")}})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "form": kwargs.get("form") or self._form(),
                "targets": policy.visible(self.request.user, Target).select_related("wijk"),
                "can_undo": self.UNDO_KEY in self.request.session}

    def post(self, request, *args, **kwargs):
        if request.POST.get("delete"):
            try:
                request.session[self.UNDO_KEY] = targets.delete_target(request.user, request.POST["delete"])
            except (Target.DoesNotExist, ValueError):
                raise Http404 from None
            messages.success(request, _("Het doel is verwijderd."))
            return redirect("weten:targets")
        if request.POST.get("undo"):
            form = TargetForm(request.session.pop(self.UNDO_KEY, None), gemeente=request.user.gemeente)
            if form.is_valid():
                try:
                    targets.save_target(request.user, form)
                except IntegrityError:
                    pass
                else:
                    messages.success(request, _("Het doel is teruggezet."))
                    return redirect("weten:targets")
            messages.error(request, _("Het doel kon niet worden teruggezet; voeg het opnieuw toe."))
            return redirect("weten:targets")
        request.session.pop(self.UNDO_KEY, None)
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
