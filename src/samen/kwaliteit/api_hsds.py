"""The public catalogue through the Open Referral HSDS 3.0 API: /api/v1/hsds/ (no login).

Follows the HSDS API specification (schema/openapi.json of openreferral/specification 3.0): the required
``/``, ``/services`` and ``/services/{id}``, and the optional organizations, taxonomies and taxonomy terms,
plus a list of locations. Lists answer in the HSDS "Page" shape (total_items, total_pages, page_number,
size, first_page, last_page, empty, contents) with ``page`` and ``per_page``. The objects come from
kwaliteit.services.hsds, the same mapping as the file export, so they validate against the same schemas.

An id in a path is the HSDS UUID; Samen's own number of the activity or organisation is accepted too.
"""

from __future__ import annotations

import math

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from samen.core.api.permissions import PUBLIC
from samen.core.public import public_gemeente
from samen.kwaliteit.services import hsds

MAX_PER_PAGE = 200
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


class PageQuery(serializers.Serializer):
    page = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000, default=1,
                                    help_text="Page number, from 1.")  # bounded: a huge offset is a 500 in SQLite
    per_page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PER_PAGE, default=50,
                                        help_text=f"Results per page (at most {MAX_PER_PAGE}).")


class ServiceQuery(PageQuery):
    search = serializers.CharField(required=False, allow_blank=True, help_text="Words in the name or description.")
    organization_id = serializers.CharField(required=False, help_text="Only this organization's services.")
    taxonomy_term_id = serializers.CharField(required=False, help_text="Only services with this taxonomy term.")
    modified_after = serializers.DateTimeField(required=False, help_text="Only services changed since.")
    full = serializers.BooleanField(required=False, default=False,
                                    help_text="true: fully nested services (as /services/{id}).")


def _page_schema(name: str, item: str):
    return inline_serializer(name=name, fields={
        "total_items": serializers.IntegerField(), "total_pages": serializers.IntegerField(),
        "page_number": serializers.IntegerField(), "size": serializers.IntegerField(),
        "first_page": serializers.BooleanField(), "last_page": serializers.BooleanField(),
        "empty": serializers.BooleanField(),
        "contents": serializers.ListField(child=serializers.DictField(), help_text=f"HSDS {item} objects "
                                          f"({SCHEMA_BASE}{item}.json)."),
    })


def _page(items, query: dict, build) -> dict:
    """One HSDS page of ``items`` (a queryset or list); ``build`` turns the page's items into objects."""
    total = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    number, size = query["page"], query["per_page"]
    chunk = list(items[(number - 1) * size: number * size])
    pages = max(1, math.ceil(total / size))
    return {"total_items": total, "total_pages": pages, "page_number": number, "size": len(chunk),
            "first_page": number == 1, "last_page": number >= pages, "empty": total == 0,
            "contents": build(chunk) if chunk else []}


class _HsdsView(APIView):
    capabilities = {"get": PUBLIC}

    def query(self, serializer_class) -> dict:
        query = serializer_class(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data


class HsdsIndexView(_HsdsView):
    """What this API is: its HSDS version and where its OpenAPI description is."""

    @extend_schema(operation_id="hsds_info", responses=inline_serializer(name="HsdsApiInfo", fields={
        "version": serializers.CharField(), "profile": serializers.URLField(),
        "openapi_url": serializers.URLField(), "description": serializers.CharField(),
        "publisher": serializers.DictField()}))
    def get(self, request):
        gemeente = public_gemeente(request)
        return Response({
            "version": hsds.HSDS_VERSION,
            "profile": "https://docs.openreferral.org/en/3.0/",
            "openapi_url": request.build_absolute_uri(reverse("api:schema")),
            "description": f"Samen: activiteiten en interventies in {gemeente.name} (Open Referral HSDS 3.0).",
            "publisher": {"name": f"Gemeente {gemeente.name}"},
        })


class ServiceListView(_HsdsView):
    """The public activities as HSDS services; one-to-one fields unless ``full=true``."""

    @extend_schema(operation_id="hsds_services_list", parameters=[ServiceQuery],
                   responses=_page_schema("HsdsServicePage", "service"))
    def get(self, request):
        gemeente = public_gemeente(request)
        query = self.query(ServiceQuery)
        activities = _filter_services(gemeente, hsds.published(gemeente), query)
        return Response(_page(activities, query,
                              lambda chunk: hsds.services(gemeente, chunk, full=query["full"])))


def _filter_services(gemeente, activities, query: dict):
    from django.db.models import Q

    if query.get("search"):
        words = query["search"].strip()
        activities = activities.filter(Q(title__icontains=words) | Q(description__icontains=words))
    if query.get("organization_id"):
        organisation = hsds.find_organisation(gemeente, query["organization_id"])
        activities = activities.filter(organisation=organisation) if organisation else activities.none()
    if query.get("taxonomy_term_id"):
        activities = _with_term(activities, query["taxonomy_term_id"])
    if query.get("modified_after"):
        activities = activities.filter(published_at__gte=query["modified_after"])
    return activities


def _with_term(activities, term_id: str):
    for name, (vocabulary, field, _description) in hsds.TAXONOMIES.items():
        for code, _label in vocabulary.choices:
            if hsds.taxonomy_term_id(name, code) == term_id:
                if field is None:
                    return activities.filter(**{hsds.Accessibility.fields[code]: True})
                return activities.filter(**{f"{field}__has_code": code})
    return activities.none()


class ServiceDetailView(_HsdsView):  # URL name api:hsds-activity-detail: an HSDS service is an activity
    """One public activity as a fully nested HSDS service."""

    @extend_schema(operation_id="hsds_service", responses={200: OpenApiTypes.OBJECT},
                   parameters=[OpenApiParameter("id", OpenApiTypes.STR, OpenApiParameter.PATH,
                                                description="The service's HSDS id (or Samen's activity number).")])
    def get(self, request, pk):
        gemeente = public_gemeente(request)
        activity = hsds.find_activity(gemeente, pk)
        if activity is None:
            raise NotFound
        return Response(hsds.services(gemeente, [activity])[0])


class OrganizationListView(_HsdsView):
    """The organisations that have public activities."""

    @extend_schema(operation_id="hsds_organizations_list", parameters=[PageQuery],
                   responses=_page_schema("HsdsOrganizationPage", "organization"))
    def get(self, request):
        gemeente = public_gemeente(request)
        query = self.query(PageQuery)
        return Response(_page(hsds.organisations_with_activities(gemeente), query,
                              lambda chunk: [_without_lists(o) for o in hsds.organizations(gemeente, chunk)]))


def _without_lists(item: dict) -> dict:
    return {key: value for key, value in item.items() if not isinstance(value, list | dict)}


class OrganizationDetailView(_HsdsView):
    """One organisation with its phones and the (one-to-one fields of the) services it provides."""

    @extend_schema(operation_id="hsds_organization", responses={200: OpenApiTypes.OBJECT},
                   parameters=[OpenApiParameter("id", OpenApiTypes.STR, OpenApiParameter.PATH,
                                                description="The organization's HSDS id (or Samen's number).")])
    def get(self, request, pk):
        gemeente = public_gemeente(request)
        organisation = hsds.find_organisation(gemeente, pk)
        if organisation is None:
            raise NotFound
        item = hsds.organizations(gemeente, [organisation])[0]
        item["services"] = hsds.services(gemeente, hsds.published(gemeente).filter(organisation=organisation),
                                         full=False)
        return Response(item)


class LocationListView(_HsdsView):
    """The places of public activities, with their address and accessibility."""

    @extend_schema(operation_id="hsds_locations_list", parameters=[PageQuery],
                   responses=_page_schema("HsdsLocationPage", "location"))
    def get(self, request):
        gemeente = public_gemeente(request)
        query = self.query(PageQuery)
        return Response(_page(hsds.locations_with_activities(gemeente), query,
                              lambda chunk: hsds.locations(gemeente, chunk)))


class TaxonomyListView(_HsdsView):
    """Samen's four taxonomies: target groups, interests, kinds of loneliness, accessibility."""

    @extend_schema(operation_id="hsds_taxonomies_list", parameters=[PageQuery],
                   responses=_page_schema("HsdsTaxonomyPage", "taxonomy"))
    def get(self, request):
        query = self.query(PageQuery)
        return Response(_page(list(hsds.TAXONOMIES), query, lambda chunk: [hsds.taxonomy(n) for n in chunk]))


class TaxonomyTermListView(_HsdsView):
    """Every term of the four taxonomies."""

    @extend_schema(operation_id="hsds_taxonomy_terms_list", parameters=[PageQuery],
                   responses=_page_schema("HsdsTaxonomyTermPage", "taxonomy_term"))
    def get(self, request):
        query = self.query(PageQuery)
        return Response(_page(hsds.taxonomy_terms(), query, lambda chunk: chunk))
