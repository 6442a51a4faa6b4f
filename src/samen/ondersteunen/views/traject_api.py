"""Trajectories API (part traject): the scoped list and detail, and a step of the workflow table.
``/api/v1/trajectories/{id}/matches/`` is the matching part's own route."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from samen.core.api.pagination import Pagination
from samen.core.api.parsers import JSONParser
from samen.core.api.permissions import PolicyPermission
from samen.ondersteunen.models import Trajectory
from samen.ondersteunen.services import caseload, trajectories
from samen.ondersteunen.workflow import ClosingReason, TrajectoryDecision


class TrajectorySerializer(serializers.ModelSerializer):
    wijk = serializers.CharField(source="wijk.code", allow_null=True, default=None)
    resident = serializers.IntegerField(source="resident_id", allow_null=True)
    signal = serializers.IntegerField(source="signal_id", allow_null=True)
    worker = serializers.IntegerField(source="worker_id", allow_null=True)
    first_contact_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Trajectory
        fields = ["id", "status", "resident", "signal", "worker", "wijk", "age_group", "channel", "started_at",
                  "first_contact_due", "first_contact_overdue", "first_contact_at", "last_contact_at", "closed_at",
                  "closing_reason", "reopened_count"]

    def get_first_contact_overdue(self, trajectory) -> bool:
        return trajectories.first_contact_overdue(trajectory)


class StepSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=TrajectoryDecision.choices, error_messages={
        "required": _("Kies een stap (decision)."), "invalid_choice": _("Deze stap bestaat niet: \"{input}\".")})
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    closing_reason = serializers.ChoiceField(choices=ClosingReason.choices, required=False, allow_blank=True,
                                             error_messages={"invalid_choice": _(
                                                 "Kies een reden van afsluiten uit de lijst.")})


FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="name of the resident (part of it) or the trajectory's id"),
    OpenApiParameter("postcode", str, description="postcode (its start)"),
    OpenApiParameter("wijk", str, description="wijk code, e.g. WK040207"),
    OpenApiParameter("stand", str, description="a status, or 'open'"),
    OpenApiParameter("kanaal", str, description="the signal's channel"),
    OpenApiParameter("van", str, description="started on or after (YYYY-MM-DD)"),
    OpenApiParameter("tot", str, description="started on or before (YYYY-MM-DD)"),
]


class TrajectoryViewSet(viewsets.ViewSet):
    """Trajectories (traject) the caller may see (``trajectory.view``), scoped by the policy: the regisseur the
    whole municipality, a social worker their own and those of their wijken. Every read is logged."""

    capabilities = {"list": "trajectory.view", "retrieve": "trajectory.view", "steps": "trajectory.work"}
    permission_classes = [PolicyPermission]
    parser_classes = [JSONParser]
    pagination_class = Pagination
    lookup_value_regex = r"[0-9]+"
    queryset = Trajectory.objects.none()

    @extend_schema(parameters=FILTER_PARAMETERS, responses=TrajectorySerializer(many=True))
    def list(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(caseload.search(request.user, request.query_params), request, view=self)
        trajectories.log_read(request.user, page, route=request.resolver_match.view_name)
        return paginator.get_paginated_response(TrajectorySerializer(page, many=True).data)

    @extend_schema(responses=TrajectorySerializer)
    def retrieve(self, request, pk=None):
        return Response(TrajectorySerializer(trajectories.read(request.user, pk,
                                                               route=request.resolver_match.view_name)).data)

    @extend_schema(request=StepSerializer, responses={200: TrajectorySerializer, 400: None})
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        """Take one step of the trajectory's table; a refusal is a 400 with the Dutch reason, nothing changed."""
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"non_field_errors": [_("Stuur één stap als JSON-object.")]})
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        trajectories.read(request.user, pk, route=request.resolver_match.view_name)  # 404 unless visible
        d = data.validated_data
        trajectory = trajectories.step(request.user, int(pk), d["decision"], reason=d.get("reason", ""),
                                       closing_reason=d.get("closing_reason", ""))
        return Response(TrajectorySerializer(trajectory).data)
