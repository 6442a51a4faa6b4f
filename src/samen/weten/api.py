"""Monitor API: published (suppressed where needed) figures and the list of waves."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.views import APIView

from samen.core import policy
from samen.core.api.pagination import Pagination
from samen.weten import estimates
from samen.weten.models import Indicator, Wave
from samen.weten.services import monitor


class FigureSerializer(serializers.Serializer):
    level = serializers.CharField()
    area_code = serializers.CharField()
    area_name = serializers.CharField()
    year = serializers.IntegerField()
    age_group = serializers.CharField()
    sex = serializers.CharField()
    indicator = serializers.CharField()
    n = serializers.IntegerField(allow_null=True, help_text="null where suppressed")
    estimate = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    interval = serializers.CharField(help_text="how ci_low and ci_high were computed: wald, logit or korn-graubard")
    suppressed = serializers.BooleanField()


class FigureQuery(serializers.Serializer):
    indicator = serializers.ChoiceField(choices=Indicator.values, required=False)
    level = serializers.ChoiceField(choices=["gemeente", "wijk", "buurt"], required=False)
    year = serializers.IntegerField(required=False)
    breakdown = serializers.MultipleChoiceField(choices=monitor.BREAKDOWNS, required=False,
                                                help_text="age_group, age_group_monitor and/or sex")
    interval = serializers.ChoiceField(choices=estimates.METHODS, required=False,
                                       help_text="the 95% interval: wald, logit or korn-graubard "
                                                 "(default: the municipality's setting)")


class FiguresView(APIView):
    """Shares with 95% intervals per area and year; cells under the suppression minimum have no figure. Each
    figure names its interval method (``interval``)."""

    capabilities = {"get": "monitor.view"}

    @extend_schema(parameters=[FigureQuery], responses=FigureSerializer(many=True))
    def get(self, request):
        query = FigureQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        rows = monitor.figures(request.user.gemeente, request.user,
                               indicators=[q["indicator"]] if q.get("indicator") else None,
                               breakdown=tuple(sorted(q.get("breakdown", ()))), interval=q.get("interval"))
        rows = [r for r in rows if (not q.get("level") or r.level == q["level"])
                and (not q.get("year") or r.year == q["year"])
                and (bool(q.get("breakdown")) == bool(r.age_group or r.sex))]
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(FigureSerializer(page, many=True).data)


class WaveSerializer(serializers.ModelSerializer):
    class Meta:
        model = Wave
        fields = ["id", "source", "year", "name", "respondent_count", "has_strata", "imported_at"]


class WaveViewSet(viewsets.ReadOnlyModelViewSet):
    capabilities = {"list": "monitor.view", "retrieve": "monitor.view"}
    serializer_class = WaveSerializer

    def get_queryset(self):
        return policy.visible(self.request.user, Wave).order_by("source", "year")

