"""The REST API of family tracing: requests, ranked candidates, decisions, duplicates.

The pages' twin: the same selectors (``visible_tracing_requests``, ``ranked_candidates``,
``visible_duplicates``) and services (``tracing_request_create``, ``tracing_decide``,
``duplicate_decide``, ``person_merge``), so scopes, validation and audit are the pages' own.
People are named by their uid, never by a database id.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.core.api import ScopedViewSet
from corridor.intel.models import Decision
from corridor.people.selectors import visible_persons
from corridor.tracing import services
from corridor.tracing.forms import TracingRequestForm
from corridor.tracing.models import DuplicateCandidate, TracingRequest
from corridor.tracing.selectors import (
    MERGE_ROLES,
    TRACING_ROLES,
    candidate_children,
    ranked_candidates,
    visible_duplicates,
    visible_tracing_requests,
)


class TracingRequestSerializer(serializers.ModelSerializer):
    agency = serializers.StringRelatedField()
    filed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    matched_person = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    matched_case = serializers.SlugRelatedField(slug_field="ref", read_only=True)

    class Meta:
        model = TracingRequest
        fields = [
            "id",
            "uid",
            "ref",
            "status",
            "agency",
            "filed_by",
            *TracingRequestForm.Meta.fields,
            "matched_person",
            "matched_case",
            "created_at",
        ]
        read_only_fields = fields


class TracingRequestWriteSerializer(serializers.ModelSerializer):
    """The fields of ``tracing_request_create``; the service checks them."""

    class Meta:
        model = TracingRequest
        fields = TracingRequestForm.Meta.fields

    def validate(self, attrs):
        return attrs

    def get_validators(self):
        return []


class ReasonSerializer(serializers.Serializer):
    level = serializers.CharField()
    sentence = serializers.CharField()
    weight = serializers.FloatField()


class CandidateSerializer(serializers.Serializer):
    person = serializers.UUIDField(source="person.uid")
    name = serializers.CharField(source="person.display_name")
    case = serializers.CharField(source="case.ref", allow_null=True, default=None)
    probability = serializers.FloatField()
    reasons = ReasonSerializer(many=True)
    decision = serializers.CharField(source="decision.decision", allow_null=True, default=None)


class DecisionSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class TracingRequestViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """Tracing requests within the user's scope (``visible_tracing_requests``)."""

    roles = TRACING_ROLES
    serializer_class = TracingRequestSerializer

    def get_queryset(self):
        return visible_tracing_requests(self.request.user)

    @extend_schema(request=TracingRequestWriteSerializer, responses={201: TracingRequestSerializer})
    def create(self, request, *args, **kwargs):
        data = TracingRequestWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.tracing_request_create(actor=request.user, **dict(data.validated_data))
        return Response(TracingRequestSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=TracingRequestSerializer)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(responses=CandidateSerializer(many=True))
    @action(detail=True, methods=["get"])
    def candidates(self, request, pk=None):
        """The children the user may see, ranked, each with the per-field explanation."""
        tracing_request = self.get_object()
        found = ranked_candidates(request.user, tracing_request)
        audit_record(
            actor=request.user,
            action=Action.READ,
            target=tracing_request,
            summary=f"{tracing_request.ref} (api)",
            detail={"candidates": [c["person"].pk for c in found]},
        )
        return Response(CandidateSerializer(found, many=True).data)

    @extend_schema(
        request=DecisionSerializer,
        responses=inline_serializer("JudgementOut", {"decision": serializers.CharField()}),
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Match / no match / unsure on a request and a child, to the judgement log."""
        tracing_request = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = candidate_children(request.user).filter(uid=data.validated_data["person"]).first()
        if person is None:
            raise serializers.ValidationError({"person": [_("No such child in your scope.")]})
        judgement = services.tracing_decide(
            actor=request.user,
            request=tracing_request,
            person=person,
            decision=data.validated_data["decision"],
            comment=data.validated_data["comment"],
        )
        return Response({"decision": judgement.decision})


class DuplicateSerializer(serializers.ModelSerializer):
    first = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    second = serializers.SlugRelatedField(slug_field="uid", read_only=True)

    class Meta:
        model = DuplicateCandidate
        fields = ["id", "first", "second", "score", "levels", "found_at"]
        read_only_fields = fields


class DuplicateDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class MergeSerializer(serializers.Serializer):
    survivor = serializers.UUIDField(help_text="uid of the person to keep (one of the pair)")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class DuplicateViewSet(ScopedViewSet, mixins.ListModelMixin):
    """Possible duplicates whose two people the user can both see."""

    roles = TRACING_ROLES
    action_roles = {"merge": MERGE_ROLES}
    serializer_class = DuplicateSerializer

    def get_queryset(self):
        return visible_duplicates(self.request.user)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_record(
            actor=request.user,
            action=Action.READ,
            object_type="tracing.duplicatecandidate",
            summary="api",
        )
        return response

    @extend_schema(
        request=DuplicateDecisionSerializer,
        responses=inline_serializer("DuplicateJudgementOut", {"decision": serializers.CharField()}),
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        pair = self.get_object()
        data = DuplicateDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        judgement = services.duplicate_decide(
            actor=request.user, candidate=pair, **data.validated_data
        )
        return Response({"decision": judgement.decision})

    @extend_schema(
        request=MergeSerializer,
        responses=inline_serializer("MergeOut", {"merge": serializers.IntegerField()}),
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge the pair, keeping ``survivor``; undone on the duplicates page."""
        pair = self.get_object()
        data = MergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        people = {
            p.uid: p
            for p in visible_persons(request.user).filter(pk__in=(pair.first_id, pair.second_id))
        }
        keep = people.get(data.validated_data["survivor"])
        if keep is None or len(people) != 2:
            raise serializers.ValidationError({"survivor": [_("Choose one of the two people.")]})
        other = next(p for uid, p in people.items() if uid != keep.uid)
        merge = services.person_merge(
            actor=request.user,
            survivor=keep,
            duplicate=other,
            comment=data.validated_data["comment"],
        )
        return Response({"merge": merge.pk}, status=status.HTTP_201_CREATED)
