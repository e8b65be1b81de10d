"""The REST API of what a case gathers: consents, services provided, support plans, tasks
(follow-up visits among them), notes and trafficking events.

Each is listed for the cases the user can see (``?case=`` narrows to one case) and added to a
case named in the body by the service the case page's form feeds; the service checks that the
user may change that case. Reading one record is audited, as is reading a case.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from corridor.cases import services
from corridor.cases.api import INTEGER_ID
from corridor.cases.models import (
    CaseNote,
    Consent,
    ServiceDelivery,
    SupportPlan,
    Task,
    TraffickingEvent,
)
from corridor.cases.selectors import CASE_ROLES, visible_cases
from corridor.core.api import (
    DateField,
    IdField,
    ModelSerializer,
    ScopedViewSet,
    parsed,
    scoped_or_404,
)
from corridor.core.vocab import choices

# Choice sets shared by several fields, named once in the OpenAPI document (docs/api.md).
CONSENT_PURPOSES = choices("cases.consent_purpose")
SUPPORT_TYPES = choices("cases.support_type")


class CaseFilter(serializers.Serializer):
    case = IdField(required=False, help_text="id of one case")


class CaseRecordSerializer(ModelSerializer):
    case_ref = serializers.CharField(source="case.ref", read_only=True)


class CaseRecordInput(serializers.Serializer):
    case = IdField(help_text="id of a case you can see")


class CaseRecordViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """Records of the cases the user can see; POST adds one through ``record_create``."""

    roles = CASE_ROLES
    lookup_value_regex = INTEGER_ID
    model: type
    input_serializer_class: type[serializers.Serializer]
    query_filter = CaseFilter

    def get_queryset(self):
        records = self.model.objects.filter(case__in=visible_cases(self.request.user))
        if self.action == "list":
            case = self.query().get("case")
            if case is not None:
                records = records.filter(case_id=case)
        if not self.model._meta.ordering:
            records = records.order_by("pk")
        return records.select_related("case")

    def create(self, request, *args, **kwargs):
        values = parsed(self.input_serializer_class, request)
        case = scoped_or_404(visible_cases(request.user), field="case", pk=values.pop("case"))
        record = self.record_create(actor=request.user, case=case, **values)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)

    def record_create(self, *, actor, case, **values):
        raise NotImplementedError


def _record_schema(read, write):
    """The schema of a case record's endpoints: its list filter and what POST takes."""
    return extend_schema_view(
        list=extend_schema(parameters=[CaseFilter]),
        create=extend_schema(request=write, responses={201: read}),
    )


# Consents ----------------------------------------------------------------------------------------


class ConsentSerializer(CaseRecordSerializer):
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "case",
            "case_ref",
            "purpose",
            "given",
            "legal_ground",
            "given_by_guardian",
            "guardian_name",
            "childs_views",
            "given_on",
            "withdrawn_on",
            "active",
            "recorded_by",
        ]
        read_only_fields = fields


class ConsentInput(CaseRecordInput):
    """A child's consent is given by a parent or guardian (named) and records the child's own
    views, unless a legal ground replaces consent."""

    purpose = serializers.ChoiceField(choices=CONSENT_PURPOSES())
    given = serializers.BooleanField(default=True)
    legal_ground = serializers.ChoiceField(
        choices=choices("cases.legal_ground")(), required=False, allow_blank=True, default=""
    )
    given_by_guardian = serializers.BooleanField(default=False)
    guardian_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    childs_views = serializers.CharField(required=False, allow_blank=True, default="")
    given_on = DateField(required=False, allow_null=True, default=None)


class WithdrawInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


@_record_schema(ConsentSerializer, ConsentInput)
class ConsentViewSet(CaseRecordViewSet):
    """Consents (or the legal grounds that replace them) by purpose; withdrawing one stops
    further sharing for that purpose."""

    model = Consent
    serializer_class = ConsentSerializer
    input_serializer_class = ConsentInput

    def record_create(self, *, actor, case, **values):
        return services.consent_record(actor=actor, case=case, **values)

    @extend_schema(request=WithdrawInput, responses=ConsentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        consent = self.get_object()
        consent = services.consent_withdraw(
            actor=request.user, consent=consent, **parsed(WithdrawInput, request)
        )
        return Response(ConsentSerializer(consent).data)


# Support plans and services provided -------------------------------------------------------------


class SupportPlanSerializer(CaseRecordSerializer):
    class Meta:
        model = SupportPlan
        fields = [
            "id",
            "case",
            "case_ref",
            "plan_type",
            "objectives",
            "action_plan",
            "planned_end",
            "actual_end",
        ]
        read_only_fields = fields


class SupportPlanInput(CaseRecordInput):
    plan_type = serializers.ChoiceField(choices=SUPPORT_TYPES())
    objectives = serializers.CharField(required=False, allow_blank=True, default="")
    action_plan = serializers.CharField(required=False, allow_blank=True, default="")
    planned_end = DateField(required=False, allow_null=True, default=None)


@_record_schema(SupportPlanSerializer, SupportPlanInput)
class SupportPlanViewSet(CaseRecordViewSet):
    """The support plan (HTCDS ``spl_``): one plan per type of support."""

    model = SupportPlan
    serializer_class = SupportPlanSerializer
    input_serializer_class = SupportPlanInput

    def record_create(self, *, actor, case, **values):
        return services.support_plan_add(actor=actor, case=case, **values)


class ServiceDeliverySerializer(CaseRecordSerializer):
    provider = serializers.StringRelatedField()
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ServiceDelivery
        fields = [
            "id",
            "case",
            "case_ref",
            "plan",
            "service_type",
            "delivered_on",
            "provider",
            "provider_name",
            "outcome",
            "recorded_by",
        ]
        read_only_fields = fields


class ServiceDeliveryInput(CaseRecordInput):
    service_type = serializers.ChoiceField(choices=SUPPORT_TYPES())
    delivered_on = DateField()
    provider_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    plan = IdField(
        required=False, allow_null=True, default=None, help_text="id of one of the case's plans"
    )


@_record_schema(ServiceDeliverySerializer, ServiceDeliveryInput)
class ServiceDeliveryViewSet(CaseRecordViewSet):
    """Services provided to the person, optionally under one of the case's support plans."""

    model = ServiceDelivery
    serializer_class = ServiceDeliverySerializer
    input_serializer_class = ServiceDeliveryInput

    def record_create(self, *, actor, case, plan=None, **values):
        if plan is not None:
            plan = scoped_or_404(case.support_plans, field="plan", pk=plan)
        return services.service_record(actor=actor, case=case, plan=plan, **values)


# Tasks, notes and trafficking events -------------------------------------------------------------


class TaskSerializer(CaseRecordSerializer):
    assigned_to = serializers.SlugRelatedField(slug_field="username", read_only=True)
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "case",
            "case_ref",
            "kind",
            "title",
            "due_on",
            "assigned_to",
            "done_on",
            "outcome",
            "overdue",
        ]
        read_only_fields = fields


class TaskInput(CaseRecordInput):
    title = serializers.CharField(max_length=200)
    due_on = DateField()


class TaskCompleteInput(serializers.Serializer):
    outcome = serializers.CharField(required=False, allow_blank=True, default="")


@_record_schema(TaskSerializer, TaskInput)
class TaskViewSet(CaseRecordViewSet):
    """Tasks of the cases, follow-up visits (``kind=follow_up``, planned at 3, 6 and 12 months
    of reintegration) among them."""

    model = Task
    serializer_class = TaskSerializer
    input_serializer_class = TaskInput

    def get_queryset(self):
        return super().get_queryset().select_related("assigned_to")

    def record_create(self, *, actor, case, **values):
        return services.task_create(actor=actor, case=case, **values)

    @extend_schema(request=TaskCompleteInput, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        task = self.get_object()
        task = services.task_complete(
            actor=request.user, task=task, **parsed(TaskCompleteInput, request)
        )
        return Response(TaskSerializer(task).data)


class NoteSerializer(CaseRecordSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "case", "case_ref", "author", "text", "created_at"]
        read_only_fields = fields


class NoteInput(CaseRecordInput):
    text = serializers.CharField()


@_record_schema(NoteSerializer, NoteInput)
class NoteViewSet(CaseRecordViewSet):
    """Case notes (kept encrypted)."""

    model = CaseNote
    serializer_class = NoteSerializer
    input_serializer_class = NoteInput

    def record_create(self, *, actor, case, **values):
        return services.note_add(actor=actor, case=case, **values)


class TraffickingEventSerializer(CaseRecordSerializer):
    class Meta:
        model = TraffickingEvent
        fields = [
            "id",
            "case",
            "case_ref",
            "event_type",
            "date",
            "city",
            "state",
            "country",
            "description",
        ]
        read_only_fields = fields


class TraffickingEventInput(CaseRecordInput):
    event_type = serializers.ChoiceField(choices=choices("cases.event_type")())
    date = DateField(required=False, allow_null=True, default=None)
    city = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    state = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    country = serializers.CharField(required=False, allow_blank=True, default="", max_length=2)
    description = serializers.CharField(required=False, allow_blank=True, default="")


@_record_schema(TraffickingEventSerializer, TraffickingEventInput)
class TraffickingEventViewSet(CaseRecordViewSet):
    """Where and when the person was recruited, moved and exploited (HTCDS ``hte_``)."""

    model = TraffickingEvent
    serializer_class = TraffickingEventSerializer
    input_serializer_class = TraffickingEventInput

    def record_create(self, *, actor, case, **values):
        return services.event_add(actor=actor, case=case, **values)
