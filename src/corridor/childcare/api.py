"""REST endpoints of the child's case in depth: the child's file, and the records a field visit
produces (tracing actions, follow-up visits), written through the same services as the pages so
that a later offline sync or ODK import can call them too. Shelter occupancy for coordinators."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from corridor.audit.services import node_about
from corridor.cases.selectors import CASE_ROLES, visible_cases
from corridor.childcare import scoring, services
from corridor.childcare.models import (
    BestInterestAssessment,
    BestInterestDetermination,
    FamilyAssessment,
    FollowUpVisit,
    HandOver,
    Placement,
    TracingAction,
)
from corridor.childcare.selectors import OCCUPANCY_ROLES, child_file, shelter_occupancy
from corridor.core.api import (
    DateField,
    IdField,
    ModelSerializer,
    RoleRequired,
    ScopedViewSet,
    parsed,
)

INTEGER_ID = r"[0-9]{1,18}"


class _Record(ModelSerializer):
    version = serializers.IntegerField(read_only=True)


class AssessmentSerializer(_Record):
    decision = serializers.CharField(read_only=True)

    class Meta:
        model = BestInterestAssessment
        exclude = ["case", "recorded_by", "approval"]


class DeterminationSerializer(_Record):
    status = serializers.CharField(read_only=True)

    class Meta:
        model = BestInterestDetermination
        exclude = ["case", "recorded_by", "approval"]


class FamilyAssessmentSerializer(_Record):
    class Meta:
        model = FamilyAssessment
        exclude = ["case", "recorded_by"]


class TracingActionSerializer(_Record):
    class Meta:
        model = TracingAction
        exclude = ["case", "recorded_by"]


class PlacementSerializer(_Record):
    class Meta:
        model = Placement
        exclude = ["case", "recorded_by"]


class HandOverSerializer(_Record):
    class Meta:
        model = HandOver
        exclude = ["case", "recorded_by", "referral"]


class VisitSerializer(_Record):
    class Meta:
        model = FollowUpVisit
        exclude = ["case", "recorded_by"]


class ChildFileSerializer(serializers.Serializer):
    case = serializers.IntegerField(source="case.pk")
    ref = serializers.CharField(source="case.ref")
    child_step = serializers.CharField(source="case.child_step")
    assessments = AssessmentSerializer(many=True)
    determinations = DeterminationSerializer(many=True)
    family_assessments = FamilyAssessmentSerializer(many=True)
    tracing_actions = TracingActionSerializer(many=True)
    placements = PlacementSerializer(many=True)
    handovers = HandOverSerializer(many=True)
    visits = VisitSerializer(many=True)


class TracingActionInput(serializers.Serializer):
    date = DateField()
    action = serializers.CharField(max_length=200)
    place = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    who = serializers.CharField(max_length=150)
    outcome = serializers.CharField(max_length=20)
    notes = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)


class RatingsInput(serializers.Serializer):
    """Each item rated 1 (worst) to 5 (best); the service refuses anything else."""

    def get_fields(self):
        return {item: serializers.IntegerField() for item in scoring.ITEMS}


class VisitInput(serializers.Serializer):
    month = serializers.IntegerField()
    visited_on = DateField()
    placement = IdField(required=False, allow_null=True, default=None)
    living_with = serializers.CharField(max_length=20)
    schooling = serializers.CharField(max_length=20)
    safety = serializers.CharField(max_length=10)
    wellbeing = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)
    childs_account = serializers.CharField(
        max_length=4000, required=False, default="", allow_blank=True
    )
    ratings = RatingsInput()


class ChildCaseViewSet(ScopedViewSet):
    """Children's cases within the user's scope (``visible_cases``), each read as its file."""

    roles = CASE_ROLES
    serializer_class = ChildFileSerializer
    lookup_value_regex = INTEGER_ID

    def get_queryset(self):
        return visible_cases(self.request.user).filter(is_child=True)

    def retrieve(self, request, *args, **kwargs):
        from corridor.audit.services import audit_read

        case = self.get_object()
        audit_read(
            actor=request.user, target=case, summary=node_about("API", gettext_noop("child's file"))
        )
        return Response(ChildFileSerializer({"case": case, **child_file(case)}).data)

    @extend_schema(request=TracingActionInput, responses={201: TracingActionSerializer})
    @action(detail=True, methods=["post"], url_path="tracing-actions")
    def tracing_actions(self, request, pk=None):
        case = self.get_object()
        record = services.tracing_action_record(
            actor=request.user, case=case, **parsed(TracingActionInput, request)
        )
        return Response(TracingActionSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VisitInput, responses={201: VisitSerializer})
    @action(detail=True, methods=["post"])
    def visits(self, request, pk=None):
        case = self.get_object()
        values = parsed(VisitInput, request)
        placement_id = values.pop("placement")
        placement = None
        if placement_id is not None:
            placement = case.placements.filter(pk=placement_id).first()
            if placement is None:
                raise serializers.ValidationError({"placement": [_("Not found in your scope.")]})
        visit = services.visit_record(actor=request.user, case=case, placement=placement, **values)
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class OccupancySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    city = serializers.CharField()
    capacity = serializers.IntegerField(allow_null=True)
    occupied = serializers.IntegerField()
    free = serializers.IntegerField(allow_null=True)


class OccupancyViewSet(viewsets.GenericViewSet):
    """Shelter occupancy against capacity (counts only), for coordinators and supervisors."""

    permission_classes = [RoleRequired]
    roles = OCCUPANCY_ROLES
    serializer_class = OccupancySerializer
    pagination_class = None

    def get_queryset(self):
        from corridor.referrals.models import ServiceProvider

        return ServiceProvider.objects.none()

    def list(self, request, *args, **kwargs):
        return Response(OccupancySerializer(shelter_occupancy(request.user), many=True).data)
