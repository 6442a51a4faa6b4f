"""Weten: the monitor dashboard, CSV download, council factsheet (PDF) and the survey import screen.

Only aggregates leave this module, all from services.monitor (suppression included)."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from samen.core import policy, tabular
from samen.core.models import Wijk
from samen.core.views.importing import ConfirmImportView, to_preview
from samen.core.views.mixins import PolicyMixin
from samen.weten.forms import SurveyImportForm, TargetForm
from samen.weten.models import Indicator, Target, Wave
from samen.weten.services import factsheet, monitor, survey_preview, targets
from samen.weten.services.charts import chart_context
from samen.weten.services.survey_import import MappingError, SurveyMapping


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
        trend_wijk = self.request.GET.get("trend_wijk") or None
        if trend_wijk and not policy.visible(user, Wijk).filter(code=trend_wijk).exists():
            trend_wijk = None
        data = monitor.overview(user.gemeente, user, indicator, factor_wijk=factor_wijk)
        return {**super().get_context_data(**kwargs), "data": data, "indicators": Indicator.choices,
                "standardised_rows": _standardised_rows(user.gemeente, data),
                "wijken": policy.visible(user, Wijk), "factor_wijk": factor_wijk, "trend_wijk": trend_wijk,
                **chart_context(user.gemeente, data, trend_wijk)}


BREAKDOWN_WORDS = {"age_group": "leeftijd", "age_group_monitor": "leeftijd-monitor", "sex": "geslacht"}
CSV_COLUMNS = ["niveau", "gebiedscode", "gebied", "jaar", "leeftijdsgroep", "geslacht", "indicator", "n",
               "schatting", "ondergrens_95", "bovengrens_95", "intervalmethode", "onderdrukt"]


def _share(value: float | None, excel: bool) -> str:
    if value is None:
        return ""
    text = f"{value:.4f}"
    return text.replace(".", ",") if excel else text


def _standardised_rows(gemeente, data) -> list[dict]:
    """The latest wave's crude and age-standardised figures: the municipality first, then the wijken."""
    if not data.latest_year:
        return []
    rows = [{"name": gemeente.name, "item": data.standardised.get((gemeente.code, data.latest_year))}]
    rows += [{"name": data.wijk_names[code], "item": data.standardised.get((code, data.latest_year))}
             for code in data.wijken]
    return [row for row in rows if row["item"] is not None]


class FiguresCsvView(PolicyMixin, TemplateView):
    """Every published figure as CSV: for Dutch Excel by default (semicolon, decimal comma, UTF-8 with a
    byte-order mark), or ``?formaat=rfc4180`` for machines (comma, decimal point, no BOM, CRLF)."""

    capability = "monitor.view"

    def get(self, request, *args, **kwargs):
        breakdown = tuple(b for b in request.GET.get("uitsplitsing", "").split(",") if b in monitor.BREAKDOWNS)
        excel = request.GET.get("formaat", "excel") != "rfc4180"
        gemeente = request.user.gemeente
        rows = monitor.figures(gemeente, request.user, breakdown=breakdown)
        table = [CSV_COLUMNS]
        for f in rows:
            table.append([f.level, f.area_code, f.area_name, f.year, f.age_group, f.sex, f.indicator,
                          "" if f.suppressed else f.n,
                          "" if f.suppressed else _share(f.estimate, excel),
                          "" if f.suppressed else _share(f.ci_low, excel),
                          "" if f.suppressed else _share(f.ci_high, excel),
                          f.interval, "ja" if f.suppressed else "nee"])
        words = "-".join(BREAKDOWN_WORDS[b] for b in breakdown) or "totalen"
        name = (f"monitor-eenzaamheid-{slugify(gemeente.name)}-cijfers-{words}-{timezone.localdate()}"
                f"{'' if excel else '-rfc4180'}.csv")
        # Numbers stay numbers; area names (typed by people) are guarded against formulas (core.tabular).
        if excel:
            return tabular.csv_response(table, name, delimiter=";", bom=True)
        return tabular.csv_response(table, name, delimiter=",", bom=False, lineterminator="\r\n")


class FactsheetView(PolicyMixin, TemplateView):
    capability = "monitor.view"

    def get(self, request, *args, **kwargs):
        user, indicator = request.user, _indicator(request)
        wijk = policy.visible(user, Wijk).filter(code=request.GET.get("wijk") or "").first()
        pdf = factsheet.render(user.gemeente, user, indicator, wijk.code if wijk else None)
        response = HttpResponse(pdf, content_type="application/pdf")
        area = slugify(wijk.policy_name or wijk.official_name) if wijk else "gemeente"
        name = (f"factsheet-{slugify(Indicator(indicator).label)}-{slugify(user.gemeente.name)}-{area}-"
                f"{timezone.localdate()}")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response


class WaveListView(PolicyMixin, FormView):
    """The waves of survey data with the mapping of each one's last import, and reading in a wave: checked
    first, then a preview of what it replaces (WaveConfirmView); nothing changes before the confirmation."""

    capability = "monitor.import"
    template_name = "weten/waves.html"
    form_class = SurveyImportForm
    http_method_names = ["get", "post"]

    def get_context_data(self, **kwargs):
        waves = policy.visible(self.request.user, Wave) if policy.can(self.request.user, "monitor.view") else []
        return {**super().get_context_data(**kwargs), "waves": waves}

    def form_valid(self, form):
        data = form.cleaned_data
        text = data["mapping"].read().decode("utf-8", errors="replace")
        try:
            mapping = SurveyMapping.from_yaml(text)
        except MappingError as exc:
            form.add_error("mapping", str(exc))
            return self.form_invalid(form)
        plan = survey_preview.plan_survey(self.request.user.gemeente, content=data["file"].read(),
                                          filename=data["file"].name, mapping=mapping, source=data["source"],
                                          year=data["year"], mapping_text=text)
        if not plan.ok:
            return self.render_to_response(self.get_context_data(form=form, report=plan.report), status=400)
        return to_preview("weten:wave_confirm", survey_preview.stage_survey_plan(self.request.user, plan))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class WaveConfirmView(ConfirmImportView):
    """How many respondents the file replaces, per wijk, and which targets are recalculated; the wave is
    replaced only when the user who uploaded it confirms."""

    capability = "monitor.import"
    template_name = "weten/wave_confirm.html"
    kind = survey_preview.SURVEY_IMPORT
    upload_url = "weten:waves"

    def confirm(self, user, token):
        return survey_preview.confirm_survey_import(user, token)

    def success_message(self, wave) -> str:
        return _("%(name)s: %(count)s respondenten ingelezen.") % {"name": wave.name, "count": wave.respondent_count}


def _yaml_download(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class MappingTemplateView(PolicyMixin, View):
    """A mapping file to fill in: every key with a Dutch comment, the municipality's wijk codes as example."""

    capability = "monitor.import"

    def get(self, request, *args, **kwargs):
        text = render_to_string("weten/koppelbestand-sjabloon.yaml",
                                {"gemeente": request.user.gemeente, "wijken": policy.visible(request.user, Wijk)})
        return _yaml_download(text, "koppelbestand-sjabloon.yaml")


class WaveMappingView(PolicyMixin, View):
    """The mapping file of a wave's last import, to use again for the next wave."""

    capability = "monitor.import"

    def get(self, request, *args, **kwargs):
        wave = policy.visible(request.user, Wave).filter(pk=kwargs["pk"]).exclude(mapping="").first()
        if wave is None:
            raise Http404
        return _yaml_download(wave.mapping, f"koppelbestand-{wave.source}-{wave.year}.yaml")


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
