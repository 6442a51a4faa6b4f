"""Screens of the 75+ home visits. Thin: parse, call samen.vinden.visits.services, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from samen.core import listing, policy, tabular
from samen.core.views.importing import ConfirmImportView, to_preview
from samen.core.views.mixins import PolicyMixin
from samen.vinden.visits import services as service
from samen.vinden.visits.forms import CapacityForm, RegisterImportForm, ReportForm, RoundForm, RoundVisitFilterForm
from samen.vinden.visits.models import Visit, VisitRound
from samen.weten.questionnaire import DJG6_QUESTIONS


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


# --- the register ----------------------------------------------------------------------------------

class RegisterImportView(PolicyMixin, FormView):
    """The regisseur reads in the register extract (it creates and erases residents across the whole
    municipality: capability visit.import)."""

    capability = "visit.import"
    http_method_names = ["get", "post"]
    template_name = "vinden/visits/register_import.html"
    form_class = RegisterImportForm

    def get_context_data(self, **kwargs):
        from samen.vinden.visits.models import RegisterEntry

        count = RegisterEntry.objects.filter(gemeente=self.request.user.gemeente_id, active=True).count()
        return {**super().get_context_data(**kwargs), "register_count": count}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "gemeente": self.request.user.gemeente}

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        plan = service.plan_register(self.request.user.gemeente, upload.read(), filename=upload.name,
                                     wijk=form.cleaned_data["scope"])
        if not plan.ok:
            return self.render_to_response(self.get_context_data(form=form, report=plan.report), status=400)
        pending = service.stage_register_plan(self.request.user, plan, route=self.route_name())
        return to_preview("visits:register_confirm", pending)


class RegisterConfirmView(ConfirmImportView):
    """What the extract will change (who leaves, which open visits lapse); applied only when confirmed."""

    capability = "visit.import"
    template_name = "vinden/visits/register_confirm.html"
    kind = service.REGISTER_IMPORT
    upload_url = "visits:register_import"

    def confirm(self, user, token):
        return service.confirm_register_import(user, token, route=self.route_name())

    def success_message(self, report) -> str:
        return _("Register ingelezen: %(total)s inwoners van 75+, %(added)s nieuw, %(removed)s uit het register, "
                 "%(cancelled)s open bezoeken vervallen, %(young)s jonger dan 75 overgeslagen.") % {
            "total": report.imported, "added": report.added, "removed": report.removed,
            "cancelled": report.visits_cancelled, "young": report.too_young}


# --- rounds ----------------------------------------------------------------------------------------

class RoundMixin(PolicyMixin):
    capability = "visit.manage"

    def get_round(self) -> VisitRound:
        try:
            return service.get_round(self.request.user, self.kwargs["pk"])
        except VisitRound.DoesNotExist:
            raise Http404 from None


class RoundListView(PolicyMixin, TemplateView):
    capability = "visit.manage"
    template_name = "vinden/visits/round_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        rounds = policy.visible(user, VisitRound).select_related("wijk")
        if policy.scope(user) != "gemeente":
            rounds = rounds.filter(wijk__in=user.wijken.all())
        return {**super().get_context_data(**kwargs), "rounds": rounds}


class RoundCreateView(PolicyMixin, FormView):
    capability = "visit.manage"
    http_method_names = ["get", "post"]
    template_name = "vinden/visits/round_form.html"
    form_class = RoundForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        year = timezone.localdate().year
        return {"year": year, "starts_on": timezone.localdate(), "ends_on": f"{year}-12-31"}

    def form_valid(self, form):
        try:
            round_ = service.create_round(self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(self.request, _("Ronde aangemaakt met %(n)s huisbezoeken.") % {"n": round_.visits.count()})
        return redirect("visits:round_detail", pk=round_.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RoundDetailView(RoundMixin, TemplateView):
    template_name = "vinden/visits/round_detail.html"

    def get_context_data(self, **kwargs):
        round_ = self.get_round()
        summary = service.round_summary(self.request.user, round_)
        for item in summary["volunteers"]:
            item["form"] = CapacityForm(initial={"volunteer": item["user"].pk,
                                                 "visits_per_round": item["capacity"]},
                                        auto_id=f"id_%s_{item['user'].pk}")
        volunteers = [item["user"] for item in summary["volunteers"]]
        form = RoundVisitFilterForm(self.request.GET or None, volunteers=volunteers)
        filters = form.cleaned_data if form.is_valid() else {}
        visits = service.round_visits(self.request.user, round_, filters, self.request.GET.get("pagina"),
                                      route=self.route_name())
        return {**super().get_context_data(**kwargs), "round": round_, "summary": summary, "form": form,
                "filters": filters, "page": visits, "query": listing.querystring(self.request)}


class RoundAssignView(RoundMixin, View):
    def post(self, request, pk):
        result = service.assign(request.user, self.get_round())
        if result.volunteers == 0:
            messages.error(request, _("Er zijn geen vrijwilligers in deze wijk; er is niets toegewezen."))
        else:
            messages.success(request, _("%(assigned)s bezoeken toegewezen; %(left)s nog zonder vrijwilliger.")
                             % {"assigned": result.assigned, "left": result.unassigned})
        return redirect("visits:round_detail", pk=pk)


class RoundCapacityView(RoundMixin, View):
    def post(self, request, pk):
        round_ = self.get_round()
        form = CapacityForm(request.POST)
        volunteer = None
        if form.is_valid():
            volunteer = service.volunteers_for(round_).filter(pk=form.cleaned_data["volunteer"]).first()
        try:
            if volunteer is None:
                raise ValidationError({"volunteer": [_("Kies een vrijwilliger van deze wijk en een aantal van "
                                                       "0 tot en met 200.")]})
            service.set_capacity(request.user, round_, volunteer, form.cleaned_data["visits_per_round"])
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("visits:round_detail", pk=pk)
        messages.success(request, _("Capaciteit opgeslagen."))
        return redirect("visits:round_detail", pk=pk)


class RoundLettersCsvView(RoundMixin, View):
    def get(self, request, pk):
        round_ = self.get_round()
        rows = service.letters(request.user, round_, route=self.route_name())
        return tabular.csv_response(service.letters_rows(rows),
                                    f"uitnodigingen-{round_.wijk.code}-{round_.year}.csv")


class RoundLettersPdfView(RoundMixin, View):
    def get(self, request, pk):
        round_ = self.get_round()
        rows = service.letters(request.user, round_, route=self.route_name())
        response = HttpResponse(service.letters_pdf(round_, rows), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="uitnodigingen-{round_.wijk.code}-{round_.year}.pdf"'
        return response


# --- coverage --------------------------------------------------------------------------------------

class CoverageView(PolicyMixin, TemplateView):
    capability = "visit.stats"
    template_name = "vinden/visits/coverage.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        try:
            year = int(self.request.GET.get("jaar") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 2000), 2100)
        table = service.coverage(user, user.gemeente, year)
        overdue = (service.overdue_visits(user, user.gemeente, year, route=self.route_name())
                   if policy.can(user, "visit.view") else [])
        return {**super().get_context_data(**kwargs), "year": year, **table, "overdue": overdue,
                "can_manage": policy.can(user, "visit.manage")}


# --- the volunteer ---------------------------------------------------------------------------------

class VisitListView(PolicyMixin, TemplateView):
    capability = "visit.report"
    template_name = "vinden/visits/visit_list.html"

    def get_context_data(self, **kwargs):
        visits = service.my_visits(self.request.user, route=self.route_name())
        return {**super().get_context_data(**kwargs), "open_visits": [v for v in visits if v.is_open],
                "done_visits": [v for v in visits if not v.is_open]}


class VisitReportView(PolicyMixin, FormView):
    capability = "visit.report"
    http_method_names = ["get", "post"]
    template_name = "vinden/visits/visit_report.html"
    form_class = ReportForm

    def dispatch(self, request, *args, **kwargs):
        self.visit = None
        return super().dispatch(request, *args, **kwargs)

    def get_visit(self) -> Visit:
        if self.visit is None:
            try:
                self.visit = service.get_visit(self.request.user, self.kwargs["pk"], route=self.route_name())
            except Visit.DoesNotExist:
                raise Http404 from None
        return self.visit

    def get(self, request, *args, **kwargs):
        self.get_visit()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "visit": self.get_visit()}

    def form_valid(self, form):
        data = form.cleaned_data
        answers = {item: data.get(f"djg_{item}") or None for item in DJG6_QUESTIONS}
        contact = {"ja": True, "nee": False}.get(data.get("wants_contact"))
        try:
            result = service.report_visit(self.request.user, self.kwargs["pk"], data["status"], answers=answers,
                                          wishes=data.get("wishes", ""), wants_contact=contact,
                                          route=self.route_name())
        except Visit.DoesNotExist:
            raise Http404 from None
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)
        if result.signal_created:
            messages.success(self.request, _("Bedankt. Er is een signaal doorgegeven aan sociaal werk."))
        else:
            messages.success(self.request, _("Bedankt, het bezoek is gemeld."))
        return redirect("visits:visit_list")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
