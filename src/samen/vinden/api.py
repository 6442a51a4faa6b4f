"""Signals API: intake from organisations (Api-Key) and staff (token/session), with Idempotency-Key;
the scoped list, detail and triage for staff."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from samen.core import policy
from samen.core.api.pagination import Pagination
from samen.core.api.parsers import JSONParser, require_json
from samen.core.api.permissions import PolicyPermission
from samen.core.models import Organisation, User
from samen.vinden import checklist, workflow
from samen.vinden.models import AgeGroup, ApiKey, Consent, Signal
from samen.vinden.reads import log_signals_read, read_signal
from samen.vinden.services import apikeys
from samen.vinden.services import signals as service


class ApiKeyAuthentication(BaseAuthentication):
    """'Authorization: Api-Key <key>' for an organisation's machine channel."""

    keyword = b"api-key"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Geef precies één API-sleutel mee."))
        record = apikeys.check(parts[1].decode(errors="replace"))
        if record is None:
            raise exceptions.AuthenticationFailed(_("Deze API-sleutel is onbekend of ingetrokken."))
        return AnonymousUser(), record

    def authenticate_header(self, request):
        return "Api-Key"


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "samen.vinden.api.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Api-Key <key> (samen apikey ORGANISATION)"}


class IntakePermission(BasePermission):
    """An organisation's key, or a user who may report signals."""

    def has_permission(self, request, view):
        if view.action == "create" and isinstance(request.auth, ApiKey):
            return True
        return PolicyPermission().has_permission(request, view)


class SignalInSerializer(serializers.Serializer):
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10)
    house_number = serializers.IntegerField(required=False, allow_null=True)
    house_number_addition = serializers.CharField(required=False, allow_blank=True, max_length=10)
    name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    age_group = serializers.ChoiceField(choices=AgeGroup.values, required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    email = serializers.CharField(required=False, allow_blank=True, max_length=200)
    observations = serializers.ListField(child=serializers.ChoiceField(choices=list(checklist.CODES)),
                                         required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    consent = serializers.ChoiceField(choices=Consent.values, required=False)


class SignalOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    routed_to = serializers.CharField()
    linked = serializers.BooleanField(required=False, help_text=(
        "Only for callers who may see signals (signal.view): whether this one was linked to an open signal "
        "about the same person that the caller can see. Others never learn whether a person or an address "
        "already has a signal."))
    triage_deadline = serializers.DateField()
    acute = serializers.DictField()


class SignalSerializer(serializers.ModelSerializer):
    wijk = serializers.CharField(source="wijk.code", allow_null=True)
    resident = serializers.IntegerField(source="resident_id", allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Signal
        fields = ["id", "channel", "status", "wijk", "resident", "age_group", "observations", "description",
                  "consent", "linked_to", "assigned_to", "triage_deadline", "overdue", "created_at"]

    def get_overdue(self, signal) -> bool:
        return service.is_overdue(signal)


class TriageSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=workflow.Decision.values)
    reason = serializers.CharField(required=False, allow_blank=True)
    assign_to = serializers.IntegerField(required=False, allow_null=True)
    partner = serializers.IntegerField(required=False, allow_null=True)
    look_again_on = serializers.DateField(required=False, allow_null=True)


class IdempotencyKeyReused(exceptions.APIException):
    status_code = 422
    default_detail = gettext_lazy("Deze Idempotency-Key is al gebruikt voor een andere melding. Er is niets "
                                  "opgeslagen; stuur een nieuwe melding met een nieuwe sleutel.")
    default_code = "idempotency_key_reused"


def _out(signal: Signal, user) -> dict:
    """The intake's answer. Whether the signal was linked to an earlier one is told only to a caller who may
    see signals, and then only about one they can see: no existence oracle for reporters (issue 11)."""
    out = {"id": signal.pk, "status": str(workflow.REPORTER_STATUS[signal.status]),
           "routed_to": signal.wijk.code if signal.wijk_id else "central",
           "triage_deadline": signal.triage_deadline, "acute": service.acute_guidance()}
    if policy.can(user, "signal.view"):
        out["linked"] = signal.linked_to_id is not None and policy.can(user, "signal.view", signal.linked_to)
    return out


class SignalViewSet(viewsets.ViewSet):
    """Signals of loneliness. An acute situation (danger to life, suicide risk) is not a signal: every
    answer of POST carries the guidance (112, 113 Zelfmoordpreventie 0800-0113, huisarts)."""

    capabilities = {"create": "signal.report", "list": "signal.view", "retrieve": "signal.view",
                    "triage": "signal.triage"}
    authentication_classes = [ApiKeyAuthentication, *viewsets.ViewSet.authentication_classes]
    permission_classes = [IntakePermission]
    parser_classes = [JSONParser]  # application/json only, as the docs say; anything else is a 415
    pagination_class = Pagination  # the list pages itself; this tells the schema so
    lookup_value_regex = r"[0-9]+"  # '3abc', '1e0' or 'null' is an unknown address (404), not a 500
    queryset = Signal.objects.none()

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        # Not wrapped in the request transaction (ATOMIC_REQUESTS): the intake and triage services open their
        # own, and the rate limit's counter (a row in the database cache) is then written and committed at once.
        # Inside the request transaction that row would stay locked until the request ends, and every request
        # with the same API key would wait for the one before it.
        return transaction.non_atomic_requests(super().as_view(actions, **initkwargs))

    def dispatch(self, request, *args, **kwargs):
        if transaction.get_connection().in_atomic_block:
            # Called inside a transaction that is not ours (a test's): a savepoint, so that DRF's rollback of a
            # failed request (exception handler) undoes this request only, as under ATOMIC_REQUESTS.
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_json(request)

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.UnsupportedMediaType):
            exc = exceptions.UnsupportedMediaType(exc.detail.get("media_type", "") if isinstance(exc.detail, dict)
                                                  else "", detail=_("Stuur de melding als application/json."))
        return super().handle_exception(exc)

    @extend_schema(request=SignalInSerializer, responses={201: SignalOutSerializer, 422: None},
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                                description="A retry with the same key returns the first result.")])
    def create(self, request):
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"non_field_errors": [_("Stuur één melding als JSON-object.")]})
        incoming = SignalInSerializer(data=request.data)
        unknown = sorted(set(request.data) - set(incoming.fields))
        if unknown:
            raise exceptions.ValidationError({name: [_("Dit veld bestaat niet.")] for name in unknown})
        incoming.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "").strip()[:200]
        if isinstance(request.auth, ApiKey):
            organisation, reporter = request.auth.organisation, None
            gemeente, scope = organisation.gemeente, f"key:{request.auth.prefix}"
        else:
            organisation, reporter = None, request.user
            gemeente, scope = request.user.gemeente, f"user:{request.user.pk}"
        try:
            submission = service.submit_signal(gemeente, channel="organisation" if organisation else "staff",
                                               data=incoming.validated_data, reporter=reporter,
                                               organisation=organisation, idempotency=(scope, key) if key else None)
        except service.IdempotencyKeyReused:
            raise IdempotencyKeyReused from None
        response = Response(_out(submission.signal, request.user), status=status.HTTP_201_CREATED)
        if not submission.created:
            response["Idempotent-Replayed"] = "true"
        return response

    @extend_schema(responses=SignalSerializer(many=True))
    def list(self, request):
        signals = policy.visible(request.user, Signal).select_related("wijk").order_by("-created_at")
        wijk = request.query_params.get("wijk")
        if wijk:
            signals = signals.filter(wijk__code=wijk)
        paginator = Pagination()
        page = paginator.paginate_queryset(signals.select_related("resident"), request, view=self)
        log_signals_read(request.user, page, route=request.resolver_match.view_name)
        return paginator.get_paginated_response(SignalSerializer(page, many=True).data)

    @extend_schema(responses=SignalSerializer)
    def retrieve(self, request, pk=None):
        return Response(SignalSerializer(read_signal(request.user, pk, route=request.resolver_match.view_name)).data)

    @extend_schema(request=TriageSerializer, responses=SignalSerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        data = TriageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        worker = User.objects.filter(pk=d.get("assign_to"), gemeente=request.user.gemeente_id).first() \
            if d.get("assign_to") else None
        partner = Organisation.objects.filter(pk=d.get("partner"), gemeente=request.user.gemeente_id).first() \
            if d.get("partner") else None
        signal = service.triage(request.user, pk, d["decision"], reason=d.get("reason", ""), assign_to=worker,
                                partner=partner, look_again_on=d.get("look_again_on"))
        return Response(SignalSerializer(signal).data)
