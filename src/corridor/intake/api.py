"""The REST API of intake, the pages' twin: hand-offs (list, detail, accept, open the case) and
hotline intakes (list, detail, record a call), through the same selectors and services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from corridor.cases.api import CaseSerializer
from corridor.core.api import ModelSerializer, ScopedViewSet, parsed
from corridor.intake import services
from corridor.intake.models import Channel, Concern, Handoff, Intake, Urgency
from corridor.intake.selectors import (
    HANDOFF_READERS,
    INTAKE_READERS,
    INTAKE_TAKERS,
    RECEIVERS,
    visible_handoffs,
    visible_intakes,
)
from corridor.people.api import UUID_PATTERN


class HandoffSerializer(ModelSerializer):
    point = serializers.SlugRelatedField(slug_field="code", read_only=True)
    from_agency = serializers.StringRelatedField()
    to_agency = serializers.StringRelatedField()
    case = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    hours = serializers.FloatField(read_only=True)

    class Meta:
        model = Handoff
        fields = [
            "uid",
            "source",
            "point",
            "from_agency",
            "to_agency",
            "reasons",
            "status",
            "started_at",
            "first_action_at",
            "hours",
            "case",
            "interception_sent_at",
        ]
        read_only_fields = fields


class HandoffViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Hand-offs within the user's scope (``visible_handoffs``); no name travels here."""

    roles = HANDOFF_READERS
    action_roles = {"accept": RECEIVERS, "open_case": RECEIVERS}
    serializer_class = HandoffSerializer
    lookup_field = "uid"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self):
        return visible_handoffs(self.request.user)

    @extend_schema(request=None, responses=HandoffSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, uid=None):
        """The agency on duty takes the hand-off: the clock stops."""
        handoff = services.handoff_accept(actor=request.user, handoff=self.get_object())
        return Response(HandoffSerializer(handoff).data)

    @extend_schema(request=None, responses={201: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="open-case")
    def open_case(self, request, uid=None):
        """The agency on duty opens the case in its own name."""
        case = services.handoff_open_case(actor=request.user, handoff=self.get_object())
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)


class IntakeSerializer(ModelSerializer):
    agency = serializers.StringRelatedField()
    dispatched_to = serializers.SlugRelatedField(slug_field="username", read_only=True)
    case = serializers.SlugRelatedField(slug_field="ref", read_only=True)

    class Meta:
        model = Intake
        fields = [
            "uid",
            "ref",
            "channel",
            "anonymous",
            "reporter_name",
            "reporter_phone",
            "place",
            "concern_type",
            "concern",
            "children_involved",
            "urgency",
            "status",
            "outcome",
            "agency",
            "received_at",
            "acknowledgement",
            "dispatched_to",
            "case",
        ]
        read_only_fields = fields


class IntakeWriteSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.CALL)
    concern = serializers.CharField(max_length=5000)
    concern_type = serializers.ChoiceField(choices=Concern.choices, default=Concern.OTHER)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.DAY)
    place = serializers.CharField(required=False, allow_blank=True, max_length=150)
    children_involved = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=500
    )
    anonymous = serializers.BooleanField(required=False, default=False)
    reporter_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    reporter_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)


class IntakeViewSet(
    ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Hotline intakes within the user's scope (``visible_intakes``)."""

    roles = INTAKE_READERS
    action_roles = {"create": INTAKE_TAKERS}
    serializer_class = IntakeSerializer
    lookup_field = "uid"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self):
        return visible_intakes(self.request.user)

    @extend_schema(request=IntakeWriteSerializer, responses={201: IntakeSerializer})
    def create(self, request, *args, **kwargs):
        intake = services.intake_record(
            actor=request.user, **parsed(IntakeWriteSerializer, request)
        )
        return Response(IntakeSerializer(intake).data, status=status.HTTP_201_CREATED)
