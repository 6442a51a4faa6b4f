"""The referral API: ``/api/v1/referrals/`` (list and detail, scoped: social work its trajectories' referrals,
a provider those to its own organisation) and ``POST /api/v1/referrals/{id}/answer/`` for the provider."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from samen.core import accesslog, policy
from samen.core.api.pagination import Pagination
from samen.core.api.permissions import PolicyPermission
from samen.core.models import AccessAction, Purpose
from samen.ondersteunen.models import Referral
from samen.ondersteunen.services import referrals as service
from samen.ondersteunen.workflow import RejectReason


class ReferralSerializer(serializers.ModelSerializer):
    target = serializers.CharField(source="target_label", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "trajectory", "kind", "activity", "intervention", "organisation", "target", "status",
                  "status_label", "with_maatje", "created_at", "sent_at", "answered_at", "answer_reason",
                  "nudged_at", "returned_at", "first_visit_on", "still_going_6w", "ended_at", "end_reason"]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["confirm", "reject"])
    reason = serializers.ChoiceField(choices=RejectReason.choices, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReferralViewSet(viewsets.ViewSet):
    """Referrals. A provider sees only those to its own organisation; every read is in the access log."""

    capabilities = {"list": "referral.view", "retrieve": "referral.view", "answer": "referral.answer"}
    permission_classes = [PolicyPermission]
    pagination_class = Pagination
    lookup_value_regex = r"[0-9]+"
    queryset = Referral.objects.none()

    def _log(self, request, rows):
        accesslog.record(actor=request.user, action=AccessAction.VIEW, records=rows, purpose=Purpose.ONDERSTEUNING,
                         route=request.resolver_match.view_name)

    @extend_schema(responses=ReferralSerializer(many=True))
    def list(self, request):
        rows = policy.visible(request.user, Referral).select_related("activity", "intervention", "organisation")
        status = request.query_params.get("status")
        if status:
            rows = rows.filter(status=status)
        paginator = Pagination()
        page = paginator.paginate_queryset(rows.order_by("-created_at", "-id"), request, view=self)
        self._log(request, page)
        return paginator.get_paginated_response(ReferralSerializer(page, many=True).data)

    @extend_schema(responses=ReferralSerializer)
    def retrieve(self, request, pk=None):
        referral = policy.visible(request.user, Referral).get(pk=pk)
        self._log(request, [referral])
        return Response(ReferralSerializer(referral).data)

    @extend_schema(request=AnswerSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        referral = service.answer(request.user, int(pk), d["decision"], reason=d.get("reason", ""),
                                  note=d.get("note", ""))
        return Response(ReferralSerializer(referral).data)
