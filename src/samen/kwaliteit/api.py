"""Catalogue API, public and read-only: the same search as the finder page (kwaliteit.services.search).

    GET /api/v1/activities/?q=&wijk=&postcode=&house_number=&day=&part=&interest=&target_group=&free=
        &accessible=&online=
    GET /api/v1/activities/<id>/

A bad filter value is a 400 (application/problem+json) whose ``errors`` name the parameter; so is a
parameter the API does not know (a typo would otherwise silently widen the search).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from samen.core.api.pagination import Pagination
from samen.core.api.permissions import PUBLIC
from samen.core.public import public_gemeente
from samen.kwaliteit import schedule
from samen.kwaliteit.models import Activity, Intervention, Occurrence
from samen.kwaliteit.services import search as finder
from samen.kwaliteit.services.catalogue import public_activities
from samen.kwaliteit.vocabulary import Interest, PartOfDay, TargetGroup

NEXT_DATES = 5  # planned dates shown on one activity
PAGE_SIZE = 20  # as the finder page; ?page_size= up to 200
SENTINEL = 987654321  # stands in for an activity's id in a URL reversed once
CENT = Decimal("0.01")
ALLOWED = {*finder.PARAMETERS, "page", "page_size", "gemeente", "format"}


class OrganiserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PlaceSerializer(serializers.Serializer):
    name = serializers.CharField()
    address = serializers.CharField(source="address_line")
    postcode = serializers.CharField()
    city = serializers.CharField()


class WijkRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="display_name")


class ActivitySerializer(serializers.Serializer):
    """One public activity as the finder lists it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    organiser = OrganiserSerializer(source="organisation")
    location = PlaceSerializer(allow_null=True)
    wijk = WijkRefSerializer(allow_null=True)
    online = serializers.BooleanField()
    online_url = serializers.URLField()
    schedule = serializers.SerializerMethodField(help_text="The schedule in one Dutch sentence.")
    start_date = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField(allow_null=True)
    rrule = serializers.CharField(help_text="iCalendar RRULE (RFC 5545); empty for a one-off activity.")
    valid_until = serializers.DateField(allow_null=True)
    next_date = serializers.DateField(allow_null=True, help_text="The first planned date from today (or the first "
                                                                  "on the day searched for).")
    part_of_day = serializers.ChoiceField(choices=PartOfDay.choices)
    cost_type = serializers.CharField()
    cost_amount = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    registration_required = serializers.BooleanField()
    capacity = serializers.IntegerField(allow_null=True)
    wheelchair_accessible = serializers.BooleanField()
    hearing_loop = serializers.BooleanField()
    near_public_transport = serializers.BooleanField()
    target_groups = serializers.ListField(child=serializers.CharField())
    interests = serializers.ListField(child=serializers.CharField())
    loneliness_kinds = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    theme_week = serializers.BooleanField()
    proximity = serializers.SerializerMethodField(
        help_text="In a search near a postcode: 0 = in its buurt, 1 = in its wijk, 2, 3, ... = the other wijken "
                  "from near to far; 999 = online. Otherwise null.")
    url = serializers.SerializerMethodField(help_text="The activity's public page.")
    calendar_url = serializers.SerializerMethodField(help_text="The activity as an iCalendar file.")

    def get_schedule(self, activity) -> str:
        return schedule.describe(activity)

    def get_proximity(self, activity) -> int | None:
        return getattr(activity, "proximity", None)

    def get_url(self, activity) -> str:
        return self._url("informeren:activity", activity)

    def get_calendar_url(self, activity) -> str:
        return self._url("informeren:activity_ics", activity)

    def _url(self, name: str, activity) -> str:
        """Absolute URL of the activity's page or calendar: reversed once per response, not per row."""
        urls = self.context.setdefault("_activity_urls", {})
        if name not in urls:
            path = reverse(name, args=[SENTINEL])
            request = self.context.get("request")
            urls[name] = request.build_absolute_uri(path) if request else path
        return urls[name].replace(str(SENTINEL), str(activity.pk))

    def to_representation(self, activity) -> dict:
        """The declared fields, written out: DRF's field-by-field machinery costs about half a millisecond per
        activity, a tenth of a search page's budget. test_search_api holds this to DRF's own output."""
        location, wijk, organisation = activity.location, activity.wijk, activity.organisation
        return {
            "id": activity.pk, "title": activity.title, "description": activity.description,
            "organiser": {"id": organisation.pk, "name": organisation.name},
            "location": None if location is None else {"name": location.name, "address": location.address_line,
                                                       "postcode": location.postcode, "city": location.city},
            "wijk": None if wijk is None else {"code": wijk.code, "name": wijk.display_name},
            "online": activity.online, "online_url": activity.online_url, "schedule": schedule.describe(activity),
            "start_date": _iso(activity.start_date), "start_time": _iso(activity.start_time),
            "end_time": _iso(activity.end_time), "rrule": activity.rrule, "valid_until": _iso(activity.valid_until),
            "next_date": _iso(getattr(activity, "next_date", None)), "part_of_day": activity.part_of_day,
            "cost_type": activity.cost_type,
            "cost_amount": None if activity.cost_amount is None else str(activity.cost_amount.quantize(CENT)),
            "registration_required": activity.registration_required, "capacity": activity.capacity,
            "wheelchair_accessible": activity.wheelchair_accessible, "hearing_loop": activity.hearing_loop,
            "near_public_transport": activity.near_public_transport,
            "target_groups": [str(code) for code in activity.target_groups],
            "interests": [str(code) for code in activity.interests],
            "loneliness_kinds": [str(code) for code in activity.loneliness_kinds],
            "languages": [str(code) for code in activity.languages], "theme_week": activity.theme_week,
            "proximity": getattr(activity, "proximity", None), "url": self.get_url(activity),
            "calendar_url": self.get_calendar_url(activity),
        }


def _iso(value) -> str | None:
    return None if value is None else value.isoformat()


class InterventionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    recognition = serializers.CharField(help_text="Recognition in the Movisie databank (code).")
    recognition_label = serializers.CharField(source="get_recognition_display")
    databank_url = serializers.URLField()


class ActivityDetailSerializer(ActivitySerializer):
    """One public activity with everything its page shows."""

    how_to_join = serializers.CharField()
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.EmailField()
    website = serializers.URLField()
    interventions = InterventionRefSerializer(many=True)
    next_dates = serializers.SerializerMethodField(help_text=f"The next {NEXT_DATES} planned dates.")

    def get_next_dates(self, activity) -> list[str]:
        return [o.date.isoformat() for o in activity.upcoming]

    def to_representation(self, activity) -> dict:
        return {**super().to_representation(activity), "how_to_join": activity.how_to_join,
                "contact_name": activity.contact_name, "contact_phone": activity.contact_phone,
                "contact_email": activity.contact_email, "website": activity.website,
                "interventions": InterventionRefSerializer(activity.interventions.all(), many=True).data,
                "next_dates": self.get_next_dates(activity)}


def _parameter(name: str, kind, description: str, **extra) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, required=False, description=description, **extra)


SEARCH_PARAMETERS = [
    _parameter("q", str, "Words in the title, description, place or organiser (all words must occur)."),
    _parameter("wijk", str, "CBS wijk code, e.g. WK040204."),
    _parameter("postcode", str, "Near this postcode (1211 AB): its buurt first, then its wijk, then the other wijken "
                                "from near to far. Orders the results; does not leave any out."),
    _parameter("house_number", int, "House number with the postcode, for a postcode that spans buurten."),
    _parameter("day", str, "A date (2026-12-01) or a weekday (dinsdag, tuesday, or 0-6 with 0 = Monday)."),
    _parameter("part", str, "Part of the day.", enum=PartOfDay.values),
    _parameter("interest", str, "One or more interests (repeat the parameter or separate with commas); an "
                                "activity matches any of them.", enum=Interest.values, many=True, explode=True),
    _parameter("target_group", str, "For whom; activities for everyone always match, and 65plus ones also match "
                                    "75plus.", enum=TargetGroup.values),
    _parameter("free", OpenApiTypes.BOOL, "Only free activities."),
    _parameter("accessible", OpenApiTypes.BOOL, "Only wheelchair-accessible activities."),
    _parameter("online", OpenApiTypes.BOOL, "true: only online; false: only at a place; absent: both."),
    _parameter("gemeente", str, "Municipality code (GM0402). Without it the host name decides (each "
               "municipality's public site has its own), else the first municipality installed."),
]


class ActivityPagination(Pagination):
    page_size = PAGE_SIZE


@extend_schema_view(
    list=extend_schema(parameters=SEARCH_PARAMETERS, summary="Search public activities"),
    retrieve=extend_schema(summary="One public activity", responses=ActivityDetailSerializer,
                           parameters=[SEARCH_PARAMETERS[-1]]),
)
class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The public catalogue: approved, up-to-date activities, nearest and soonest first. No login needed."""

    capabilities = {"list": PUBLIC, "retrieve": PUBLIC}
    serializer_class = ActivitySerializer
    pagination_class = ActivityPagination
    queryset = Activity.objects.none()  # for the schema; the rows come from the search

    def get_serializer_class(self):
        return ActivityDetailSerializer if self.action == "retrieve" else ActivitySerializer

    def get_throttles(self):
        """The project's limits, but each caller counted once: an anonymous caller by the anonymous limit
        only. (The user limit counts anonymous callers by address too, at ten times the rate: a second
        read and write of the rate-limit cache on every public search, that can never refuse anything.)"""
        throttles = super().get_throttles()
        if self.request.user.is_authenticated:
            return throttles
        return [t for t in throttles if not isinstance(t, UserRateThrottle)] or throttles

    def get_queryset(self):
        gemeente = public_gemeente(self.request)
        if self.action == "retrieve":
            upcoming = Occurrence.objects.filter(date__gte=timezone.localdate()).order_by("date", "start_time")
            return (public_activities(gemeente).select_related("location", "organisation", "wijk")
                    .defer("wijk__boundary")
                    .prefetch_related(Prefetch("interventions", queryset=Intervention.objects.order_by("name")),
                                      Prefetch("occurrences", queryset=upcoming, to_attr="all_upcoming")))
        params = self.request.query_params
        unknown = sorted(set(params) - ALLOWED)
        if unknown:
            raise exceptions.ValidationError({name: [_("Deze zoekterm bestaat niet.")] for name in unknown})
        values = {name: params.get(name) for name in finder.PARAMETERS if name not in ("interest", "part")}
        try:
            found = finder.search(gemeente, **values, part_of_day=params.get("part"),
                                  interest=params.getlist("interest"))
        except finder.SearchError as exc:
            raise exceptions.ValidationError({exc.parameter: [exc.message]}) from None
        return found.results

    def retrieve(self, request, *args, **kwargs):
        activity = self.get_object()
        activity.upcoming = activity.all_upcoming[:NEXT_DATES]
        activity.next_date = activity.upcoming[0].date if activity.upcoming else None
        return Response(self.get_serializer(activity).data)
