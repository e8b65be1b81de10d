"""The REST API of cross-border referrals: the same selector (``visible_referrals``) and the same
services as the pages, so scopes, consent checks, minimal field sets and the audit are theirs."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from corridor.accounts.models import Agency
from corridor.audit.services import audit_read
from corridor.cases.selectors import visible_cases
from corridor.core.api import RoleRequired
from corridor.federation import services
from corridor.federation.fields import PURPOSES
from corridor.federation.models import Peer, Referral, ReferralEvent
from corridor.federation.selectors import REFERRAL_ROLES, visible_referrals


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReferralEvent
        fields = ["kind", "status", "text", "date", "by_node", "by_name", "at"]


class ReferralSerializer(serializers.ModelSerializer):
    peer = serializers.CharField(source="peer.name")
    case = serializers.IntegerField(source="case_id", allow_null=True)
    shared = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
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

    def get_shared(self, obj) -> dict:
        return json.loads(obj.shared_data or "{}")


class ReferInput(serializers.Serializer):
    case = serializers.IntegerField()
    peer = serializers.CharField()
    purpose = serializers.ChoiceField(choices=list(PURPOSES))
    reason = serializers.CharField()


class DecideInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accepted", "declined", "info_requested"])
    agency = serializers.IntegerField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class StatusInput(serializers.Serializer):
    status = serializers.CharField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class UpdateInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=services.UPDATE_KINDS)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    date = serializers.DateField(required=False, allow_null=True, default=None)


def _forbidden(exc: PermissionDenied):
    return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)


class ReferralViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [RoleRequired]
    roles = REFERRAL_ROLES
    serializer_class = ReferralSerializer

    def get_queryset(self):
        return visible_referrals(self.request.user).prefetch_related("events")

    def retrieve(self, request, pk=None):
        referral = self.get_object()
        audit_read(actor=request.user, target=referral)
        return Response(ReferralSerializer(referral).data)

    @extend_schema(request=ReferInput, responses=ReferralSerializer)
    def create(self, request):
        data = ReferInput(data=request.data)
        data.is_valid(raise_exception=True)
        case = get_object_or_404(visible_cases(request.user), pk=data.validated_data["case"])
        peer = get_object_or_404(Peer, name=data.validated_data["peer"], is_active=True)
        try:
            referral = services.referral_send(
                actor=request.user,
                case=case,
                peer=peer,
                purpose=data.validated_data["purpose"],
                reason=data.validated_data["reason"],
            )
        except PermissionDenied as exc:
            return _forbidden(exc)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    def _act(self, request, serializer_class, service, **extra):
        referral = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        kwargs = dict(data.validated_data)
        if "agency" in kwargs:
            agency_id = kwargs.pop("agency")
            kwargs["agency"] = Agency.objects.filter(pk=agency_id).first() if agency_id else None
        try:
            service(actor=request.user, referral=referral, **kwargs)
        except PermissionDenied as exc:
            return _forbidden(exc)
        referral.refresh_from_db()
        return Response(ReferralSerializer(referral).data)

    @extend_schema(request=DecideInput, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self._act(request, DecideInput, services.referral_decide)

    @extend_schema(request=StatusInput, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        return self._act(request, StatusInput, services.referral_set_status)

    @extend_schema(request=UpdateInput, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def update_shared(self, request, pk=None):
        return self._act(request, UpdateInput, services.referral_add_update)
