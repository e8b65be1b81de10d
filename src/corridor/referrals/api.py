"""REST endpoints of in-country referrals: the same services and scopes as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from corridor.accounts.models import Agency
from corridor.cases.selectors import CASE_ROLES, visible_cases
from corridor.core.api import ScopedViewSet
from corridor.referrals import services
from corridor.referrals.models import Referral
from corridor.referrals.selectors import visible_referrals


class ReferralSerializer(serializers.ModelSerializer):
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
    decision = serializers.ChoiceField(choices=["accept", "decline", "complete", "withdraw"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """Referrals sent from the user's cases and received by the user's agency."""

    roles = CASE_ROLES
    serializer_class = ReferralSerializer

    def get_queryset(self):
        return visible_referrals(self.request.user)

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request, *args, **kwargs):
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = visible_cases(request.user).filter(pk=values.pop("case")).first()
        agency = Agency.objects.filter(pk=values.pop("to_agency"), is_active=True).first()
        if case is None:
            raise serializers.ValidationError({"case": [_("No such case in your scope.")]})
        if agency is None:
            raise serializers.ValidationError({"to_agency": [_("No such agency.")]})
        try:
            referral = services.referral_create(
                actor=request.user, case=case, to_agency=agency, **values
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ReferralSerializer)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=ReferralDecisionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, *args, **kwargs):
        referral = self.get_object()
        data = ReferralDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision, reason = data.validated_data["decision"], data.validated_data["reason"]
        try:
            if decision in ("accept", "decline"):
                referral = services.referral_decide(
                    actor=request.user,
                    referral=referral,
                    accept=decision == "accept",
                    reason=reason,
                )
            else:
                target = (
                    Referral.Status.COMPLETED
                    if decision == "complete"
                    else Referral.Status.WITHDRAWN
                )
                referral = services.referral_close(
                    actor=request.user,
                    referral=referral,
                    to=target,
                    reason=reason,
                )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return Response(ReferralSerializer(referral).data)
