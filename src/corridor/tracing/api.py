"""The REST API of family tracing: requests (filed, closed, looked up at the peer node), ranked
candidates and decisions, possible duplicates, merges and their undoing, and the versions of the
node's match model.

The pages' twin: the same selectors (``visible_tracing_requests``, ``ranked_candidates``,
``visible_duplicates``, ``visible_merges``, ``visible_match_models``) and services, so roles,
scopes, validation and audit are the pages' own. People are named by their uid, never by a
database id.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.core.api import ModelSerializer, ScopedViewSet, parsed, scoped_or_404
from corridor.intel.models import Decision
from corridor.people.selectors import visible_persons
from corridor.tracing import lookup, services
from corridor.tracing.forms import TracingRequestForm
from corridor.tracing.models import (
    DuplicateCandidate,
    MatchModel,
    PeerLookup,
    PersonMerge,
    RequestStatus,
    TracingRequest,
)
from corridor.tracing.selectors import (
    ACTIVATE_ROLES,
    MERGE_ROLES,
    MODEL_ROLES,
    TRACING_ROLES,
    candidate_children,
    ranked_candidates,
    visible_duplicates,
    visible_match_models,
    visible_merges,
    visible_tracing_requests,
)

INTEGER_ID = "[0-9]+"


class TracingRequestSerializer(ModelSerializer):
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


class TracingRequestWriteSerializer(ModelSerializer):
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


class RequestFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=RequestStatus.choices, required=False)
    q = serializers.CharField(required=False, max_length=200, help_text="names or reference")


class CloseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class LookupSerializer(ModelSerializer):
    sent_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PeerLookup
        fields = ["query_id", "peer", "sent_by", "sent_at", "answered_at", "answer"]
        read_only_fields = fields


class TracingRequestViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """Tracing requests within the user's scope (``visible_tracing_requests``); ``status`` and
    ``q`` (names or reference) narrow the list, as on the page."""

    roles = TRACING_ROLES
    serializer_class = TracingRequestSerializer
    lookup_value_regex = INTEGER_ID
    query_filter = RequestFilter

    def get_queryset(self):
        requests = visible_tracing_requests(self.request.user)
        if self.action == "list":
            query = self.query()
            if query.get("status"):
                requests = requests.filter(status=query["status"])
            for word in query.get("q", "").split():
                requests = requests.filter(
                    Q(given_names__icontains=word)
                    | Q(family_name__icontains=word)
                    | Q(ref__icontains=word)
                )
        return requests

    @extend_schema(parameters=[RequestFilter])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=TracingRequestWriteSerializer, responses={201: TracingRequestSerializer})
    def create(self, request, *args, **kwargs):
        values = parsed(TracingRequestWriteSerializer, request)
        created = services.tracing_request_create(actor=request.user, **values)
        return Response(TracingRequestSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CloseSerializer, responses=TracingRequestSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the request, saying why (a closed request is no longer matched)."""
        tracing_request = self.get_object()
        closed = services.tracing_request_close(
            actor=request.user, request=tracing_request, **parsed(CloseSerializer, request)
        )
        return Response(TracingRequestSerializer(closed).data)

    @extend_schema(request=None, responses={201: LookupSerializer})
    @action(detail=True, methods=["post"])
    def lookup(self, request, pk=None):
        """Ask the peer node, privacy-preservingly, whether it holds a matching child; the
        answer arrives later on the look-up."""
        record = lookup.lookup_send(actor=request.user, request=self.get_object())
        return Response(LookupSerializer(record).data, status=status.HTTP_201_CREATED)

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
        values = parsed(DecisionSerializer, request)
        person = scoped_or_404(
            candidate_children(request.user), field="person", uid=values.pop("person")
        )
        judgement = services.tracing_decide(
            actor=request.user, request=tracing_request, person=person, **values
        )
        return Response({"decision": judgement.decision})


class DuplicateSerializer(ModelSerializer):
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


class DuplicateFilter(serializers.Serializer):
    person = serializers.UUIDField(required=False, help_text="the pairs of one person")


class DuplicateViewSet(ScopedViewSet, mixins.ListModelMixin):
    """Possible duplicates whose two people the user can both see (``person``: of one of them)."""

    roles = TRACING_ROLES
    action_roles = {"merge": MERGE_ROLES}
    serializer_class = DuplicateSerializer
    lookup_value_regex = INTEGER_ID
    query_filter = DuplicateFilter

    def get_queryset(self):
        pairs = visible_duplicates(self.request.user)
        if self.action == "list":
            person = self.query().get("person")
            if person is not None:
                pairs = pairs.filter(Q(first__uid=person) | Q(second__uid=person))
        return pairs

    @extend_schema(parameters=[DuplicateFilter])
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
        judgement = services.duplicate_decide(
            actor=request.user, candidate=pair, **parsed(DuplicateDecisionSerializer, request)
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
        values = parsed(MergeSerializer, request)
        people = {
            p.uid: p
            for p in visible_persons(request.user).filter(pk__in=(pair.first_id, pair.second_id))
        }
        keep = people.get(values["survivor"])
        if keep is None or len(people) != 2:
            raise serializers.ValidationError({"survivor": [_("Choose one of the two people.")]})
        other = next(p for uid, p in people.items() if uid != keep.uid)
        merge = services.person_merge(
            actor=request.user, survivor=keep, duplicate=other, comment=values["comment"]
        )
        return Response({"merge": merge.pk}, status=status.HTTP_201_CREATED)


class PersonMergeSerializer(ModelSerializer):
    survivor = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    duplicate = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    merged_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    undone_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PersonMerge
        fields = ["id", "survivor", "duplicate", "merged_by", "merged_at", "comment"]
        fields += ["undone_by", "undone_at"]
        read_only_fields = fields


class UndoSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class MergeViewSet(ScopedViewSet, mixins.ListModelMixin):
    """Merges of people the user can see; supervisors and coordinators undo one."""

    roles = TRACING_ROLES
    action_roles = {"undo": MERGE_ROLES}
    serializer_class = PersonMergeSerializer
    lookup_value_regex = INTEGER_ID

    def get_queryset(self):
        return visible_merges(self.request.user).order_by("-merged_at", "-id")

    @extend_schema(request=UndoSerializer, responses=PersonMergeSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        merge = self.get_object()
        merge = services.person_unmerge(
            actor=request.user, merge=merge, **parsed(UndoSerializer, request)
        )
        return Response(PersonMergeSerializer(merge).data)


# The node's match model --------------------------------------------------------------------------


class MatchModelSerializer(ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    activated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = MatchModel
        fields = [
            "id",
            "created_at",
            "created_by",
            "matches",
            "non_matches",
            "folds",
            "accuracy",
            "f1",
            "log_loss",
            "baseline",
            "baseline_accuracy",
            "baseline_f1",
            "baseline_log_loss",
            "is_active",
            "activated_at",
            "activated_by",
        ]
        read_only_fields = fields


class MatchModelViewSet(ScopedViewSet, mixins.ListModelMixin):
    """Versions of the node's match model with the numbers they were judged by. Supervisors and
    coordinators retrain (a new version, not in force); a national coordinator puts a version
    in force, or the shipped model back (``shipped``)."""

    roles = MODEL_ROLES
    action_roles = {"activate": ACTIVATE_ROLES, "shipped": ACTIVATE_ROLES}
    serializer_class = MatchModelSerializer
    lookup_value_regex = INTEGER_ID

    def get_queryset(self):
        return visible_match_models(self.request.user)

    @extend_schema(request=None, responses={201: MatchModelSerializer})
    @action(detail=False, methods=["post"])
    def retrain(self, request):
        """Re-fit on the reviewers' decisions in force (refused below the minimum)."""
        version = services.match_model_retrain(actor=request.user)
        return Response(MatchModelSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=MatchModelSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        version = services.match_model_activate(actor=request.user, version=self.get_object())
        return Response(MatchModelSerializer(version).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("ShippedModelOut", {"in_force": serializers.CharField()}),
    )
    @action(detail=False, methods=["post"])
    def shipped(self, request):
        """Put the model shipped with the engine back in force."""
        services.match_model_activate(actor=request.user, version=None)
        return Response({"in_force": "shipped"})
