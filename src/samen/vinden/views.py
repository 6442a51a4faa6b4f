"""Signal screens: intake forms (staff, volunteer, public), the network's list, the central queue,
triage, the reporter's status list and counts for the policy advisor."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from samen.core import formtoken, listing, policy, registry
from samen.core.models import Organisation, Wijk
from samen.core.views.mixins import PolicyMixin
from samen.vinden import scopes, workflow
from samen.vinden.forms import (
    ConcernForm,
    SelfForm,
    SignalFilterForm,
    StaffSignalForm,
    TriageForm,
    VolunteerSignalForm,
)
from samen.vinden.models import Channel, Signal
from samen.vinden.queries import filter_signals
from samen.vinden.reads import log_signals_read
from samen.vinden.services import signals as service

PUBLIC_LIMIT = 5  # submissions per address per hour


THANKS_SALT = "samen.vinden.thanks"
THANKS_PARAM = "ontvangen"


def _apply_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _typed(form_class, data) -> dict:
    """What was posted, as initial values of a fresh form (to show it again without error messages)."""
    from django import forms

    return {name: data.getlist(name) if isinstance(field, forms.MultipleChoiceField) else data.get(name)
            for name, field in form_class.base_fields.items() if name in data}


class _IntakeView(View):
    """An intake form: post/redirect/get with a one-time token (samen.core.formtoken). The token is the
    idempotency key of the signal, so a refresh or a second send of the same page stores nothing new and
    leads to the same thank-you page; that page shows the signal's reference (kenmerk) and what happens next."""

    form_class = StaffSignalForm
    template_name = "vinden/signal_form.html"
    channel = Channel.STAFF
    title = ""
    public = False

    def context(self, form, **extra):
        return {"form": form, "title": self.title, "acute": service.acute_guidance(),
                "form_token": extra.pop("form_token", None) or formtoken.issue(), **extra}

    def gemeente(self, request):
        return request.user.gemeente

    def get(self, request):
        signed = request.GET.get(THANKS_PARAM)
        if signed is not None:
            return self.thanks(request, formtoken.unsign_reference(signed, THANKS_SALT))
        return render(request, self.template_name, self.context(self.form_class()))

    def thanks(self, request, reference: str | None):
        from django.utils.cache import add_never_cache_headers

        gemeente = self.gemeente(request)
        response = render(request, "vinden/signal_thanks.html", {
            "title": self.title, "acute": service.acute_guidance(), "public": self.public, "reference": reference,
            "triage_days": gemeente.triage_working_days if gemeente else None,
            "wants_contact": self.channel == Channel.RESIDENT_SELF})
        add_never_cache_headers(response)
        return response

    def submit(self, request, form, idempotency=None):
        return service.submit_signal(self.gemeente(request), channel=self.channel, data=form.signal_data(),
                                     reporter=request.user, idempotency=idempotency)

    def redirect_to_thanks(self, request, reference: str):
        query = request.GET.copy()
        query[THANKS_PARAM] = formtoken.sign_reference(reference, THANKS_SALT)
        return redirect(f"{request.path}?{query.urlencode()}", permanent=False)

    def scope(self, request) -> str:
        return f"form:{self.channel}:{request.user.pk if request.user.is_authenticated else 'public'}"

    def post(self, request):
        form = self.form_class(request.POST)
        try:
            key = formtoken.read(request.POST.get(formtoken.FIELD))
        except formtoken.InvalidToken:
            form = self.form_class(initial=_typed(self.form_class, request.POST))
            return render(request, self.template_name, self.context(form, expired=True), status=400)
        idempotency = (self.scope(request), key) if key else None
        if idempotency:
            first = service.first_for_key(*idempotency)
            if first is not None:  # a refresh or a second send of the same page
                return self.redirect_to_thanks(request, first.reference)
        if form.is_valid():
            try:
                submission = self.submit(request, form, idempotency)
            except ValidationError as exc:
                _apply_errors(form, exc)
            except service.IdempotencyKeyReused:  # sent again after changing it: still the first signal
                return self.redirect_to_thanks(request, service.first_for_key(*idempotency).reference)
            else:
                return self.redirect_to_thanks(request, submission.signal.reference)
        return render(request, self.template_name, self.context(form, form_token=request.POST.get(formtoken.FIELD)),
                      status=400)


class StaffIntakeView(PolicyMixin, _IntakeView):
    capability = "signal.report"
    title = _("Signaal doorgeven")


class VolunteerIntakeView(PolicyMixin, _IntakeView):
    capability = "signal.report"
    form_class = VolunteerSignalForm
    channel = Channel.VOLUNTEER
    title = _("Zorg melden")


class _PublicIntakeView(_IntakeView):
    """No login. A honeypot field catches bots; each address may send a few forms an hour (PUBLIC_LIMIT),
    counted atomically in the database (samen.core.ratelimit), so parallel posts cannot slip past it. When
    the limit is reached the page keeps what the resident typed and gives the phone number to call."""

    template_name = "vinden/public_form.html"
    public = True

    def gemeente(self, request):
        from samen.core.public import public_gemeente

        return public_gemeente(request)

    def post(self, request):
        from samen.core import ratelimit
        from samen.core.client import client_address

        if request.POST.get("website"):
            return self.thanks(request, None)
        try:
            key = formtoken.read(request.POST.get(formtoken.FIELD))
        except formtoken.InvalidToken:
            key = None  # the base class answers it
        first = service.first_for_key(self.scope(request), key) if key else None
        if first is not None:  # a refresh: not counted against the limit
            return self.redirect_to_thanks(request, first.reference)
        decision = ratelimit.sliding_hit(f"public-signal:{client_address(request)}", PUBLIC_LIMIT, 3600)
        if not decision.allowed:
            form = self.form_class(initial=_typed(self.form_class, request.POST))
            return render(request, "vinden/rate_limited.html", self.context(
                form, form_token=request.POST.get(formtoken.FIELD), gemeente=self.gemeente(request)), status=429)
        response = super().post(request)
        if response.status_code != 302:
            ratelimit.give_back(decision.key)  # only stored signals count towards the limit
        return response

    def submit(self, request, form, idempotency=None):
        from samen.core.client import client_address

        return service.submit_signal(self.gemeente(request), channel=self.channel, data=form.signal_data(),
                                     idempotency=idempotency,
                                     same_content_scope=f"form-content:{self.channel}:{client_address(request)}"[:80])


class ConcernView(_PublicIntakeView):
    form_class = ConcernForm
    channel = Channel.RESIDENT_CONCERN
    title = _("Ik maak me zorgen om iemand")


class SelfView(_PublicIntakeView):
    form_class = SelfForm
    channel = Channel.RESIDENT_SELF
    title = _("Ik wil zelf graag meer contact")


class SignalListView(PolicyMixin, TemplateView):
    """The network's signals: the open ones of the user's wijken, overdue ones first."""

    capability = "signal.view"
    template_name = "vinden/signal_list.html"
    central = False

    def get_context_data(self, **kwargs):
        user = self.request.user
        signals = policy.visible(user, Signal).select_related("wijk", "assigned_to")
        if self.central:
            signals = signals.filter(wijk__isnull=True)
        form = SignalFilterForm(self.request.GET or None, wijken=policy.visible(user, Wijk).order_by("code"),
                                central=self.central)
        filters = form.cleaned_data if form.is_valid() else {}
        signals = filter_signals(signals, filters)
        page = Paginator(listing.sort(signals, filters.get("sort", ""), SignalFilterForm.SORT), 50).get_page(
            self.request.GET.get("pagina"))
        today = timezone.localdate()
        rows = [{"signal": s, "overdue": service.is_overdue(s, today),
                 "look_again": service.is_look_again_due(s, today)} for s in page.object_list]
        return {**super().get_context_data(**kwargs), "rows": rows, "central": self.central, "form": form,
                "filters": filters, "page": page, "query": listing.querystring(self.request),
                "show": filters.get("stand") or "open"}


class CentralQueueView(SignalListView):
    capability = "signal.central_queue"
    central = True


class SignalDetailView(PolicyMixin, TemplateView):
    capability = "signal.view"
    template_name = "vinden/signal_detail.html"

    def _signal(self):
        try:
            return policy.visible(self.request.user, Signal).select_related(
                "resident", "wijk", "buurt", "network", "assigned_to", "linked_to", "maatwerk_partner").get(
                pk=self.kwargs["pk"])
        except Signal.DoesNotExist:
            raise Http404 from None

    def _form(self, signal, data=None):
        user = self.request.user
        decisions = [t.name for t in workflow.WORKFLOW.available(signal, user)]
        workers = policy.holders(user.gemeente_id, "signal.assignee")
        partners = Organisation.objects.filter(gemeente=user.gemeente_id)
        return TriageForm(data, workers=workers, partners=partners, decisions=decisions) if decisions else None

    def get_context_data(self, **kwargs):
        signal = self._signal()
        log_signals_read(self.request.user, [signal], route=self.route_name())
        from samen.core.views.pages import record_panels

        return {**super().get_context_data(**kwargs), "signal": signal,
                "sections": record_panels(self.request.user, signal),
                "form": kwargs.get("form") or (self._form(signal) if policy.can(self.request.user, "signal.triage")
                                               else None),
                "events": signal.events.all(), "overdue": service.is_overdue(signal),
                "labels": service.observation_labels(signal.observations),
                "reported": service.reported_rows(signal),
                "can_take_over": bool(signal.resident_id) and policy.can(self.request.user, "resident.change",
                                                                         signal.resident),
                "route_wijken": policy.visible(self.request.user, Wijk)
                if signal.wijk_id is None and policy.can(self.request.user, "signal.central_queue") else None}

    def post(self, request, pk):
        signal = self._signal()
        if "take_over" in request.POST:
            try:
                service.take_over_contact(request.user, signal.pk, request.POST["take_over"],
                                          route=self.route_name())
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Overgenomen in het inwonerrecord."))
            return redirect("vinden:signal_detail", pk=signal.pk)
        if "route_to" in request.POST:
            wijk = policy.visible(request.user, Wijk).filter(pk=request.POST.get("route_to") or 0).first()
            try:
                service.route_to_wijk(request.user, signal.pk, wijk)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Het signaal is naar de wijk gestuurd."))
            return redirect("vinden:signal_detail", pk=signal.pk)
        form = self._form(signal, request.POST)
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                service.triage(request.user, signal.pk, data["decision"], reason=data["reason"],
                               assign_to=data["assign_to"], partner=data["partner"],
                               look_again_on=data["look_again_on"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Het besluit is vastgelegd."))
                return redirect("vinden:signal_detail", pk=signal.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class MyReportsView(PolicyMixin, TemplateView):
    """What happened to the signals I passed on: the status only, never the content of a trajectory."""

    capability = "signal.report"
    template_name = "vinden/my_reports.html"

    def get_context_data(self, **kwargs):
        signals = list(scopes.own_reports(self.request.user).select_related("wijk"))
        # The reporter recognises the signal by date, wijk and the first words of their own description.
        rows = [{"pk": s.pk, "created_at": s.created_at, "status": workflow.REPORTER_STATUS[s.status],
                 "wijk": s.wijk.display_name if s.wijk_id else "", "first_words": first_words(s.description)}
                for s in signals]
        described = [s for s in signals if s.description]
        if described:  # the begin of a description is shown: logged (the signals only, no resident data is shown)
            from samen.core import accesslog
            from samen.core.models import AccessAction, Purpose

            accesslog.record(actor=self.request.user, action=AccessAction.VIEW, records=described,
                             purpose=Purpose.TRIAGE, route=self.route_name())
        # Blocks that carry a signal further (ondersteunen) say its later stage; never the content.
        for stage in registry.reporter_stages:
            later = stage.stages([row["pk"] for row in rows])
            for row in rows:
                row["status"] = later.get(row["pk"], row["status"])
        return {**super().get_context_data(**kwargs), "rows": rows, "intake_url": intake_url(self.request.user)}


class SignalStatsView(PolicyMixin, TemplateView):
    """Counts per wijk, channel and status: no names, no content; counts under 5 are not shown."""

    capability = "signal.stats"
    template_name = "vinden/signal_stats.html"

    def get_context_data(self, **kwargs):
        try:
            year = int(self.request.GET.get("jaar") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        counts = service.counts(self.request.user.gemeente, year)
        return {**super().get_context_data(**kwargs), "year": year, **counts}


def first_words(text: str, count: int = 6) -> str:
    words = (text or "").split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def intake_url(user) -> str:
    return reverse("vinden:volunteer_intake" if policy.can(user, "visit.report") else "vinden:staff_intake")


