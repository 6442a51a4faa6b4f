"""Screens of the warm referral: the worker's referral page (steps, maatje), the provider's page of referrals
waiting for an answer, the maatje's own visits and profile, aftercare (nazorg) and the check-in form. Thin:
every rule is in ``services.referrals``, ``services.maatje`` and ``services.aftercare``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from samen.core import accesslog, policy
from samen.core.models import AccessAction, Organisation, Purpose, User
from samen.core.views.mixins import PolicyMixin
from samen.kwaliteit.models import Activity, Intervention
from samen.ondersteunen import workflow
from samen.ondersteunen.models import CheckIn, MaatjeProfile, MaatjeVisit, Referral, Trajectory
from samen.ondersteunen.services import aftercare, maatje, referrals
from samen.ondersteunen.views.referrals_forms import (
    AnswerForm,
    CheckInForm,
    MaatjeAskForm,
    MaatjeProfileForm,
    MaatjeReportForm,
    ReferralForm,
)

T = "ondersteunen/referrals/"


def apply_errors(form, exc: ValidationError) -> None:
    for field, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _get(user, model, pk):
    try:
        return policy.visible(user, model).get(pk=pk)
    except model.DoesNotExist:
        raise Http404 from None


def _log(request, records, action=AccessAction.VIEW):
    accesslog.record(actor=request.user, action=action, records=[r for r in records if r is not None],
                     purpose=Purpose.ONDERSTEUNING, route=request.resolver_match.view_name)


# --- lists --------------------------------------------------------------------------------------------------

class ReferralListView(PolicyMixin, View):
    """For a provider: the referrals to its own organisation waiting for an answer; for social work: the open
    referrals it may see, the ones returned without an answer first."""

    capability = "referral.view"

    def get(self, request):
        user = request.user
        provider = policy.can(user, workflow.ANSWER)
        if provider:
            rows = list(referrals.waiting_for(user))
        else:
            rows = list(policy.visible(user, Referral).filter(status__in=workflow.REFERRAL_OPEN)
                        .select_related("activity", "intervention", "organisation", "trajectory")
                        .order_by("returned_at", "-created_at")[:200])
        return render(request, T + "list.html", {"rows": rows, "provider": provider})


# --- the referral -------------------------------------------------------------------------------------------

class ReferralCreateView(PolicyMixin, View):
    capability = "trajectory.work"

    def form(self, trajectory, data=None):
        gemeente = trajectory.gemeente_id
        return ReferralForm(
            data, activities=Activity.objects.filter(gemeente_id=gemeente, status=Activity.Status.PUBLISHED),
            interventions=Intervention.objects.filter(gemeente_id=gemeente),
            organisations=Organisation.objects.filter(gemeente_id=gemeente),
            initial=self.suggested())

    def suggested(self) -> dict:
        """What the matching's "Voorstellen" passes on (GET): the kind, the activity, intervention or
        organisation. Anything that is not one of this municipality's records the form refuses as usual."""
        given = self.request.GET
        kind = given.get("soort") if given.get("soort") in Referral.Kind.values else Referral.Kind.ACTIVITY
        return {"kind": kind, "activity": given.get("activiteit"), "intervention": given.get("interventie"),
                "organisation": given.get("organisatie")}

    def trajectory(self, pk):
        trajectory = _get(self.request.user, Trajectory, pk)
        if not policy.can(self.request.user, workflow.WORK, trajectory):
            raise PermissionDenied
        return trajectory

    def get(self, request, pk):
        trajectory = self.trajectory(pk)
        match = request.GET.get("match", "")
        data = _match_from(match)
        why = data if isinstance(data, dict) else None
        return render(request, T + "form.html", {"form": self.form(trajectory), "trajectory": trajectory,
                                                 "match": match, "match_data": why})

    def post(self, request, pk):
        trajectory = self.trajectory(pk)
        form = self.form(trajectory, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                referral = referrals.create(request.user, trajectory, kind=d["kind"], activity=d["activity"],
                                            intervention=d["intervention"], organisation=d["organisation"],
                                            note_for_provider=d["note_for_provider"], with_maatje=d["with_maatje"],
                                            match=_match_from(request.POST.get("match")))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("De verwijzing is voorgesteld."))
                return redirect("verwijzingen:verwijzing_detail", referral.pk)
        return render(request, T + "form.html", {"form": form, "trajectory": trajectory,
                                                 "match": request.POST.get("match", "")}, status=400)


def _match_from(raw):
    import json

    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return "invalid"


class ReferralDetailView(PolicyMixin, View):
    capability = "referral.view"

    def context(self, referral, **extra):
        user = self.request.user
        worker = policy.can(user, workflow.WORK, referral.trajectory) if policy.can(user, workflow.WORK) else False
        # The provider's answer has its own form (with the reason); the other steps are buttons.
        steps = [t for t in workflow.REFERRAL.available(referral, user)
                 if t.name not in (workflow.RD.CONFIRM, workflow.RD.REJECT)]
        context = {"referral": referral, "worker": worker, "steps": steps, "events": referral.events.all(),
                   "view": referrals.provider_view(referral),
                   "can_answer": referral.status in workflow.REFERRAL_WAITING_FOR_PROVIDER
                   and policy.can(user, workflow.ANSWER, referral)}
        if context["can_answer"]:
            context.setdefault("answer_form", extra.pop("answer_form", None) or AnswerForm())
        if worker:
            context["visits"] = referral.maatje_visits.select_related("volunteer")
            if referral.status in maatje.BEFORE_FIRST_VISIT:
                suggestions = maatje.suggest(referral)
                context["suggestions"] = suggestions
                context["ask_form"] = extra.pop("ask_form", None) or MaatjeAskForm(volunteers=_volunteer_choices(
                    suggestions))
        context.update(extra)
        return context

    def referral(self, pk):
        return _get(self.request.user, Referral, pk)

    def get(self, request, pk):
        referral = self.referral(pk)
        _log(request, [referral, referral.trajectory.resident])
        return render(request, T + "detail.html", self.context(referral))

    def post(self, request, pk):
        referral = self.referral(pk)
        decision = request.POST.get("decision", "")
        try:
            if decision in (workflow.RD.CONFIRM, workflow.RD.REJECT):
                form = AnswerForm(request.POST)
                if not form.is_valid():
                    return render(request, T + "detail.html", self.context(referral, answer_form=form), status=400)
                referrals.answer(request.user, referral.pk, decision, reason=form.cleaned_data["reason"],
                                 note=form.cleaned_data["note"])
            else:
                on = request.POST.get("on") or None
                if on:
                    from django.utils.dateparse import parse_date

                    on = parse_date(on)
                    if on is None:
                        raise ValidationError({"on": [_("Geef een geldige datum.")]})
                referrals.take(request.user, referral.pk, decision, reason=request.POST.get("reason", ""), on=on)
        except ValidationError as exc:
            return render(request, T + "detail.html",
                          self.context(referral, errors=[m for ms in exc.message_dict.values() for m in ms]),
                          status=400)
        messages.success(request, _("De stap is vastgelegd."))
        return redirect("verwijzingen:verwijzing_detail", referral.pk)


def _volunteer_choices(suggestions):
    return [(row["volunteer"].pk, "{} ({})".format(row["volunteer"].get_full_name() or row["volunteer"].username,
                                                  "; ".join(row["fits"]) or _("geen bijzondere match")))
            for row in suggestions]


class MaatjeAskView(PolicyMixin, View):
    capability = "trajectory.work"

    def post(self, request, pk):
        referral = _get(request.user, Referral, pk)
        detail = ReferralDetailView()
        detail.request = request
        suggestions = maatje.suggest(referral, limit=50)
        form = MaatjeAskForm(request.POST, volunteers=_volunteer_choices(suggestions))
        if form.is_valid():
            volunteer = User.objects.filter(pk=form.cleaned_data["volunteer"],
                                            gemeente=request.user.gemeente_id).first()
            try:
                if volunteer is None:
                    raise ValidationError({"volunteer": [_("Kies een maatje uit de lijst.")]})
                maatje.ask(request.user, referral, volunteer, meet_at=form.cleaned_data["meet_at"],
                           meet_place=form.cleaned_data["meet_place"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Het maatje is gevraagd."))
                return redirect("verwijzingen:verwijzing_detail", referral.pk)
        return render(request, T + "detail.html", detail.context(referral, ask_form=form), status=400)


# --- the maatje -------------------------------------------------------------------------------------------

class MaatjeVisitListView(PolicyMixin, View):
    capability = "referral.accompany"

    def get(self, request):
        visits = list(maatje.for_volunteer(request.user))
        return render(request, T + "maatje_list.html", {"visits": [_visit_view(v) for v in visits]})


def _visit_view(visit: MaatjeVisit) -> dict:
    """Only what the visit needs: the resident's first name, where and when."""
    resident = visit.referral.trajectory.resident
    return {"visit": visit, "first_name": referrals.first_name_of(getattr(resident, "name", "")),
            "target": visit.referral.target_label, "when": visit.meet_at, "where": visit.meet_place}


class MaatjeVisitView(PolicyMixin, View):
    capability = "maatje.view"

    def visit(self, pk):
        return _get(self.request.user, MaatjeVisit, pk)

    def render_page(self, visit, status=200, **extra):
        context = {**_visit_view(visit), "steps": workflow.MAATJE.available(visit, self.request.user),
                   "report_form": extra.pop("report_form", None) or MaatjeReportForm(), **extra}
        return render(self.request, T + "maatje_visit.html", context, status=status)

    def get(self, request, pk):
        visit = self.visit(pk)
        _log(request, [visit.referral])
        return self.render_page(visit)

    def post(self, request, pk):
        visit = self.visit(pk)
        decision = request.POST.get("decision", "")
        try:
            if decision == workflow.MD.REPORT:
                form = MaatjeReportForm(request.POST)
                if not form.is_valid():
                    return self.render_page(visit, 400, report_form=form)
                d = form.cleaned_data
                maatje.report(request.user, visit.pk, went=d["went"], how_it_went=d["how_it_went"], worry=d["worry"],
                              note=d["report_note"])
                messages.success(request, _("Dank u wel voor uw verslag."))
            else:
                maatje.respond(request.user, visit.pk, decision, reason=request.POST.get("reason", ""))
                messages.success(request, _("Uw antwoord is doorgegeven."))
        except ValidationError as exc:
            form = MaatjeReportForm(request.POST) if decision == workflow.MD.REPORT else None
            if form is not None:
                form.is_valid()
                apply_errors(form, exc)
                return self.render_page(visit, 400, report_form=form)
            return self.render_page(visit, 400, errors=[m for ms in exc.message_dict.values() for m in ms])
        return redirect("verwijzingen:maatjesbezoek", visit.pk)


class MaatjeProfileView(PolicyMixin, View):
    """The volunteer's own maatje profile; the regisseur edits a volunteer's through the ``pk`` variant."""

    capability = "referral.accompany"

    def volunteer(self, pk=None):
        return self.request.user

    def initial(self, volunteer):
        profile = MaatjeProfile.objects.filter(user=volunteer).first()
        if profile is None:
            return {"active": True, "max_per_month": 4}
        return {"active": profile.active, "interests": profile.interests, "availability": profile.availability,
                "max_per_month": profile.max_per_month}

    def get(self, request, pk=None):
        volunteer = self.volunteer(pk)
        return render(request, T + "maatje_profile.html", {"form": MaatjeProfileForm(initial=self.initial(volunteer)),
                                                            "volunteer": volunteer})

    def post(self, request, pk=None):
        volunteer = self.volunteer(pk)
        form = MaatjeProfileForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                maatje.save_profile(request.user, volunteer, interests=d["interests"], availability=d["availability"],
                                    active=d["active"], max_per_month=d["max_per_month"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Het maatjesprofiel is opgeslagen."))
                return redirect(request.path)
        return render(request, T + "maatje_profile.html", {"form": form, "volunteer": volunteer}, status=400)


class MaatjeListView(PolicyMixin, View):
    """For the regisseur: the gemeente's volunteers, with their maatje profile (or none yet)."""

    capability = "trajectory.oversee"

    def get(self, request):
        volunteers = (User.objects.filter(gemeente=request.user.gemeente_id, is_active=True,
                                          role__in=policy.roles_with(workflow.ACCOMPANY))
                      .select_related("maatje_profile").order_by("last_name", "first_name", "username"))
        return render(request, T + "maatje_overview.html", {"volunteers": volunteers})


class MaatjeProfileManageView(MaatjeProfileView):
    capability = "trajectory.oversee"

    def volunteer(self, pk=None):
        volunteer = User.objects.filter(pk=pk, gemeente=self.request.user.gemeente_id,
                                        role__in=policy.roles_with(workflow.ACCOMPANY)).first()
        if volunteer is None:
            raise Http404
        return volunteer


# --- aftercare ----------------------------------------------------------------------------------------------

class AftercareView(PolicyMixin, View):
    capability = "trajectory.view"

    def get(self, request, pk):
        trajectory = _get(request.user, Trajectory, pk)
        _log(request, [trajectory])
        return render(request, T + "aftercare.html", aftercare.for_trajectory(trajectory, user=request.user))


class CheckInView(PolicyMixin, View):
    capability = "trajectory.work"

    def checkin(self, pk):
        return _get(self.request.user, CheckIn, pk)

    def page(self, checkin, form, status=200):
        return render(self.request, T + "checkin_form.html", {"checkin": checkin, "form": form,
                                                              "trajectory": checkin.trajectory}, status=status)

    def get(self, request, pk):
        return self.page(self.checkin(pk), CheckInForm())

    def post(self, request, pk):
        checkin = self.checkin(pk)
        form = CheckInForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                aftercare.record(request.user, checkin.pk, still_going=d["still_going"], how_is_it=d["how_is_it"],
                                 answers=form.answers(), worry=d["worry"], worry_text=d["worry_text"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Het nazorgmoment is vastgelegd."))
                return redirect("verwijzingen:nazorg", checkin.trajectory_id)
        return self.page(checkin, form, 400)


class CheckInAttemptView(PolicyMixin, View):
    capability = "trajectory.work"

    def post(self, request, pk):
        checkin = _get(request.user, CheckIn, pk)
        try:
            aftercare.attempt(request.user, checkin.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
            return redirect("verwijzingen:nazorg", checkin.trajectory_id)
        messages.success(request, _("De poging is vastgelegd."))
        return redirect("verwijzingen:nazorg", checkin.trajectory_id)


def provider_panel(user):
    """Home panel for the provider: referrals waiting for its answer."""
    waiting = referrals.waiting_for(user)
    count = waiting.count()
    return {"waiting": count, "returned": waiting.filter(returned_at__isnull=False).count(),
            "today": timezone.localdate()}
