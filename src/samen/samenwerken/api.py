from rest_framework import serializers, viewsets

from samen.core import policy
from samen.samenwerken.models import Zorgnetwerk, ZorgnetwerkMember


class MemberSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = ZorgnetwerkMember
        fields = ["organisation", "function", "part"]


class ZorgnetwerkSerializer(serializers.ModelSerializer):
    wijk = serializers.CharField(source="wijk.code")
    members = MemberSerializer(many=True)

    class Meta:
        model = Zorgnetwerk
        fields = ["id", "name", "wijk", "status", "description", "members"]


class ZorgnetwerkViewSet(viewsets.ReadOnlyModelViewSet):
    """The care network of each wijk with its member organisations."""

    capabilities = {"list": "zorgnetwerk.view", "retrieve": "zorgnetwerk.view"}
    serializer_class = ZorgnetwerkSerializer

    def get_queryset(self):
        queryset = policy.visible(self.request.user, Zorgnetwerk).select_related("wijk").prefetch_related(
            "members__organisation")
        wijk = self.request.query_params.get("wijk")
        return queryset.filter(wijk__code=wijk) if wijk else queryset
