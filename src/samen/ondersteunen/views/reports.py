"""Screens of the reports part: the casusoverleg agenda per network and meeting, adding an item, recording
advice and actions; the outcomes page and its CSV; inzage (JSON, PDF) and erasure of one resident.
Thin: every rule is in ``services.casus``, ``services.outcomes`` and ``services.inzage``."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from samen.core import accesslog, policy, tabular
from samen.core.models import AccessAction, Purpose, Resident
from samen.core.views.mixins import PolicyMixin
from samen.ondersteunen.models import CaseAction, CaseDiscussion, Trajectory
from samen.ondersteunen.reports_forms import AdviceForm, CaseItemForm, OutcomesFilterForm
from samen.ondersteunen.services import casus, inzage, outcomes
from samen.ondersteunen.workflow import TRAJECTORY_OPEN
from samen.samenwerken.models import Zorgnetwerk


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- casusoverleg -----------------------------------------------------------------------------------------
class CaseIndexView(PolicyMixin, TemplateView):
    """The networks whose agenda this user may open, with their next meeting."""

    capability = "casus.view"
    template_name = "ondersteunen/reports/casus_index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        networks = [{"network": n, "next": casus.next_meeting(user, n)} for n in casus.networks_for(user)]
        return {**super().get_context_data(**kwargs), "networks": networks}


class _NetworkMixin(PolicyMixin):
    capability = "casus.view"

    def network(self) -> Zorgnetwerk:
        network = get_object_or_404(Zorgnetwerk, pk=self.kwargs["pk"], gemeente_id=self.request.user.gemeente_id)
        if not casus.can_see_agenda(self.request.user, network):
            raise PermissionDenied
        return network


class CaseAgendaView(_NetworkMixin, TemplateView):
    template_name = "ondersteunen/reports/casus_agenda.html"

    def get_context_data(self, **kwargs):
        user, network = self.request.user, self.network()
        try:
            meeting_date = datetime.date.fromisoformat(self.request.GET["datum"])
        except (KeyError, ValueError):
            meeting_date = casus.next_meeting(user, network)
        rows = casus.agenda(user, network, meeting_date, route=self.route_name())
        return {**super().get_context_data(**kwargs), "network": network, "meeting_date": meeting_date,
                "rows": rows, "dates": casus.meeting_dates(user, network),
                "can_manage": policy.can(user, "casus.manage")}


class CaseAddView(_NetworkMixin, TemplateView):
    capability = "casus.manage"
    template_name = "ondersteunen/reports/casus_add.html"

    def _form(self, data=None):
        trajectories = (policy.visible(self.request.user, Trajectory).filter(status__in=TRAJECTORY_OPEN)
                        .select_related("resident").order_by("-started_at"))
        initial = {"meeting_date": self.request.GET.get("datum"), "trajectory": self.request.GET.get("traject")}
        return CaseItemForm(data, trajectories=trajectories, initial=initial)

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or self._form()
        # The list of trajectories names their residents: those shown are logged.
        shown = [t.resident for t in form.fields["trajectory"].queryset if t.resident_id]
        accesslog.record(actor=self.request.user, action=AccessAction.VIEW, records=shown,
                         purpose=Purpose.ONDERSTEUNING, route=self.route_name())
        return {**super().get_context_data(**kwargs), "network": self.network(), "form": form}

    def post(self, request, *args, **kwargs):
        network = self.network()
        form = self._form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = casus.add(request.user, network=network, meeting_date=data["meeting_date"],
                                 trajectory=data["trajectory"], question=data["question"], by_name=data["by_name"])
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, _("Het traject staat op de agenda."))
                return redirect(reverse("ondersteunen_rapportage:casus_network_agenda", args=[network.pk])
                                + f"?datum={item.meeting_date.isoformat()}")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CaseAdviceView(PolicyMixin, TemplateView):
    capability = "casus.manage"
    template_name = "ondersteunen/reports/casus_advice.html"

    def item(self) -> CaseDiscussion:
        visible = policy.visible(self.request.user, CaseDiscussion)
        item = get_object_or_404(visible.select_related("network", "trajectory__wijk"), pk=self.kwargs["pk"])
        if not policy.visible(self.request.user, Trajectory).filter(pk=item.trajectory_id).exists():
            raise PermissionDenied
        return item

    def get_context_data(self, **kwargs):
        item = self.item()
        form = kwargs.get("form") or AdviceForm(initial={"advice": item.advice}, gemeente_id=item.gemeente_id)
        return {**super().get_context_data(**kwargs), "item": item, "form": form,
                "label": casus.pseudonym(item.trajectory), "actions": list(item.actions.select_related("owner"))}

    def post(self, request, *args, **kwargs):
        item = self.item()
        form = AdviceForm(request.POST, gemeente_id=item.gemeente_id)
        if form.is_valid():
            data = form.cleaned_data
            try:
                casus.record(request.user, item.pk, advice=data["advice"], actions=[
                    {"description": data["description"], "owner": data["owner"], "due_on": data["due_on"]}])
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, _("Het advies en de afspraken zijn vastgelegd."))
                return redirect(reverse("ondersteunen_rapportage:casus_network_agenda", args=[item.network_id])
                                + f"?datum={item.meeting_date.isoformat()}")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CaseActionDoneView(PolicyMixin, View):
    """Tick off an action point: its owner (also a partner), or a worker who manages the agenda."""

    capability = None

    def post(self, request, pk):
        action = CaseAction.objects.filter(pk=pk, discussion__gemeente_id=request.user.gemeente_id).first()
        if action is None:
            raise Http404
        casus.complete(request.user, action.pk)  # PermissionDenied (403) for anyone else
        messages.success(request, _("De afspraak is afgevinkt."))
        target = request.POST.get("next") or ""
        return redirect(target if target.startswith("/") and not target.startswith("//") else reverse("core:home"))


# --- outcomes --------------------------------------------------------------------------------------------
class _OutcomesMixin(PolicyMixin):
    capability = "trajectory.stats"

    def data(self):
        gemeente = self.request.user.gemeente
        form = OutcomesFilterForm(self.request.GET or None, gemeente=gemeente)
        cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
        return form, outcomes.compute(gemeente, date_from=cleaned.get("date_from"), date_to=cleaned.get("date_to"),
                                      wijk=cleaned.get("wijk"))


class OutcomesView(_OutcomesMixin, TemplateView):
    template_name = "ondersteunen/reports/outcomes.html"

    def get_context_data(self, **kwargs):
        form, data = self.data()
        return {**super().get_context_data(**kwargs), "form": form, "data": data,
                "query": self.request.GET.urlencode()}


class OutcomesCsvView(_OutcomesMixin, View):
    def get(self, request):
        _form, data = self.data()
        return tabular.csv_response(outcomes.csv_rows(data), outcomes.filename(data))


# --- inzage and erasure -----------------------------------------------------------------------------------
class _InzageMixin(PolicyMixin):
    capability = "trajectory.inzage"

    def refused(self, exc: ValidationError):
        return render(self.request, "ondersteunen/reports/inzage_refused.html", {"messages_list": exc.messages},
                      status=400)


class InzageJsonView(_InzageMixin, View):
    def get(self, request, pk):
        try:
            resident, data = inzage.export(request.user, pk, route=request.resolver_match.view_name)
        except Resident.DoesNotExist:
            raise Http404 from None
        except ValidationError as exc:
            return self.refused(exc)
        response = HttpResponse(inzage.as_json(data), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = (f'attachment; filename="inzage-inwoner-{resident.pk}-'
                                           f'{timezone.localdate():%Y%m%d}.json"')
        return response


class InzagePdfView(_InzageMixin, View):
    def get(self, request, pk):
        try:
            resident, data = inzage.export(request.user, pk, route=request.resolver_match.view_name)
        except Resident.DoesNotExist:
            raise Http404 from None
        except ValidationError as exc:
            return self.refused(exc)
        response = HttpResponse(inzage.as_pdf(resident, data), content_type="application/pdf")
        response["Content-Disposition"] = (f'attachment; filename="inzage-inwoner-{resident.pk}-'
                                           f'{timezone.localdate():%Y%m%d}.pdf"')
        return response


class EraseView(_InzageMixin, TemplateView):
    template_name = "ondersteunen/reports/erase_confirm.html"

    def get(self, request, *args, **kwargs):
        try:
            resident, consequences = inzage.erasure_consequences(request.user, kwargs["pk"])
        except Resident.DoesNotExist:
            raise Http404 from None
        except ValidationError as exc:
            return self.refused(exc)
        return self.render_to_response({"resident": resident, "consequences": consequences})

    def post(self, request, pk):
        if request.POST.get("bevestig") != "ja":
            return self.get(request, pk=pk)
        try:
            inzage.erase(request.user, pk, route=request.resolver_match.view_name)
        except Resident.DoesNotExist:
            raise Http404 from None
        except ValidationError as exc:
            return self.refused(exc)
        messages.success(request, _("De gegevens van de inwoner zijn verwijderd; de trajecten tellen alleen nog "
                                    "mee in de cijfers."))
        return redirect("core:resident_list")
