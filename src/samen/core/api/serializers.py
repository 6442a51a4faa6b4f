from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from samen.core.models import AccessLogEntry, Buurt, Organisation, Resident, User, Wijk


class WijkSerializer(serializers.ModelSerializer):
    gemeente = serializers.CharField(source="gemeente.code", read_only=True)
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = Wijk
        fields = ["code", "official_name", "policy_name", "display_name", "gemeente"]


class WijkDetailSerializer(WijkSerializer):
    buurten = serializers.SerializerMethodField()

    class Meta(WijkSerializer.Meta):
        fields = [*WijkSerializer.Meta.fields, "buurten", "boundary"]

    def get_buurten(self, wijk) -> list[dict]:
        return [{"code": b.code, "name": b.name} for b in wijk.buurten.all()]


class BuurtSerializer(serializers.ModelSerializer):
    wijk = serializers.CharField(source="wijk.code", read_only=True)

    class Meta:
        model = Buurt
        fields = ["code", "name", "wijk"]


class AddressLookupSerializer(serializers.Serializer):
    postcode = serializers.CharField(max_length=8, help_text=_("Bijvoorbeeld 1211AB of 1211 ab."))
    huisnummer = serializers.IntegerField(min_value=1, required=False)


class AddressLocationSerializer(serializers.Serializer):
    postcode = serializers.CharField()
    buurt = BuurtSerializer()
    wijk = WijkSerializer()


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "type", "description", "website", "phone"]


class ResidentSerializer(serializers.ModelSerializer):
    buurt = serializers.CharField(source="buurt.code", read_only=True, allow_null=True)
    wijk = serializers.CharField(source="buurt.wijk.code", read_only=True, allow_null=True)
    postcode = serializers.CharField(max_length=8)

    class Meta:
        model = Resident
        fields = ["id", "name", "postcode", "house_number", "house_number_addition", "birth_year", "phone",
                  "email", "buurt", "wijk", "created_at", "updated_at"]
        read_only_fields = ["id", "buurt", "wijk", "created_at", "updated_at"]


class AccessLogEntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label", read_only=True)

    class Meta:
        model = AccessLogEntry
        fields = ["id", "at", "actor", "action", "record_type", "record_id", "purpose", "route"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    gemeente = serializers.CharField(source="gemeente.code", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True, allow_null=True)
    wijken = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    capabilities = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "role", "gemeente", "organisation", "wijken",
                  "capabilities"]

    def get_capabilities(self, user) -> list[str]:
        from samen.core import policy

        return sorted(policy.capabilities_of(user))
