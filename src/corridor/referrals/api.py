"""REST endpoints of referrals, in-country and cross-border: the same services and scoped
selectors as the pages, so consent checks, scopes, minimal field sets and the audit are theirs.
Errors rise to ``corridor.core.api.exception_handler`` (400 with field errors, 403, 404)."""

from __future__ import annotations

import json

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from corridor.accounts.models import Agency, Role
from corridor.cases.selectors import CASE_ROLES, visible_cases
from corridor.core.api import DateField, ModelSerializer, ScopedViewSet, scoped_or_404
from corridor.federation.selectors import active_peers
from corridor.referrals import cross_border, services
from corridor.referrals.cross_border_fields import PURPOSES
from corridor.referrals.models import (
    DECISIONS,
    RECEIVER_DECISIONS,
    CrossBorderReferral,
    CrossBorderReferralEvent,
    CrossBorderStatus,
    Referral,
)
from corridor.referrals.selectors import (
    CROSS_BORDER_ROLES,
    visible_cross_border_referrals,
    visible_referrals,
)

# --- In-country referrals -------------------------------------------------------------------


class ReferralSerializer(ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    from_agency = serializers.StringRelatedField()
    to_agency = serializers.StringRelatedField()
    sent_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "from_agency",
            "to_agency",
            "service_type",
            "reason",
            "details",
            "status",
            "decision_reason",
            "sent_by",
            "sent_at",
            "decided_at",
        ]
        read_only_fields = fields


class ReferralCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="id of a case you manage")
    to_agency = serializers.IntegerField(help_text="id of the receiving agency")
    reason = serializers.CharField()
    service_type = serializers.CharField(required=False, allow_blank=True, default="")
    details = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=services.ANSWERS)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """Referrals sent from the user's cases and received by the user's agency."""

    roles = CASE_ROLES
    serializer_class = ReferralSerializer

    def get_queryset(self):
        return visible_referrals(self.request.user).order_by("-sent_at", "-pk")

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request, *args, **kwargs):
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = scoped_or_404(visible_cases(request.user), field="case", pk=values.pop("case"))
        agency = scoped_or_404(
            Agency.objects.filter(is_active=True), field="to_agency", pk=values.pop("to_agency")
        )
        referral = services.referral_create(
            actor=request.user, case=case, to_agency=agency, **values
        )
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ReferralSerializer)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=ReferralDecisionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, *args, **kwargs):
        """Accept, decline (with a reason) or complete as the receiving agency; withdraw as the
        referring one."""
        referral = self.get_object()
        data = ReferralDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.referral_answer(
            actor=request.user, referral=referral, **data.validated_data
        )
        return Response(ReferralSerializer(referral).data)


# --- Cross-border referrals -----------------------------------------------------------------


class CrossBorderEventSerializer(ModelSerializer):
    class Meta:
        model = CrossBorderReferralEvent
        fields = ["kind", "status", "text", "date", "by_node", "by_name", "at"]


class CrossBorderReferralSerializer(ModelSerializer):
    peer = serializers.CharField(source="peer.name")
    case = serializers.IntegerField(source="case_id", allow_null=True)
    shared = serializers.SerializerMethodField()
    events = CrossBorderEventSerializer(many=True, read_only=True)

    class Meta:
        model = CrossBorderReferral
        fields = [
            "id",
            "uid",
            "direction",
            "peer",
            "case",
            "purpose",
            "status",
            "remote_case_ref",
            "legal_basis",
            "sharing_stopped",
            "reason",
            "shared",
            "created_at",
            "events",
        ]
        read_only_fields = fields

    def get_shared(self, obj) -> dict:
        return json.loads(obj.shared_data or "{}")


class CrossBorderReferInput(serializers.Serializer):
    case = serializers.IntegerField(help_text="id of a case you manage")
    peer = serializers.CharField(help_text="name of the peer node, e.g. gabon")
    purpose = serializers.ChoiceField(choices=list(PURPOSES))
    reason = serializers.CharField()


class CrossBorderDecideInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DECISIONS)
    agency = serializers.IntegerField(
        required=False, allow_null=True, help_text="id of the agency in charge (to accept)"
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CrossBorderStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[s for s in CrossBorderStatus.values if s not in RECEIVER_DECISIONS]
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CrossBorderUpdateInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=cross_border.UPDATE_KINDS)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    date = DateField(required=False, allow_null=True, default=None)


class DirectionFilter(serializers.Serializer):
    direction = serializers.ChoiceField(
        choices=CrossBorderReferral.Direction.choices, required=False, help_text="in or out"
    )


@extend_schema_view(list=extend_schema(parameters=[DirectionFilter]))
class CrossBorderReferralViewSet(ScopedViewSet, mixins.ListModelMixin):
    """Cross-border referrals sent and received by this node, within the user's scope (the
    national coordinator sees them all). ``?direction=in`` or ``out`` filters the list."""

    roles = CROSS_BORDER_ROLES
    action_roles = {"decide": (Role.COORDINATOR,)}  # only the national coordinator decides
    serializer_class = CrossBorderReferralSerializer
    query_filter = DirectionFilter

    def get_queryset(self):
        referrals = visible_cross_border_referrals(self.request.user).prefetch_related("events")
        direction = self.query().get("direction") if self.action == "list" else None
        if direction:
            referrals = referrals.filter(direction=direction)
        return referrals

    @extend_schema(responses=CrossBorderReferralSerializer)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=CrossBorderReferInput, responses={201: CrossBorderReferralSerializer})
    def create(self, request, *args, **kwargs):
        """Refer a case to the other country's node (needs cross-border consent on the case)."""
        data = CrossBorderReferInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = scoped_or_404(visible_cases(request.user), field="case", pk=values.pop("case"))
        peer = scoped_or_404(active_peers(), field="peer", name=values.pop("peer"))
        referral = cross_border.referral_send(actor=request.user, case=case, peer=peer, **values)
        return Response(
            CrossBorderReferralSerializer(referral).data, status=status.HTTP_201_CREATED
        )

    def _act(self, request, input_class, service):
        referral = self.get_object()
        data = input_class(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "agency" in values:
            agency_id = values.pop("agency")
            values["agency"] = Agency.objects.filter(pk=agency_id).first() if agency_id else None
        service(actor=request.user, referral=referral, **values)
        return Response(CrossBorderReferralSerializer(self.get_object()).data)

    @extend_schema(request=CrossBorderDecideInput, responses=CrossBorderReferralSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, *args, **kwargs):
        """The receiving node's coordinator accepts (with the agency in charge), declines or
        asks for information (both with a comment)."""
        return self._act(request, CrossBorderDecideInput, cross_border.referral_decide)

    @extend_schema(request=CrossBorderStatusInput, responses=CrossBorderReferralSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, *args, **kwargs):
        """Move the shared status along the flow table; the other node is told."""
        return self._act(request, CrossBorderStatusInput, cross_border.referral_set_status)

    @extend_schema(request=CrossBorderUpdateInput, responses=CrossBorderReferralSerializer)
    @action(detail=True, methods=["post"])
    def update_shared(self, request, *args, **kwargs):
        """Share an update (family traced, return date, follow-up visit, a note …)."""
        return self._act(request, CrossBorderUpdateInput, cross_border.referral_add_update)
