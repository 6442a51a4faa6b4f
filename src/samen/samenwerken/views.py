"""Samenwerken's screens: networks, meetings and action points, the action agenda, the budget, the
self-assessment and the council report. Thin: the services decide and name what is wrong."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from samen.core import policy, registry
from samen.core.views.mixins import PolicyMixin
from samen.samenwerken import benchmark, forms, workflow
from samen.samenwerken.models import (
    Action,
    ActionPoint,
    BudgetLine,
    BudgetYear,
    ChangeRecord,
    Meeting,
    ReportVersion,
    Zorgnetwerk,
    ZorgnetwerkMember,
)
from samen.samenwerken.services import agenda as agenda_service
from samen.samenwerken.services import assessment as assessment_service
from samen.samenwerken.services import budget as budget_service
from samen.samenwerken.services import campaign as campaign_service
from samen.samenwerken.services import meetings as meeting_service
from samen.samenwerken.services import report as report_service


def visible_or_denied(user, model, pk, queryset=None):
    """The record if the user may see it; 403 when it is another network's (it exists in the user's
    municipality: the user is told no, not that it is missing); 404 otherwise."""
    found = (queryset if queryset is not None else policy.visible(user, model)).filter(pk=pk).first()
    if found is not None:
        return found
    if model._default_manager.filter(pk=pk, **{model.gemeente_path: user.gemeente_id}).exists():
        raise PermissionDenied
    raise Http404


def errors_to(form, error: ValidationError) -> None:
    for field, messages in (error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]):
        form.add_error(field if field in form.fields else None, messages)


class NetworkListView(PolicyMixin, TemplateView):
    capability = "zorgnetwerk.view"
    template_name = "samenwerken/network_list.html"

    def get_context_data(self, **kwargs):
        networks = policy.visible(self.request.user, Zorgnetwerk).select_related("wijk").prefetch_related(
            "members__organisation")
        return {**super().get_context_data(**kwargs), "networks": networks}


class NetworkDetailView(PolicyMixin, TemplateView):
    capability = "zorgnetwerk.view"
    template_name = "samenwerken/network_detail.html"

    def get_context_data(self, **kwargs):
        network = get_object_or_404(policy.visible(self.request.user, Zorgnetwerk).select_related("wijk"),
                                    pk=kwargs["pk"])
        order = {part: index for index, part in enumerate(ZorgnetwerkMember.Part.values)}
        members = sorted(network.members.select_related("organisation", "user"),
                         key=lambda m: (order[m.part], m.organisation.name))
        meetings = policy.visible(self.request.user, Meeting).filter(network=network)
        return {**super().get_context_data(**kwargs), "network": network, "members": members, "meetings": meetings}


# --- meetings -------------------------------------------------------------------------------------

class MeetingListView(PolicyMixin, TemplateView):
    capability = "meeting.view"
    template_name = "samenwerken/meeting_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        meetings = policy.visible(user, Meeting).select_related("network")
        points = policy.visible(user, ActionPoint).filter(done_on__isnull=True).select_related(
            "meeting__network", "owner")
        can_plan = policy.can(user, "meeting.manage")
        networks = policy.visible(user, Zorgnetwerk) if can_plan else Zorgnetwerk.objects.none()
        return {**super().get_context_data(**kwargs), "meetings": meetings, "points": points, "can_plan": can_plan,
                "networks": networks, "form": kwargs.get("form") or forms.MeetingForm(),
                "chosen": kwargs.get("chosen")}

    def post(self, request, *args, **kwargs):
        if not policy.can(request.user, "meeting.manage"):
            return HttpResponse(status=403)
        form = forms.MeetingForm(request.POST)
        network = policy.visible(request.user, Zorgnetwerk).filter(pk=request.POST.get("network") or 0).first()
        if form.is_valid():
            if network is None:
                form.add_error(None, _("Kies het netwerk van de bijeenkomst."))
            else:
                try:
                    meeting = meeting_service.plan_meeting(request.user, network, **form.cleaned_data)
                except ValidationError as error:
                    errors_to(form, error)
                else:
                    return HttpResponseRedirect(reverse("samenwerken:sw_meeting_detail", args=[meeting.pk]))
        return self.render_to_response(self.get_context_data(form=form, chosen=network), status=400)


class MeetingDetailView(PolicyMixin, TemplateView):
    capability = "meeting.view"
    template_name = "samenwerken/meeting_detail.html"

    def meeting(self):
        return visible_or_denied(self.request.user, Meeting, self.kwargs["pk"],
                                 policy.visible(self.request.user, Meeting).select_related("network__wijk"))

    def get_context_data(self, **kwargs):
        user = self.request.user
        meeting = self.meeting()
        sections = []
        for entry in registry.by_order(registry.meeting_sections):
            if entry.capability and not policy.can(user, entry.capability):
                continue
            context = entry.context(meeting, user)
            if context is not None:
                sections.append({"template": entry.template, "context": context})
        can_edit = policy.can(user, "meeting.manage", meeting)
        return {**super().get_context_data(**kwargs), "meeting": meeting, "can_edit": can_edit,
                "points": meeting.action_points.select_related("owner"), "sections": sections,
                "attendees": meeting.attendees.select_related("organisation"),
                "minutes_form": kwargs.get("minutes_form") or forms.MinutesForm(
                    network=meeting.network, initial={"minutes": meeting.minutes, "decisions": meeting.decisions,
                                                      "attendees": list(meeting.attendees.all())}),
                "point_form": kwargs.get("point_form") or forms.ActionPointForm(gemeente=meeting.network.gemeente)}

    def post(self, request, *args, **kwargs):
        meeting = self.meeting()
        if not policy.can(request.user, "meeting.manage", meeting):
            return HttpResponse(status=403)
        if "title" in request.POST:
            form = forms.ActionPointForm(request.POST, gemeente=meeting.network.gemeente)
            if form.is_valid():
                try:
                    meeting_service.add_action_point(request.user, meeting, **form.cleaned_data)
                    return HttpResponseRedirect(request.path)
                except ValidationError as error:
                    errors_to(form, error)
            return self.render_to_response(self.get_context_data(point_form=form), status=400)
        form = forms.MinutesForm(request.POST, network=meeting.network)
        if form.is_valid():
            try:
                meeting_service.record_meeting(request.user, meeting, **form.cleaned_data)
                return HttpResponseRedirect(request.path)
            except ValidationError as error:
                errors_to(form, error)
        return self.render_to_response(self.get_context_data(minutes_form=form), status=400)


class ActionPointDoneView(PolicyMixin, View):
    capability = "meeting.view"

    def post(self, request, pk):
        point = visible_or_denied(request.user, ActionPoint, pk)
        meeting_service.mark_done(request.user, point)
        return HttpResponseRedirect(request.POST.get("next") if str(request.POST.get("next", "")).startswith("/")
                                    else reverse("samenwerken:meeting_list"))


# --- agenda -----------------------------------------------------------------------------------------

class AgendaView(PolicyMixin, TemplateView):
    capability = "agenda.manage"
    template_name = "samenwerken/agenda.html"

    def get_context_data(self, **kwargs):
        agenda = agenda_service.current_agenda(self.request.user)
        data = agenda_service.overview(self.request.user, agenda) if agenda else None
        return {**super().get_context_data(**kwargs), "data": data}


class ActionFormView(PolicyMixin, TemplateView):
    capability = "agenda.manage"
    template_name = "samenwerken/action_form.html"

    def action(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(policy.visible(self.request.user, Action), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        action = self.action()
        form = kwargs.get("form") or forms.ActionForm(instance=action, gemeente=self.request.user.gemeente)
        return {**super().get_context_data(**kwargs), "form": form, "action": action}

    def post(self, request, *args, **kwargs):
        action = self.action()
        agenda = action.agenda if action else agenda_service.current_agenda(request.user)
        if agenda is None:
            raise Http404
        form = forms.ActionForm(request.POST, instance=action, gemeente=request.user.gemeente)
        if form.is_valid():
            data = {name: form.cleaned_data.get(name) for name in agenda_service.ACTION_FIELDS}
            try:
                saved = agenda_service.save_action(request.user, agenda, data, action=action,
                                                   executors=form.cleaned_data.get("executors"))
                return HttpResponseRedirect(reverse("samenwerken:sw_action_detail", args=[saved.pk]))
            except ValidationError as error:
                errors_to(form, error)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ActionDetailView(PolicyMixin, TemplateView):
    capability = "agenda.manage"
    template_name = "samenwerken/action_detail.html"

    def action(self):
        return get_object_or_404(policy.visible(self.request.user, Action).select_related("trekker", "wijk", "agenda"),
                                 pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        user = self.request.user
        action = self.action()
        return {**super().get_context_data(**kwargs), "action": action,
                "progress": agenda_service.progress_of(action, user),
                "milestones": action.milestones.all(), "notes": action.notes.select_related("author"),
                "lines": action.budget_lines.all(),
                "changes": ChangeRecord.objects.filter(action=action).select_related("changed_by")[:30],
                "steps": workflow.WORKFLOW.available(action, user),
                "milestone_form": kwargs.get("milestone_form") or forms.MilestoneForm(),
                "note_form": kwargs.get("note_form") or forms.NoteForm(),
                "step_form": kwargs.get("step_form") or forms.StepForm(),
                "indicator_form": kwargs.get("indicator_form") or forms.IndicatorForm(gemeente=action.agenda.gemeente),
                "campaign": action.campaign.select_related("wijk")}

    def post(self, request, *args, **kwargs):
        action = self.action()
        what = request.POST.get("form")
        try:
            if what == "step":
                form = forms.StepForm(request.POST)
                key = "step_form"
                if form.is_valid():
                    agenda_service.step(request.user, action, form.cleaned_data["step"], form.cleaned_data["reason"])
                    return HttpResponseRedirect(request.path)
            elif what == "indicator":
                form, key = forms.IndicatorForm(request.POST, gemeente=action.agenda.gemeente), "indicator_form"
                if form.is_valid():
                    data = dict(form.cleaned_data)
                    source, code = data.pop("indicator").split("|", 1)
                    agenda_service.link_indicator(request.user, action, source=source, code=code, **data)
                    return HttpResponseRedirect(request.path)
            elif what == "note":
                form, key = forms.NoteForm(request.POST), "note_form"
                if form.is_valid():
                    agenda_service.add_note(request.user, action, form.cleaned_data["text"])
                    return HttpResponseRedirect(request.path)
            else:
                form, key = forms.MilestoneForm(request.POST), "milestone_form"
                if form.is_valid():
                    data = dict(form.cleaned_data)
                    pk = data.pop("milestone")
                    existing = action.milestones.filter(pk=pk).first() if pk else None
                    agenda_service.save_milestone(request.user, action, milestone=existing, **data)
                    return HttpResponseRedirect(request.path)
        except ValidationError as error:
            errors_to(form, error)
        return self.render_to_response(self.get_context_data(**{key: form}), status=400)


# --- budget -----------------------------------------------------------------------------------------

def _year(request) -> int:
    try:
        return int(request.GET.get("jaar") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


class BudgetView(PolicyMixin, TemplateView):
    capability = "agenda.manage"
    template_name = "samenwerken/budget.html"

    def get_context_data(self, **kwargs):
        year = kwargs.get("year") or _year(self.request)
        agenda = agenda_service.current_agenda(self.request.user)
        actions = policy.visible(self.request.user, Action)
        return {**super().get_context_data(**kwargs), "year": year, "agenda": agenda,
                "years": range(agenda.start_year, agenda.end_year + 1) if agenda else [],
                "data": budget_service.year_totals(self.request.user.gemeente, year), "euro": budget_service.euro,
                "line_form": kwargs.get("line_form") or forms.BudgetLineForm(actions=actions, initial={"year": year}),
                "year_form": kwargs.get("year_form") or forms.BudgetYearForm(prefix="jaar", initial=_year_initial(
                    self.request.user.gemeente, year))}

    def post(self, request, *args, **kwargs):
        if "jaar-available" in request.POST:
            year = _year(request)
            form = forms.BudgetYearForm(request.POST, prefix="jaar")
            if form.is_valid():
                try:
                    budget_service.set_year(request.user, request.user.gemeente, year, **form.cleaned_data)
                    return HttpResponseRedirect(reverse("samenwerken:budget") + f"?jaar={year}")
                except ValidationError as error:
                    errors_to(form, error)
            return self.render_to_response(self.get_context_data(year_form=form, year=year), status=400)
        form = forms.BudgetLineForm(request.POST, actions=policy.visible(request.user, Action))
        if form.is_valid():
            data = dict(form.cleaned_data)
            action = data.pop("action")
            try:
                line = budget_service.save_line(request.user, action, **data)
                return HttpResponseRedirect(reverse("samenwerken:budget") + f"?jaar={line.year}")
            except ValidationError as error:
                errors_to(form, error)
        return self.render_to_response(self.get_context_data(line_form=form), status=400)


def _year_initial(gemeente, year) -> dict:
    row = BudgetYear.objects.filter(gemeente=gemeente, year=year).first()
    return {"available": row.available, "closed": row.closed} if row else {}


class BudgetExportView(PolicyMixin, View):
    capability = "agenda.manage"

    def get(self, request):
        year = _year(request)
        response = HttpResponse(budget_service.xlsx(request.user.gemeente, year),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="budget-{year}.xlsx"'
        return response


class BookingView(PolicyMixin, TemplateView):
    capability = "agenda.manage"
    template_name = "samenwerken/booking.html"

    def line(self):
        return get_object_or_404(policy.visible(self.request.user, BudgetLine).select_related("action"),
                                 pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        line = self.line()
        return {**super().get_context_data(**kwargs), "line": line, "euro": budget_service.euro,
                "spent": budget_service.booked(line, "uitgave"),
                "committed": budget_service.booked(line, "verplichting"),
                "entries": line.entries.all(), "form": kwargs.get("form") or forms.BookingForm(),
                "change_form": kwargs.get("change_form") or forms.ChangeBudgetForm(
                    prefix="wijzig", initial={"changed_amount": line.changed_amount})}

    def post(self, request, *args, **kwargs):
        line = self.line()
        if "wijzig-changed_amount" in request.POST:
            form = forms.ChangeBudgetForm(request.POST, prefix="wijzig")
            if form.is_valid():
                try:
                    budget_service.save_line(request.user, line.action, year=line.year,
                                             funding_source=line.funding_source, description=line.description,
                                             initial_amount=line.initial_amount,
                                             changed_amount=form.cleaned_data["changed_amount"], line=line)
                    return HttpResponseRedirect(request.path)
                except ValidationError as error:
                    errors_to(form, error)
            return self.render_to_response(self.get_context_data(change_form=form), status=400)
        form = forms.BookingForm(request.POST)
        if form.is_valid():
            try:
                budget_service.book(request.user, line, **form.cleaned_data)
                return HttpResponseRedirect(reverse("samenwerken:budget") + f"?jaar={line.year}")
            except ValidationError as error:
                errors_to(form, error)
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- self-assessment ------------------------------------------------------------------------------

class AssessmentView(PolicyMixin, TemplateView):
    capability = "agenda.manage"
    template_name = "samenwerken/assessment.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        year = _year(self.request)
        assessment = assessment_service.for_year(user, year)
        proposals = assessment_service.proposals(user.gemeente, year)
        initial = {"share_with_others": assessment.share_with_others} if assessment else {}
        for answer in (assessment.answers.all() if assessment else []):
            initial[f"q_{answer.question}"], initial[f"n_{answer.question}"] = answer.answer, answer.note
        form = kwargs.get("form") or forms.AssessmentForm(proposals=proposals, initial=initial)
        pillars = [{"label": label, "fields": [(form[f"q_{q.key}"], form[f"n_{q.key}"]) for q in benchmark.QUESTIONS
                                               if q.pillar == key]} for key, label in benchmark.PILLARS.items()]
        return {**super().get_context_data(**kwargs), "year": year, "form": form, "pillars": pillars,
                "comparison": assessment_service.comparison(assessment, year), "source": benchmark.SOURCE,
                "saved": assessment}

    def post(self, request, *args, **kwargs):
        year = _year(request)
        form = forms.AssessmentForm(request.POST, proposals=assessment_service.proposals(request.user.gemeente, year))
        if form.is_valid():
            answers = {q.key: {"answer": form.cleaned_data[f"q_{q.key}"], "note": form.cleaned_data[f"n_{q.key}"]}
                       for q in benchmark.QUESTIONS}
            try:
                assessment_service.save(request.user, year, answers,
                                        share_with_others=form.cleaned_data["share_with_others"])
                return HttpResponseRedirect(reverse("samenwerken:assessment") + f"?jaar={year}")
            except ValidationError as error:
                for key, messages in error.message_dict.items():
                    form.add_error(f"q_{key}" if f"q_{key}" in form.fields else None, messages)
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- council report -------------------------------------------------------------------------------

class ReportView(PolicyMixin, TemplateView):
    capability = "agenda.manage"
    template_name = "samenwerken/report.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        year = _year(self.request)
        report = report_service.get_or_start(user, year)
        context = {**super().get_context_data(**kwargs), "year": year, "report": report,
                   "form": kwargs.get("form") or forms.ReportForm(instance=report), "versions": report.versions.all()}
        try:
            context["document"] = report_service.render_html(report, report_service.figures(user, year),
                                                             standalone=False)
        except ValidationError as error:
            context["figure_error"] = " ".join(error.messages)
        return context

    def post(self, request, *args, **kwargs):
        year = _year(request)
        report = report_service.get_or_start(request.user, year)
        form = forms.ReportForm(request.POST, instance=report)
        if form.is_valid():
            try:
                report_service.save_texts(request.user, report, {
                    name: request.POST.get(name, "") for name in report_service.TEXT_FIELDS})
                if "freeze" in request.POST:
                    report_service.freeze(request.user, report)
                return HttpResponseRedirect(reverse("samenwerken:report") + f"?jaar={year}")
            except ValidationError as error:
                errors_to(form, error)
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ReportPdfView(PolicyMixin, View):
    capability = "agenda.manage"

    def get(self, request):
        year = _year(request)
        report = report_service.get_or_start(request.user, year)
        try:
            html = report_service.render_html(report, report_service.figures(request.user, year), standalone=True)
        except ValidationError as error:
            return HttpResponse(" ".join(error.messages), status=409, content_type="text/plain; charset=utf-8")
        return _pdf(report_service.render_pdf(html), f"voortgangsrapportage-{year}.pdf")


class FrozenPdfView(PolicyMixin, View):
    capability = "agenda.manage"

    def get(self, request, pk):
        version = get_object_or_404(policy.visible(request.user, ReportVersion).select_related("report"), pk=pk)
        return _pdf(bytes(version.pdf), f"voortgangsrapportage-{version.report.year}-v{version.number}.pdf")


# --- campaign ---------------------------------------------------------------------------------------

class CampaignView(PolicyMixin, TemplateView):
    """The campaign moments of *Samen is leuker!* (posters, cards, screens, pavement, social media, press),
    and a form to add one."""

    capability = "agenda.manage"
    template_name = "samenwerken/campaign.html"

    def form(self, data=None):
        from samen.core.models import Wijk

        user = self.request.user
        initial = {"action": self.request.GET.get("actie")}
        return forms.CampaignMomentForm(data, initial=initial, wijken=policy.visible(user, Wijk),
                                        actions=campaign_service.actions_for(user))

    def get_context_data(self, **kwargs):
        moments = campaign_service.moments(self.request.user)
        return {**super().get_context_data(**kwargs), "moments": moments,
                "total_reach": sum(m.reach or 0 for m in moments), "form": kwargs.get("form") or self.form()}

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                campaign_service.add_moment(request.user, **form.cleaned_data)
            except ValidationError as error:
                errors_to(form, error)
            else:
                return HttpResponseRedirect(reverse("samenwerken:campaign"))
        return self.render_to_response(self.get_context_data(form=form), status=400)
