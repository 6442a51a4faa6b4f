"""The explained matching on screen and in the API: a trajectory's suggestions with why they fit.

* ``MatchesPage``: ``/ondersteunen/trajecten/<id>/passend/``, the worker's list with the catalogue's own
  filters and a "Voorstellen" button per suggestion (a POST to the referral part's ``verwijzingen:create``;
  shown only when that URL exists);
* ``MatchesApi``: ``GET /api/v1/trajectories/{id}/matches/``, the same list as JSON.

Both go through ``matching.service.matches`` (policy ``trajectory.work`` on the trajectory; the read is
written to the access log).
"""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from samen.core.models import Wijk
from samen.core.views.mixins import PolicyMixin
from samen.kwaliteit.vocabulary import WEEKDAYS, Interest, PartOfDay
from samen.ondersteunen.matching import engine, service

PAGE_LIMIT = 50
API_MAX = 200
KINDS = [(engine.KIND_ACTIVITY, _("activiteiten")), (engine.KIND_VOLUNTEERING, _("vrijwilligerswerk")),
         (engine.KIND_INTERVENTION, _("interventies"))]


class MatchFilterForm(forms.Form):
    """The catalogue's own filters (as the finder names them), for the screen and the API."""

    interesse = forms.ChoiceField(label=_("Interesse"), required=False,
                                  choices=[("", _("alle"))] + list(Interest.choices))
    wijk = forms.ChoiceField(label=_("Wijk"), required=False)
    dag = forms.TypedChoiceField(label=_("Dag"), required=False, coerce=int, empty_value=None,
                                 choices=[("", _("alle"))] + [(str(i), d) for i, d in enumerate(WEEKDAYS)])
    dagdeel = forms.ChoiceField(label=_("Dagdeel"), required=False,
                                choices=[("", _("alle"))] + list(PartOfDay.choices))
    soort = forms.ChoiceField(label=_("Soort"), required=False, choices=[("", _("alle"))] + KINDS)
    gratis = forms.BooleanField(label=_("Alleen gratis"), required=False)
    rolstoel = forms.BooleanField(label=_("Alleen rolstoeltoegankelijk"), required=False)

    def __init__(self, *args, gemeente=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.wijken = list(Wijk.objects.filter(gemeente=gemeente)) if gemeente is not None else []
        self.fields["wijk"].choices = [("", _("alle"))] + [(w.code, w.display_name) for w in self.wijken]

    def filters(self) -> engine.Filters:
        data = self.cleaned_data
        wijk = next((w.pk for w in self.wijken if w.code == data.get("wijk")), None)
        return engine.Filters(interest=data.get("interesse") or "", wijk_id=wijk, weekday=data.get("dag"),
                              part_of_day=data.get("dagdeel") or "", free=bool(data.get("gratis")),
                              wheelchair=bool(data.get("rolstoel")), kind=data.get("soort") or "")


def referral_create_url(trajectory) -> str | None:
    """The referral part's form for this trajectory, filled in from the suggestion ("Voorstellen" opens it
    with the activity, the kind and why it was suggested; the worker adds a note or a maatje and sends it)."""
    try:
        return reverse("verwijzingen:doorverwijzen", args=[trajectory.pk])
    except NoReverseMatch:  # the referrals part is not installed
        return None


class MatchesPage(PolicyMixin, TemplateView):
    capability = service.CAPABILITY
    template_name = "ondersteunen/matching/matches.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        trajectory = service.visible_trajectory(user, self.kwargs["pk"])
        if trajectory is None:
            raise Http404
        form = MatchFilterForm(self.request.GET or None, gemeente=trajectory.gemeente)
        filters = form.filters() if form.is_bound and form.is_valid() else engine.Filters()
        try:
            result = service.matches(user, trajectory, filters=filters, limit=PAGE_LIMIT, route=self.route_name())
        except PermissionDenied:
            raise Http404 from None
        kinds = dict(KINDS)
        rows = [{"suggestion": s, "kind_label": kinds.get(s.kind, s.kind), "match_json": json.dumps(s.as_match())}
                for s in result.suggestions]
        context.update(trajectory=trajectory, form=form, result=result, suggestions=result.suggestions, rows=rows,
                       create_url=referral_create_url(trajectory), trajectory_url=_trajectory_url(trajectory))
        return context


def _trajectory_url(trajectory) -> str | None:
    try:
        return reverse("ondersteunen:trajectory_detail", args=[trajectory.pk])
    except NoReverseMatch:
        return None


# --- API ----------------------------------------------------------------------------------------------------
class EvidenceSerializer(serializers.Serializer):
    shown = serializers.BooleanField(help_text="False when fewer residents went than the municipality's "
                                               "small-cell minimum: then no figures.")
    went = serializers.IntegerField(allow_null=True, help_text="Residents who went and whose six-week answer "
                                                               "is known (null unless shown).")
    still_going = serializers.IntegerField(allow_null=True, help_text="Of those, still going after six weeks.")
    share = serializers.FloatField(allow_null=True)
    sentence = serializers.CharField(help_text="The evidence in Dutch ('te weinig gegevens' when suppressed).")


class MatchSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=[k for k, _label in KINDS])
    id = serializers.IntegerField(help_text="The activity's id, or the intervention's for kind 'intervention'.")
    activity_id = serializers.IntegerField(help_text="The activity (for an intervention: the one applying it).")
    intervention_id = serializers.IntegerField(allow_null=True)
    organisation_id = serializers.IntegerField()
    title = serializers.CharField()
    organisation = serializers.CharField()
    via = serializers.CharField(help_text="For an intervention: the title of the activity applying it.")
    score = serializers.FloatField(help_text="The weighted sum of the factors.")
    percent = serializers.IntegerField(help_text="The score against the most this resident could get.")
    factors = serializers.DictField(child=serializers.FloatField(), help_text="Each factor's value, 0 to 1.")
    fits = serializers.ListField(child=serializers.CharField(), help_text="Why it fits, in Dutch.")
    misses = serializers.ListField(child=serializers.CharField(), help_text="What does not fit, in Dutch.")
    sentence = serializers.CharField()
    evidence = EvidenceSerializer()


class MatchListSerializer(serializers.Serializer):
    trajectory = serializers.IntegerField()
    count = serializers.IntegerField(help_text="How many fit after the hard needs and the filters.")
    excluded = serializers.IntegerField(help_text="How many a hard need excluded.")
    results = MatchSerializer(many=True)


def as_json(suggestion: engine.Suggestion, rank: int) -> dict:
    return {"rank": rank, "kind": suggestion.kind, "id": suggestion.id, "activity_id": suggestion.activity_id,
            "intervention_id": suggestion.intervention_id, "organisation_id": suggestion.organisation_id,
            "title": suggestion.title, "organisation": suggestion.organisation, "via": suggestion.via,
            "score": round(suggestion.score, 4), "percent": suggestion.percent, "factors": suggestion.factors,
            "fits": list(suggestion.fits), "misses": list(suggestion.misses), "sentence": suggestion.sentence,
            "evidence": suggestion.evidence.as_dict()}


class MatchesApi(APIView):
    """The ranked activities, interventions and volunteer roles that fit the trajectory's resident."""

    capabilities = {"get": service.CAPABILITY}

    @extend_schema(
        operation_id="trajectory_matches", responses=MatchListSerializer, tags=["ondersteunen"],
        parameters=[
            OpenApiParameter("interesse", str, enum=list(Interest.values), description="Interest code."),
            OpenApiParameter("wijk", str, description="CBS wijk code."),
            OpenApiParameter("dag", int, description="Weekday, 0 = Monday."),
            OpenApiParameter("dagdeel", str, enum=list(PartOfDay.values)),
            OpenApiParameter("soort", str, enum=[k for k, _label in KINDS]),
            OpenApiParameter("gratis", bool), OpenApiParameter("rolstoel", bool),
            OpenApiParameter("limit", int, description=f"At most this many (default 50, at most {API_MAX})."),
        ])
    def get(self, request, pk: int):
        try:
            trajectory = service.visible_trajectory(request.user, pk)
        except PermissionDenied:
            raise NotFound from None
        if trajectory is None:
            raise NotFound
        form = MatchFilterForm(request.query_params, gemeente=trajectory.gemeente)
        if not form.is_valid():
            raise ApiValidationError({field: list(errors) for field, errors in form.errors.items()})
        try:
            limit = int(request.query_params.get("limit", PAGE_LIMIT))
        except ValueError:
            raise ApiValidationError({"limit": [_("Geef een heel getal.")]}) from None
        if not 1 <= limit <= API_MAX:
            raise ApiValidationError({"limit": [_("Geef een getal van 1 tot en met %(max)s.") % {"max": API_MAX}]})
        route = request.resolver_match.view_name if request.resolver_match else ""
        result = service.matches(request.user, trajectory, filters=form.filters(), limit=limit, route=route)
        return Response({"trajectory": trajectory.pk, "count": result.total, "excluded": result.excluded,
                         "results": [as_json(s, i) for i, s in enumerate(result.suggestions, start=1)]})
