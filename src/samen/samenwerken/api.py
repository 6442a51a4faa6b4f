"""Samenwerken in the REST API (/api/v1/): the networks, the agenda with its actions, milestones and budget
lines, the meetings and the self-assessment. Scoped by the policy: who steers reads and writes; a
network's members read their own networks' meetings; nothing anonymous."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from samen.core import policy
from samen.samenwerken.models import (
    Action,
    Agenda,
    BudgetLine,
    Meeting,
    Milestone,
    SelfAssessment,
    Zorgnetwerk,
    ZorgnetwerkMember,
)
from samen.samenwerken.services import agenda as agenda_service
from samen.samenwerken.services import budget as budget_service
from samen.samenwerken.services import meetings as meeting_service

MANAGE = "agenda.manage"


def _drf(error: DjangoValidationError) -> ValidationError:
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


class MemberSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = ZorgnetwerkMember
        fields = ["organisation", "function", "part"]


class ZorgnetwerkSerializer(serializers.ModelSerializer):
    wijk = serializers.CharField(source="wijk.code", allow_null=True, default=None)
    members = MemberSerializer(many=True)

    class Meta:
        model = Zorgnetwerk
        fields = ["id", "name", "kind", "wijk", "status", "description", "members"]


class ZorgnetwerkViewSet(viewsets.ReadOnlyModelViewSet):
    """The care network of each wijk and the city-wide netwerkgroep, with their member organisations."""

    capabilities = {"list": "zorgnetwerk.view", "retrieve": "zorgnetwerk.view"}
    serializer_class = ZorgnetwerkSerializer

    def get_queryset(self):
        queryset = policy.visible(self.request.user, Zorgnetwerk).select_related("wijk").prefetch_related(
            "members__organisation")
        wijk = self.request.query_params.get("wijk")
        return queryset.filter(wijk__code=wijk) if wijk else queryset


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "action", "due_on", "title", "description", "reached_on"]


class BudgetLineSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = BudgetLine
        fields = ["id", "action", "year", "funding_source", "description", "initial_amount", "changed_amount", "amount"]


class ActionSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Action
        fields = ["id", "agenda", "bouwsteen", "title", "what", "goal", "trekker", "uitvoering", "executors", "wijk",
                  "starts_on", "ends_on", "status", "status_reason", "progress", "milestones"]
        read_only_fields = ["status", "status_reason"]

    def get_progress(self, action) -> float | None:
        return agenda_service.progress_of(action, self.context["request"].user).share


class AgendaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agenda
        fields = ["id", "title", "start_year", "end_year", "description"]


class AgendaViewSet(viewsets.ReadOnlyModelViewSet):
    """The municipality's multi-year action agendas."""

    capabilities = {"list": MANAGE, "retrieve": MANAGE}
    serializer_class = AgendaSerializer

    def get_queryset(self):
        return policy.visible(self.request.user, Agenda)


class ActionViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The agenda's actions with trekker, uitvoering, milestones and computed progress (0..1, or null)."""

    capabilities = {"list": MANAGE, "retrieve": MANAGE, "create": MANAGE, "update": MANAGE,
                    "partial_update": MANAGE}
    serializer_class = ActionSerializer

    def get_queryset(self):
        return policy.visible(self.request.user, Action).prefetch_related("milestones", "indicators", "executors")

    def _save(self, serializer, action=None):
        data = {**({n: getattr(action, n) for n in agenda_service.ACTION_FIELDS} if action else {}),
                **serializer.validated_data}
        agenda = data.pop("agenda", None) or (action.agenda if action else None)
        if agenda is None or not policy.can(self.request.user, MANAGE, agenda):
            raise ValidationError({"agenda": ["Kies een uitvoeringsagenda van uw gemeente."]})
        executors = data.pop("executors", None)
        try:
            serializer.instance = agenda_service.save_action(self.request.user, agenda, data, action=action,
                                                             executors=executors)
        except DjangoValidationError as error:
            raise _drf(error) from None

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


class MilestoneViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Milestones of the actions (reached_on set: the milestone is reached)."""

    capabilities = {"list": MANAGE, "retrieve": MANAGE, "create": MANAGE, "update": MANAGE,
                    "partial_update": MANAGE}
    serializer_class = MilestoneSerializer

    def get_queryset(self):
        return policy.visible(self.request.user, Milestone)

    def _save(self, serializer, milestone=None):
        data = serializer.validated_data
        action = data.get("action") or milestone.action
        if not policy.can(self.request.user, MANAGE, action):
            raise ValidationError({"action": ["Kies een actie van uw gemeente."]})
        values = {n: data.get(n, getattr(milestone, n, None) if milestone else None)
                  for n in ("due_on", "title", "description", "reached_on")}
        values["description"] = values["description"] or ""
        try:
            serializer.instance = agenda_service.save_milestone(self.request.user, action, milestone=milestone,
                                                                **values)
        except DjangoValidationError as error:
            raise _drf(error) from None

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


class BudgetLineViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Budget lines per action and year with their funding source; amounts are decimal strings in euros."""

    capabilities = {"list": MANAGE, "retrieve": MANAGE, "create": MANAGE}
    serializer_class = BudgetLineSerializer

    def get_queryset(self):
        return policy.visible(self.request.user, BudgetLine)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        action = data.pop("action")
        if not policy.can(self.request.user, MANAGE, action):
            raise ValidationError({"action": ["Kies een actie van uw gemeente."]})
        try:
            serializer.instance = budget_service.save_line(self.request.user, action, **data)
        except DjangoValidationError as error:
            raise _drf(error) from None


class MeetingSerializer(serializers.ModelSerializer):
    network = serializers.PrimaryKeyRelatedField(queryset=Zorgnetwerk.objects.all())
    action_points = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "network", "date", "place", "agenda", "minutes", "decisions", "action_points"]
        read_only_fields = ["minutes", "decisions"]

    def get_action_points(self, meeting) -> list[dict]:
        return [{"title": p.title, "owner": p.owner_id, "due_on": p.due_on, "done_on": p.done_on}
                for p in meeting.action_points.all()]


class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Network meetings: a network's members read their own networks' meetings; who steers plans them."""

    capabilities = {"list": "meeting.view", "retrieve": "meeting.view", "create": "meeting.manage"}
    serializer_class = MeetingSerializer

    def get_queryset(self):
        return policy.visible(self.request.user, Meeting).select_related("network").prefetch_related("action_points")

    def get_object(self):
        from django.core.exceptions import PermissionDenied

        pk = self.kwargs["pk"]
        if not self.get_queryset().filter(pk=pk).exists() and Meeting.objects.filter(
                pk=pk, network__gemeente_id=self.request.user.gemeente_id).exists():
            raise PermissionDenied
        return super().get_object()

    def perform_create(self, serializer):
        data = serializer.validated_data
        network = policy.visible(self.request.user, Zorgnetwerk).filter(pk=data["network"].pk).first()
        if network is None:
            raise ValidationError({"network": ["Kies een netwerk van uw gemeente."]})
        try:
            serializer.instance = meeting_service.plan_meeting(self.request.user, network, date=data.get("date"),
                                                               place=data.get("place", ""),
                                                               agenda=data.get("agenda", ""))
        except DjangoValidationError as error:
            raise _drf(error) from None


class AnswerSerializer(serializers.Serializer):
    question = serializers.CharField()
    answer = serializers.CharField()
    note = serializers.CharField()
    evidence = serializers.CharField()


class SelfAssessmentSerializer(serializers.ModelSerializer):
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = SelfAssessment
        fields = ["id", "year", "share_with_others", "answers"]


class SelfAssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The municipality's own five-pillar self-assessments, per year."""

    capabilities = {"list": MANAGE, "retrieve": MANAGE}
    serializer_class = SelfAssessmentSerializer

    def get_queryset(self):
        return policy.visible(self.request.user, SelfAssessment).prefetch_related("answers")
