"""The trajectory screens (part traject): the trajectory page with its timeline, steps, reassignment,
contact attempts, notes, consent, profile and measurements; starting a trajectory for a resident; "Mijn
inwoners"; the regisseur's oversight; the searchable trajectory list; the settings. Thin: the services
decide, the views show and log what they show (purpose ondersteuning)."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from samen.core import policy
from samen.core.models import Resident, Wijk
from samen.core.views.mixins import PolicyMixin
from samen.core.views.pages import record_panels
from samen.ondersteunen import traject_forms as forms
from samen.ondersteunen import workflow
from samen.ondersteunen.models import ConsentEvent, ConsentPurpose, Measurement, SupportSettings, Trajectory
from samen.ondersteunen.services import caseload, charts, contacts, profiles, trajectories
from samen.ondersteunen.services import consent as consent_service
from samen.ondersteunen.services import measurements as measurement_service
from samen.ondersteunen.services import settings as settings_service
from samen.ondersteunen.workflow import TrajectoryDecision, TrajectoryStatus

PAGE_SIZE = 25


def apply_errors(form, exc: ValidationError) -> None:
    for field, errors in (exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]):
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def timeline(trajectory: Trajectory, measurements=None, consent_history=None) -> list[dict]:
    """Everything that happened on the trajectory, newest first: steps, attempts, notes, measurements,
    referrals (and their steps), check-ins and consent (``measurements`` and the resident's
    ``consent_history``: the page's own lists, when it has read them)."""
    labels = dict(TrajectoryStatus.choices)
    rows = []
    for event in trajectories.rows(trajectory, "events"):
        if event.kind == event.Kind.TRANSITION:
            text = _("%(from)s → %(to)s") % {"from": labels.get(event.from_status, event.from_status),
                                             "to": labels.get(event.to_status, event.to_status)}
        elif event.kind == event.Kind.STARTED:
            text = _("traject gestart")
        else:
            text = event.get_kind_display()
        rows.append({"at": event.at, "kind": _("Stap") if event.kind == event.Kind.TRANSITION else _("Traject"),
                     "text": text, "detail": event.reason, "by": event.by_label})
    for attempt in trajectories.rows(trajectory, "contact_attempts"):
        rows.append({"at": attempt.at, "kind": _("Contactpoging"),
                     "text": f"{attempt.get_method_display()}: {attempt.get_outcome_display()}",
                     "detail": attempt.note, "by": trajectories.actor_label(attempt.by) if attempt.by else ""})
    for note in trajectories.rows(trajectory, "notes"):
        rows.append({"at": note.at, "kind": _("Notitie"), "text": "", "detail": note.text,
                     "by": trajectories.actor_label(note.by) if note.by else ""})
    for m in trajectories.rows(trajectory, "measurements") if measurements is None else measurements:
        rows.append({"at": _midnight(m.measured_on), "kind": _("Meting"),
                     "text": f"{m.get_scale_display()}: {m.score} ({m.category})", "detail": m.get_moment_display(),
                     "by": ""})
    for referral in trajectories.rows(trajectory, "referrals"):
        for event in referral.events.all():
            rows.append({"at": event.at, "kind": _("Verwijzing"),
                         "text": f"{referral.target_label}: {workflow.ReferralStatus(event.to_status).label}",
                         "detail": event.reason, "by": event.by_label})
        if not referral.events.all():
            rows.append({"at": referral.created_at, "kind": _("Verwijzing"),
                         "text": f"{referral.target_label}: {referral.get_status_display()}", "detail": "", "by": ""})
    for checkin in trajectories.rows(trajectory, "checkins"):
        at = checkin.done_at or _midnight(checkin.due_on)
        rows.append({"at": at, "kind": _("Nazorg"),
                     "text": _("nazorgmoment %(days)s dagen: %(status)s") % {"days": checkin.offset_days,
                                                                           "status": checkin.get_status_display()},
                     "detail": checkin.worry_text, "by": ""})
    consent = trajectory.consent_events.all() if consent_history is None else [
        event for event in consent_history if event.trajectory_id == trajectory.pk]
    for event in consent:
        rows.append({"at": event.at, "kind": _("Toestemming"),
                     "text": f"{event.get_purpose_display()}: {_('gegeven') if event.given else _('ingetrokken')}",
                     "detail": event.note, "by": event.by_label})
    return sorted(rows, key=lambda row: row["at"], reverse=True)


def step_rows(trajectory: Trajectory, user, not_reached: dict | None = None) -> list[dict]:
    """The steps this user may take now, with the fields each one needs (``not_reached``: the page's own
    ``contacts.not_reached_status``, when it has it already)."""
    rows = []
    for transition in workflow.TRAJECTORY.available(trajectory, user):
        row = {"decision": transition.name, "label": transition.label,
               "needs_reason": "reason" in transition.requires,
               "needs_closing_reason": "closing_reason" in transition.requires, "disabled": ""}
        if transition.name == TrajectoryDecision.NOT_REACHED:
            not_reached = not_reached or contacts.not_reached_status(trajectory)
            if not not_reached["allowed"]:
                row["disabled"] = _("Kan pas na %(n)s pogingen op %(d)s verschillende dagen.") % {
                    "n": not_reached["needed_attempts"], "d": not_reached["needed_days"]}
        rows.append(row)
    return rows


class _TrajectoryView(PolicyMixin, TemplateView):
    capability = "trajectory.view"

    def trajectory(self) -> Trajectory:
        if not hasattr(self, "_trajectory"):
            try:
                self._trajectory = trajectories.read(self.request.user, self.kwargs["pk"], route=self.route_name())
            except Trajectory.DoesNotExist:
                raise Http404 from None
        return self._trajectory


class TrajectoryDetailView(_TrajectoryView):
    template_name = "ondersteunen/traject/trajectory_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        trajectory = trajectories.prefetch_rows(self.trajectory(), user)
        can_work = policy.can(user, workflow.WORK, trajectory)
        profile = profiles.profile_of(trajectory)
        measurements = trajectories.rows(trajectory, "measurements")
        resident_id = trajectory.resident_id
        consent_history = list(ConsentEvent.objects.filter(resident_id=resident_id).order_by("-at", "-id")) \
            if resident_id else []
        consent_now = consent_service.current_of(consent_history)
        consent_rows = [{"purpose": label, "given": consent_now[value]} for value, label in ConsentPurpose.choices]
        not_reached = contacts.not_reached_status(trajectory)
        workers = caseload.workers_of(user).exclude(pk=trajectory.worker_id)
        return {
            **super().get_context_data(**kwargs), "trajectory": trajectory, "resident": trajectory.resident,
            "can_work": can_work and trajectory.is_open,
            "resident_visible": bool(resident_id) and policy.can(user, "resident.view", trajectory.resident),
            "overdue": trajectories.first_contact_overdue(trajectory),
            "timeline": timeline(trajectory, measurements, consent_history),
            "steps": step_rows(trajectory, user, not_reached) if can_work else [],
            "step_form": kwargs.get("step_form") or forms.StepForm(),
            "reassign_form": kwargs.get("reassign_form") or (forms.ReassignForm(workers=workers) if can_work
                                                             else None),
            "attempt_form": kwargs.get("attempt_form") or forms.ContactAttemptForm(),
            "note_form": kwargs.get("note_form") or forms.NoteForm(),
            "consent_form": kwargs.get("consent_form") or forms.ConsentForm(),
            "consent_rows": consent_rows,
            "consent_history": consent_history,
            "not_reached": not_reached,
            "profile": profile, "health_rows": profiles.health_rows(profile) if profile else [],
            "spider_svg": charts.spider_svg(profile.health) if profile and profile.health else "",
            "measurements": measurements,
            "measurement_svg": charts.measurement_svg(measurements) if len(measurements) > 1 else "",
            "reporter_contact": _reported_contact(trajectory),
            # What the other parts add (matching, referrals and aftercare, case consultation).
            "sections": record_panels(user, trajectory),
        }


def _reported_contact(trajectory: Trajectory) -> list[dict]:
    from samen.vinden.services.signals import reported_rows

    return reported_rows(trajectory.signal) if trajectory.signal_id and trajectory.signal.resident_id else []


class _TrajectoryActionView(TrajectoryDetailView):
    """A POST on the trajectory page: on success back to the page, on error the page with the errors (400)."""

    form_name = ""

    def get(self, request, *args, **kwargs):
        return redirect("ondersteunen:trajectory_detail", pk=kwargs["pk"])

    def make_form(self, data):
        raise NotImplementedError

    def save(self, form):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        trajectory = self.trajectory()
        if not policy.can(request.user, workflow.WORK, trajectory):
            raise PermissionDenied
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                message = self.save(form)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect("ondersteunen:trajectory_detail", pk=trajectory.pk)
        return self.render_to_response(self.get_context_data(**{self.form_name: form}), status=400)


class TrajectoryStepView(_TrajectoryActionView):
    form_name = "step_form"

    def make_form(self, data):
        return forms.StepForm(data)

    def save(self, form):
        data = form.cleaned_data
        trajectories.step(self.request.user, self.trajectory().pk, data["decision"], reason=data["reason"],
                          closing_reason=data["closing_reason"])
        return _("De stap is vastgelegd.")


class TrajectoryReassignView(_TrajectoryActionView):
    form_name = "reassign_form"

    def make_form(self, data):
        return forms.ReassignForm(data, workers=caseload.workers_of(self.request.user))

    def save(self, form):
        trajectories.reassign(self.request.user, self.trajectory().pk, form.cleaned_data["worker"],
                              reason=form.cleaned_data["reason"])
        return _("Het traject is overgedragen.")


class TrajectoryAttemptView(_TrajectoryActionView):
    form_name = "attempt_form"

    def make_form(self, data):
        return forms.ContactAttemptForm(data)

    def save(self, form):
        data = form.cleaned_data
        attempt = contacts.record_attempt(self.request.user, self.trajectory().pk, method=data["method"],
                                          outcome=data["outcome"], at=data["at"], note=data["note"])
        if attempt.outcome == attempt.Outcome.REACHED:
            return _("Contactpoging vastgelegd: de inwoner is bereikt.")
        return _("Contactpoging vastgelegd.")


class TrajectoryNoteView(_TrajectoryActionView):
    form_name = "note_form"

    def make_form(self, data):
        return forms.NoteForm(data)

    def save(self, form):
        contacts.add_note(self.request.user, self.trajectory().pk, form.cleaned_data["text"])
        return _("De notitie is opgeslagen.")


class TrajectoryConsentView(_TrajectoryActionView):
    form_name = "consent_form"

    def make_form(self, data):
        return forms.ConsentForm(data)

    def save(self, form):
        trajectory = self.trajectory()
        if trajectory.resident is None:
            raise ValidationError({"purpose": [_("Bij dit traject is geen inwoner bekend.")]})
        data = form.cleaned_data
        consent_service.record(self.request.user, trajectory.resident, data["purpose"], data["given"],
                               how=data["how"], trajectory=trajectory, note=data["note"])
        return _("De toestemming is vastgelegd.")


class TrajectoryProfileView(_TrajectoryView):
    template_name = "ondersteunen/traject/profile_form.html"

    def initial(self, profile):
        if profile is None:
            return {}
        initial = {name: getattr(profile, name) for name in (
            "good_at", "enjoys", "would_like_to_give", "wants_to_volunteer", "interests", "barriers", "languages",
            "availability", "loneliness_kinds", "online_ok", "free_only")}
        initial.update({f"health_{d}": s for d, s in profile.health.items()})
        return initial

    def get_context_data(self, **kwargs):
        trajectory = self.trajectory()
        if not policy.can(self.request.user, workflow.WORK, trajectory):
            raise PermissionDenied
        form = kwargs.get("form") or forms.ProfileForm(initial=self.initial(profiles.profile_of(trajectory)))
        availability = {o.data["value"]: o for o in form["availability"]}
        grid = [{"day": forms.WEEKDAYS[day], "cells": [availability[f"{day}:{part}"] for part in
                                                        ("morning", "afternoon", "evening")]} for day in range(7)]
        return {**super().get_context_data(**kwargs), "trajectory": trajectory, "form": form, "grid": grid}

    def post(self, request, *args, **kwargs):
        trajectory = self.trajectory()
        if not policy.can(request.user, workflow.WORK, trajectory):
            raise PermissionDenied
        form = forms.ProfileForm(request.POST)
        if form.is_valid():
            try:
                profiles.save(request.user, trajectory.pk, form.profile_data())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Het krachtenprofiel is opgeslagen."))
                return redirect("ondersteunen:trajectory_detail", pk=trajectory.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TrajectoryMeasurementView(_TrajectoryView):
    template_name = "ondersteunen/traject/measurement_form.html"

    def scale(self):
        scale = self.request.GET.get("schaal") or self.request.POST.get("scale") or Measurement.Scale.DJG6
        return scale if scale in Measurement.Scale.values else Measurement.Scale.DJG6

    def get_context_data(self, **kwargs):
        trajectory = self.trajectory()
        if not policy.can(self.request.user, workflow.WORK, trajectory):
            raise PermissionDenied
        scale = self.scale()
        first = not trajectory.measurements.exists()
        form = kwargs.get("form") or forms.MeasurementForm(scale=scale, initial={
            "moment": Measurement.Moment.START if first else Measurement.Moment.OTHER})
        return {**super().get_context_data(**kwargs), "trajectory": trajectory, "form": form, "scale": scale,
                "scales": Measurement.Scale.choices,
                "item_fields": [f for f in form if f.name.startswith("item_")],
                "scale_label": Measurement.Scale(scale).label}

    def post(self, request, *args, **kwargs):
        trajectory = self.trajectory()
        if not policy.can(request.user, workflow.WORK, trajectory):
            raise PermissionDenied
        form = forms.MeasurementForm(request.POST, scale=self.scale())
        if form.is_valid():
            try:
                measurement = measurement_service.record(
                    request.user, trajectory, scale=form.scale, answers=form.answers(),
                    moment=form.cleaned_data["moment"], measured_on=form.cleaned_data["measured_on"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("De meting is opgeslagen: score %(score)s (%(category)s).")
                                 % {"score": measurement.score, "category": measurement.category})
                return redirect("ondersteunen:trajectory_detail", pk=trajectory.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ResidentStartView(PolicyMixin, TemplateView):
    """Start a trajectory directly for a resident (a social worker or the regisseur)."""

    capability = "trajectory.work"
    template_name = "ondersteunen/traject/start_form.html"

    def resident(self) -> Resident:
        from samen.core.models import Purpose
        from samen.core.services import residents

        try:
            return residents.view_resident(self.request.user, self.kwargs["pk"], purpose=Purpose.ONDERSTEUNING,
                                           route=self.route_name())
        except Resident.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs):
        user = self.request.user
        resident = kwargs.get("resident") or self.resident()
        form = kwargs.get("form") or forms.StartForm(workers=caseload.workers_of(user), initial={"worker": user.pk})
        return {**super().get_context_data(**kwargs), "resident": resident, "form": form}

    def post(self, request, *args, **kwargs):
        resident = self.resident()
        form = forms.StartForm(request.POST, workers=caseload.workers_of(request.user))
        if form.is_valid():
            try:
                trajectory = trajectories.start_for_resident(request.user, resident, worker=form.cleaned_data["worker"],
                                                             goal=form.cleaned_data["goal"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Het traject is gestart."))
                return redirect("ondersteunen:trajectory_detail", pk=trajectory.pk)
        return self.render_to_response(self.get_context_data(form=form, resident=resident), status=400)


class MyResidentsView(PolicyMixin, TemplateView):
    """"Mijn inwoners": the social worker's own trajectories that need something."""

    capability = "trajectory.work"
    template_name = "ondersteunen/traject/my_residents.html"

    def get_context_data(self, **kwargs):
        lists = caseload.my_residents(self.request.user)
        shown = {t.pk: t for key in ("due_today", "overdue", "open", "no_contact") for t in lists[key]}
        shown.update({r.trajectory_id: r.trajectory for r in lists["waiting"] + lists["answered"]})
        shown.update({c.trajectory_id: c.trajectory for c in lists["aftercare"]})
        trajectories.log_read(self.request.user, shown.values(), route=self.route_name())
        return {**super().get_context_data(**kwargs), **lists, "today": timezone.localdate()}


class OversightView(PolicyMixin, TemplateView):
    capability = "trajectory.oversee"
    template_name = "ondersteunen/traject/oversight.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **caseload.oversight(self.request.user)}


class TrajectoryListView(PolicyMixin, TemplateView):
    """All trajectories the user may see, searched and filtered on the server, 25 a page."""

    capability = "trajectory.view"
    template_name = "ondersteunen/traject/trajectory_list.html"

    def get_context_data(self, **kwargs):
        from samen.vinden.models import Channel

        params = self.request.GET
        page = Paginator(caseload.search(self.request.user, params), PAGE_SIZE).get_page(params.get("pagina"))
        trajectories.log_read(self.request.user, page.object_list, route=self.route_name())
        today = timezone.localdate()
        rows = [{"trajectory": t, "overdue": trajectories.first_contact_overdue(t, today)} for t in page.object_list]
        query = urlencode({k: params.get(k) for k in caseload.FILTERS if params.get(k)})
        return {**super().get_context_data(**kwargs), "rows": rows, "page": page, "query": query,
                "filters": {k: params.get(k, "") for k in caseload.FILTERS},
                "wijken": policy.visible(self.request.user, Wijk).order_by("code"),
                "statuses": TrajectoryStatus.choices, "channels": Channel.choices,
                "workers": caseload.workers_of(self.request.user)}


class SettingsView(PolicyMixin, TemplateView):
    capability = "trajectory.settings"
    template_name = "ondersteunen/traject/settings_form.html"

    def form(self, data=None):
        settings = settings_service.current(self.request.user.gemeente_id)
        fields = {f.name: f for f in SupportSettings._meta.get_fields() if hasattr(f, "verbose_name")}
        initial = {name: getattr(settings, name) for name in forms.SettingsForm.NUMBER_FIELDS}
        initial["aftercare_days"] = ", ".join(str(d) for d in settings.aftercare_days)
        initial.update({f"weight_{factor}": settings.weights.get(factor, default)
                        for factor, (default, _label) in forms.FACTORS.items()})
        return forms.SettingsForm(data, initial=initial, model_fields=fields)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "form": kwargs.get("form") or self.form()}

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in (*forms.SettingsForm.NUMBER_FIELDS, "aftercare_days")}
            data["weights"] = {factor: float(form.cleaned_data[f"weight_{factor}"]) for factor in forms.FACTORS}
            try:
                settings_service.update(request.user, data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("De instellingen zijn opgeslagen."))
                return redirect("ondersteunen:settings")
        return self.render_to_response(self.get_context_data(form=form), status=400)

