"""Core API: geography, address lookup, organisations, residents (personal data), access log, me."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from samen.core import policy
from samen.core.accesslog import filter_access_log
from samen.core.api import serializers as s
from samen.core.api.pagination import Pagination
from samen.core.api.permissions import AUTHENTICATED
from samen.core.models import AccessLogEntry, Buurt, Gemeente, Organisation, Purpose, Resident, Wijk
from samen.core.services import geography
from samen.core.services import residents as service


class WijkViewSet(viewsets.ReadOnlyModelViewSet):
    """Wijken of the user's municipality, with CBS codes, policy names and boundaries."""

    capabilities = {"list": "geography.view", "retrieve": "geography.view"}
    lookup_field = "code"

    def get_queryset(self):
        return policy.visible(self.request.user, Wijk).prefetch_related("buurten").select_related("gemeente")

    def get_serializer_class(self):
        return s.WijkDetailSerializer if self.action == "retrieve" else s.WijkSerializer


class BuurtViewSet(viewsets.ReadOnlyModelViewSet):
    capabilities = {"list": "geography.view", "retrieve": "geography.view"}
    serializer_class = s.BuurtSerializer
    lookup_field = "code"

    def get_queryset(self):
        queryset = policy.visible(self.request.user, Buurt).select_related("wijk")
        wijk = self.request.query_params.get("wijk")
        return queryset.filter(wijk__code=wijk) if wijk else queryset


class AddressLookupView(APIView):
    """Which buurt and wijk an address lies in, from the municipality's postcode table."""

    capabilities = {"get": "geography.view"}

    @extend_schema(parameters=[OpenApiParameter("postcode", str, required=True),
                               OpenApiParameter("huisnummer", int, required=False)],
                   responses=s.AddressLocationSerializer)
    def get(self, request):
        query = s.AddressLookupSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        gemeente = Gemeente.objects.get(pk=request.user.gemeente_id)
        try:
            buurt = geography.locate(gemeente, query.validated_data["postcode"],
                                     query.validated_data.get("huisnummer"))
        except geography.InvalidPostcode as exc:
            raise ValidationError({"postcode": [str(exc)]}) from None
        except geography.UnknownAddress as exc:
            raise NotFound(str(exc)) from None
        body = {"postcode": geography.clean_postcode(query.validated_data["postcode"]), "buurt": buurt,
                "wijk": buurt.wijk}
        return Response(s.AddressLocationSerializer(body).data)


class OrganisationViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    capabilities = {"list": "organisation.view", "retrieve": "organisation.view",
                    "create": "organisation.change", "update": "organisation.change",
                    "partial_update": "organisation.change"}
    serializer_class = s.OrganisationSerializer

    def get_queryset(self):
        queryset = policy.visible(self.request.user, Organisation)
        kind = self.request.query_params.get("type")
        return queryset.filter(type=kind) if kind else queryset

    def perform_create(self, serializer):
        gemeente = self.request.user.gemeente
        if Organisation.objects.filter(gemeente=gemeente, name=serializer.validated_data["name"]).exists():
            raise ValidationError({"name": [_("Er is al een organisatie met deze naam.")]})
        serializer.save(gemeente=gemeente)


class ResidentViewSet(viewsets.ViewSet):
    """Residents' personal data. Every read and write leaves an access-log entry (AVG)."""

    capabilities = {"list": "resident.view", "retrieve": "resident.view", "create": "resident.create",
                    "partial_update": "resident.change", "destroy": "resident.delete"}
    serializer_class = s.ResidentSerializer
    pagination_class = Pagination  # the list pages itself; this tells the schema so
    queryset = Resident.objects.none()  # for the schema; the data comes from the service

    def _route(self):
        return self.request.resolver_match.view_name

    @extend_schema(responses=s.ResidentSerializer(many=True))
    def list(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(service.list_residents(request.user).order_by("pk"), request, view=self)
        service.log_shown(request.user, page, purpose=Purpose.REGIE, route=self._route())
        return paginator.get_paginated_response(s.ResidentSerializer(page, many=True).data)

    @extend_schema(responses=s.ResidentSerializer)
    def retrieve(self, request, pk=None):
        resident = service.view_resident(request.user, pk, purpose=Purpose.ONDERSTEUNING, route=self._route())
        return Response(s.ResidentSerializer(resident).data)

    @extend_schema(request=s.ResidentSerializer, responses={201: s.ResidentSerializer})
    def create(self, request):
        serializer = s.ResidentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        resident = service.register_resident(request.user, serializer.validated_data,
                                             purpose=Purpose.ONDERSTEUNING, route=self._route())
        return Response(s.ResidentSerializer(resident).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ResidentSerializer, responses=s.ResidentSerializer)
    def partial_update(self, request, pk=None):
        serializer = s.ResidentSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            resident = service.change_resident(request.user, pk, serializer.validated_data,
                                               purpose=Purpose.ONDERSTEUNING, route=self._route())
        return Response(s.ResidentSerializer(resident).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        service.erase_resident(request.user, pk, purpose=Purpose.INZAGEVERZOEK, route=self._route())
        return Response(status=status.HTTP_204_NO_CONTENT)


class AccessLogFilter(serializers.Serializer):
    actor = serializers.CharField(required=False)
    record_id = serializers.CharField(required=False)
    action = serializers.ChoiceField(choices=[c[0] for c in AccessLogEntry._meta.get_field("action").choices],
                                     required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class AccessLogViewSet(viewsets.ReadOnlyModelViewSet):
    """The access log, read-only: nobody can change or delete it."""

    capabilities = {"list": "accesslog.view", "retrieve": "accesslog.view"}
    serializer_class = s.AccessLogEntrySerializer

    @extend_schema(parameters=[AccessLogFilter])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        filters = AccessLogFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return filter_access_log(policy.visible(self.request.user, AccessLogEntry), filters.validated_data)


class MeView(APIView):
    """Who the API sees: the user, role, municipality and capabilities."""

    capabilities = {"get": AUTHENTICATED}

    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        return Response(s.MeSerializer(request.user).data)

