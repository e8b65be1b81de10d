"""REST endpoints of justice: the same services and scoped selectors as the pages (so the
transition table, the consent check, the jurisdiction scope and the audit are theirs). Errors
rise to ``corridor.core.api.exception_handler`` (400 with field errors, 403, 404)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from corridor.audit.services import audit_read_many
from corridor.core.api import (
    DateField,
    IdField,
    ModelSerializer,
    ScopedViewSet,
    parsed,
    scoped_or_404,
)
from corridor.justice import mla, services
from corridor.justice.models import (
    Accused,
    Charge,
    CriminalCase,
    EventKind,
    MlaEvent,
    MlaRequest,
    ProceedingEvent,
    SupportMeasure,
    VictimLink,
)
from corridor.justice.selectors import (
    JUSTICE_ROLES,
    visible_accused,
    visible_criminal_cases,
    visible_mla_requests,
    visible_victims,
)


class _Code(serializers.CharField):
    def __init__(self, *, choices=None, **kwargs):
        super().__init__(**kwargs)


class _Plain(ModelSerializer):
    """Codes as plain strings (their values are in the vocabularies and models), so the
    OpenAPI document does not grow one enum per field name."""

    serializer_choice_field = _Code


class ChargeSerializer(_Plain):
    class Meta:
        model = Charge
        fields = ["id", "offence", "exploitation", "outcome", "decided_on"]
        read_only_fields = fields


class EventSerializer(_Plain):
    class Meta:
        model = ProceedingEvent
        fields = [
            "id",
            "kind",
            "date",
            "charge",
            "outcome",
            "sentence_months",
            "fine",
            "amount",
            "court",
            "note",
            "stage_after",
        ]
        read_only_fields = fields


class AccusedSerializer(_Plain):
    charges = ChargeSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    criminal_case = serializers.SlugRelatedField(slug_field="ref", read_only=True)

    class Meta:
        model = Accused
        fields = [
            "id",
            "criminal_case",
            "name",
            "sex",
            "is_child",
            "citizenship",
            "intel_entity",
            "stage",
            "charges",
            "events",
        ]
        read_only_fields = fields


class MeasureSerializer(_Plain):
    class Meta:
        model = SupportMeasure
        fields = ["id", "measure", "status", "requested_on", "decided_on", "amount", "note"]
        read_only_fields = fields


class VictimSerializer(_Plain):
    case_ref = serializers.CharField(source="case.ref", read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)

    class Meta:
        model = VictimLink
        fields = ["id", "case_ref", "legal_ground", "naming_ground", "linked_on", "measures"]
        read_only_fields = fields


class CriminalCaseSerializer(_Plain):
    class Meta:
        model = CriminalCase
        fields = ["id", "ref", "title", "jurisdiction", "opened_on", "summary", "evidence"]
        read_only_fields = fields


class CriminalCaseDetailSerializer(CriminalCaseSerializer):
    accused = AccusedSerializer(many=True, read_only=True)
    victims = VictimSerializer(many=True, read_only=True)

    class Meta(CriminalCaseSerializer.Meta):
        fields = [*CriminalCaseSerializer.Meta.fields, "accused", "victims"]
        read_only_fields = fields


class CriminalCaseCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    jurisdiction = serializers.CharField(max_length=30)
    opened_on = DateField(required=False)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class AccusedCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    complaint_on = DateField()
    offences = serializers.ListField(child=serializers.CharField(max_length=30), min_length=1)
    exploitation = serializers.CharField(required=False, allow_blank=True, default="")
    sex = serializers.CharField(max_length=1, default=Accused.Sex.UNKNOWN, help_text="F, M, U")
    is_child = serializers.BooleanField(default=False)
    citizenship = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    intel_entity = IdField(required=False, allow_null=True, default=None)


class VictimCreateSerializer(serializers.Serializer):
    case_ref = serializers.CharField(max_length=30)
    legal_ground = serializers.CharField(required=False, allow_blank=True, default="")


class EventCreateSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=20, help_text=", ".join(EventKind.values))
    date = DateField()
    charge = IdField(required=False, allow_null=True, default=None)
    outcome = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="convicted, acquitted, dismissed"
    )
    sentence_months = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    fine = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    amount = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    court = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MeasureCreateSerializer(serializers.Serializer):
    measure = serializers.CharField(max_length=30)
    requested_on = DateField()
    amount = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MeasureDecideSerializer(serializers.Serializer):
    measure = IdField()
    status = serializers.CharField(max_length=10, help_text="granted, refused, paid")
    decided_on = DateField()
    amount = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class CriminalCaseViewSet(ScopedViewSet, mixins.ListModelMixin):
    """Criminal cases of the user's jurisdiction (judicial police and prosecutors only)."""

    roles = JUSTICE_ROLES

    def get_queryset(self):
        cases = visible_criminal_cases(self.request.user)
        if self.action == "retrieve":
            cases = cases.prefetch_related(
                "accused__charges", "accused__events", "victims__case", "victims__measures"
            )
        return cases

    def get_serializer_class(self):
        return CriminalCaseDetailSerializer if self.action == "retrieve" else CriminalCaseSerializer

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        rows = response.data["results"] if isinstance(response.data, dict) else response.data
        audit_read_many(
            actor=request.user, records=[r["id"] for r in rows], kind="justice.criminalcase"
        )
        return response

    @extend_schema(request=CriminalCaseCreateSerializer, responses={201: CriminalCaseSerializer})
    def create(self, request, *args, **kwargs):
        case = services.criminal_case_open(
            actor=request.user, **parsed(CriminalCaseCreateSerializer, request)
        )
        return Response(CriminalCaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AccusedCreateSerializer, responses={201: AccusedSerializer})
    @action(detail=True, methods=["post"])
    def accused(self, request, *args, **kwargs):
        """Add a suspect with their charges and the complaint that starts their chain."""
        case = self.get_object()
        values = parsed(AccusedCreateSerializer, request)
        entity_id = values.pop("intel_entity")
        entity = None
        if entity_id:
            from corridor.intel.models import Entity

            entity = scoped_or_404(Entity.objects.all(), field="intel_entity", pk=entity_id)
        accused = services.accused_add(
            actor=request.user, criminal_case=case, intel_entity=entity, **values
        )
        return Response(AccusedSerializer(accused).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VictimCreateSerializer, responses={201: VictimSerializer})
    @action(detail=True, methods=["post"])
    def victims(self, request, *args, **kwargs):
        """Link a victim by their protection case's reference (consent or a legal ground)."""
        case = self.get_object()
        link = services.victim_link(
            actor=request.user, criminal_case=case, **parsed(VictimCreateSerializer, request)
        )
        return Response(VictimSerializer(link).data, status=status.HTTP_201_CREATED)


class AccusedViewSet(ScopedViewSet):
    """One accused and their chain; ``events`` records the next step."""

    roles = JUSTICE_ROLES
    serializer_class = AccusedSerializer

    def get_queryset(self):
        return visible_accused(self.request.user).prefetch_related("charges", "events")

    @extend_schema(request=EventCreateSerializer, responses={201: EventSerializer})
    @action(detail=True, methods=["post"])
    def events(self, request, *args, **kwargs):
        accused = self.get_object()
        values = parsed(EventCreateSerializer, request)
        charge_id = values.pop("charge")
        charge = (
            scoped_or_404(accused.charges.all(), field="charge", pk=charge_id)
            if charge_id
            else None
        )
        event = services.event_record(actor=request.user, accused=accused, charge=charge, **values)
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)


class VictimViewSet(ScopedViewSet):
    """A linked victim's support measures: request (both roles), decide (prosecutor)."""

    roles = JUSTICE_ROLES
    serializer_class = VictimSerializer

    def get_queryset(self):
        return visible_victims(self.request.user).prefetch_related("measures")

    @extend_schema(request=MeasureCreateSerializer, responses={201: MeasureSerializer})
    @action(detail=True, methods=["post"])
    def measures(self, request, *args, **kwargs):
        victim = self.get_object()
        item = services.measure_request(
            actor=request.user, victim=victim, **parsed(MeasureCreateSerializer, request)
        )
        return Response(MeasureSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MeasureDecideSerializer, responses=MeasureSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, *args, **kwargs):
        victim = self.get_object()
        values = parsed(MeasureDecideSerializer, request)
        measure = scoped_or_404(victim.measures.all(), field="measure", pk=values.pop("measure"))
        item = services.measure_decide(actor=request.user, measure=measure, **values)
        return Response(MeasureSerializer(item).data)


class MlaEventSerializer(_Plain):
    class Meta:
        model = MlaEvent
        fields = ["kind", "text", "by_node", "by_name", "at"]
        read_only_fields = fields


class MlaRequestSerializer(_Plain):
    criminal_case = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    peer = serializers.SlugRelatedField(slug_field="name", read_only=True)
    events = MlaEventSerializer(many=True, read_only=True)

    class Meta:
        model = MlaRequest
        fields = [
            "id",
            "uid",
            "direction",
            "peer",
            "kind",
            "status",
            "criminal_case",
            "case_ref",
            "jurisdiction",
            "subject",
            "suspect_name",
            "suspect_identifiers",
            "victim_ground",
            "victim_details",
            "deadline",
            "sender_name",
            "events",
        ]
        read_only_fields = fields


class MlaDraftSerializer(serializers.Serializer):
    criminal_case = IdField()
    peer = serializers.CharField(max_length=40, help_text="the other node's name")
    kind = serializers.CharField(max_length=30)
    subject = serializers.CharField()
    deadline = DateField()
    jurisdiction = serializers.CharField(required=False, allow_blank=True, default="")
    suspect_name = serializers.CharField(required=False, allow_blank=True, default="")
    suspect_identifiers = serializers.CharField(required=False, allow_blank=True, default="")
    victim_ground = serializers.CharField(required=False, allow_blank=True, default="")
    victim_details = serializers.CharField(required=False, allow_blank=True, default="")


class MlaAnswerSerializer(serializers.Serializer):
    text = serializers.CharField()
    complete = serializers.BooleanField(default=False)


class MlaWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MlaRequestViewSet(ScopedViewSet, mixins.ListModelMixin):
    """Cross-border requests (judicial police and prosecutors only): draft on a criminal case,
    ``approve`` (a second person), ``answer`` (the receiving node's prosecutor), ``withdraw``."""

    roles = JUSTICE_ROLES
    serializer_class = MlaRequestSerializer

    def get_queryset(self):
        return visible_mla_requests(self.request.user).prefetch_related("events")

    @extend_schema(request=MlaDraftSerializer, responses={201: MlaRequestSerializer})
    def create(self, request, *args, **kwargs):
        from django.conf import settings

        from corridor.federation.models import Peer

        values = parsed(MlaDraftSerializer, request)
        # a criminal case out of reach reads as absent (404), as its own page does
        case = get_object_or_404(
            visible_criminal_cases(request.user), pk=values.pop("criminal_case")
        )
        peer = scoped_or_404(
            Peer.objects.filter(is_active=True).exclude(country=settings.NODE_COUNTRY),
            field="peer",
            name=values.pop("peer"),
        )
        item = mla.mla_draft(actor=request.user, criminal_case=case, peer=peer, **values)
        return Response(MlaRequestSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=MlaRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        item = mla.mla_approve(actor=request.user, request=self.get_object())
        return Response(MlaRequestSerializer(item).data)

    @extend_schema(request=MlaAnswerSerializer, responses=MlaRequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        item = mla.mla_answer(
            actor=request.user, request=self.get_object(), **parsed(MlaAnswerSerializer, request)
        )
        return Response(MlaRequestSerializer(item).data)

    @extend_schema(request=MlaWithdrawSerializer, responses=MlaRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        item = mla.mla_withdraw(
            actor=request.user, request=self.get_object(), **parsed(MlaWithdrawSerializer, request)
        )
        return Response(MlaRequestSerializer(item).data)
