"""The REST API of cases: open, read, move along the stages (or a child's steps), assign, the
victim context, relatives and the caregiver, and approvals. The records a case gathers
(consents, services, support plans, tasks, notes, trafficking events) are in ``api_records``.

Every endpoint reads through ``visible_cases`` (a case out of scope is a 404) and writes through
the service the case page's form feeds, so roles, preconditions, validation and the audit trail
are the page's own.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from corridor.accounts.models import Role
from corridor.accounts.selectors import visible_users
from corridor.audit.services import audit_read, node_text
from corridor.cases import services
from corridor.cases.models import Approval, Case, Proceedings, SmugglingFacts
from corridor.cases.selectors import CASE_ROLES, can_manage, visible_cases
from corridor.core.api import (
    DateField,
    IdField,
    ModelSerializer,
    ScopedViewSet,
    parsed,
    scoped_or_404,
)
from corridor.core.vocab import choices
from corridor.people.api import RELATIONSHIPS
from corridor.people.models import Relationship
from corridor.people.selectors import visible_persons
from corridor.people.services import person_add_relationship

DECIDERS = (Role.SUPERVISOR, Role.COORDINATOR)
INTEGER_ID = "[0-9]+"

# Choice sets several fields share, named once in the OpenAPI document
# (``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]``, docs/api.md).
TRAFFICKING_STATUSES = choices("cases.trafficking_status")
DECISION_ORGS = choices("cases.decision_org")
CASE_VULNERABILITIES = choices("cases.vulnerabilities")
CASELOADS = choices("cases.caseload")

# Cases -------------------------------------------------------------------------------------------


class SmugglingFactsSerializer(ModelSerializer):
    """The smuggling facts as the case page shows them (what went to intelligence is not shown:
    only that and when the smuggler was passed on)."""

    passed_to_intelligence_at = serializers.DateTimeField(
        source="intel_reported_at", read_only=True, allow_null=True
    )

    class Meta:
        model = SmugglingFacts
        fields = [
            "intermediary",
            "intermediary_phone",
            "amount_paid",
            "currency",
            "paid_to",
            "route",
            "transport_means",
            "documents",
            "endangered_life",
            "inhuman_treatment",
            "circumstances",
            "protection_given",
            "passed_to_intelligence_at",
            "updated_at",
        ]
        read_only_fields = fields


class SmugglingFactsInput(serializers.Serializer):
    """The smuggling facts to record; a field left out keeps its value."""

    intermediary = serializers.CharField(required=False, allow_blank=True, max_length=200)
    intermediary_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    amount_paid = serializers.DecimalField(
        required=False, allow_null=True, max_digits=12, decimal_places=0, min_value=0
    )
    currency = serializers.CharField(required=False, allow_blank=True, max_length=3)
    paid_to = serializers.CharField(required=False, allow_blank=True, max_length=200)
    route = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    transport_means = serializers.ListField(
        child=serializers.ChoiceField(choices=choices("cases.transport_means")()),
        required=False,
        max_length=20,
    )
    documents = serializers.ListField(
        child=serializers.ChoiceField(choices=choices("cases.smuggling_documents")()),
        required=False,
        max_length=20,
    )
    endangered_life = serializers.BooleanField(required=False)
    inhuman_treatment = serializers.BooleanField(required=False)
    circumstances = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    protection_given = serializers.ListField(
        child=serializers.ChoiceField(choices=choices("cases.migrant_protection")()),
        required=False,
        max_length=20,
    )


class CaseloadInput(serializers.Serializer):
    caseload = serializers.ChoiceField(choices=CASELOADS())
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=500, help_text="required"
    )


class CaseSerializer(ModelSerializer):
    person = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    agency = serializers.StringRelatedField()
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    assigned_to = serializers.SlugRelatedField(slug_field="username", read_only=True)
    moves = serializers.SerializerMethodField(
        help_text="where the case may go next (stages, or a child's steps)"
    )
    smuggling = SmugglingFactsSerializer(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Case
        fields = [
            "id",
            "uid",
            "ref",
            "person",
            "agency",
            "owner",
            "assigned_to",
            "status",
            "caseload",
            "stage",
            "is_child",
            "child_step",
            "moves",
            "proceedings",
            "identified_on",
            "identified_at_place",
            "trafficking_status",
            "trafficking_status_proposed",
            "status_decision_org",
            "exploitation_types",
            "industries",
            "methods_of_control",
            "recruitment_method",
            "relationship_to_trafficker",
            "vulnerabilities",
            "age_when_trafficked",
            "caregiver",
            "caregiver_agreed",
            "caregiver_able",
            "cross_border",
            "smuggling",
            "closed_on",
            "closure_reason",
            "created_at",
        ]
        read_only_fields = fields

    def get_moves(self, case) -> list[str]:
        return list(services.allowed_moves(case)["child_step" if case.is_child else "stage"])


def _codes(vocabulary) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=vocabulary()), required=False, max_length=30
    )


class VictimContextSerializer(serializers.Serializer):
    """The victim context (HTCDS ``vic_``) as the case page's form edits it; a field left out
    is left as it is."""

    exploitation_types = _codes(choices("cases.exploitation"))
    industries = _codes(choices("cases.industry"))
    methods_of_control = _codes(choices("cases.methods_of_control"))
    vulnerabilities = _codes(CASE_VULNERABILITIES)
    recruitment_method = serializers.ChoiceField(
        choices=choices("cases.recruitment")(), required=False, allow_blank=True
    )
    relationship_to_trafficker = serializers.ChoiceField(
        choices=choices("cases.relationship_to_trafficker")(), required=False, allow_blank=True
    )
    age_when_trafficked = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100
    )
    proceedings = serializers.ChoiceField(choices=Proceedings.choices, required=False)


class CaseWriteSerializer(VictimContextSerializer):
    """The fields of ``cases.services.case_open``; codes are checked by the service."""

    person = serializers.UUIDField(help_text="uid of a person you can see")
    caseload = serializers.ChoiceField(
        choices=CASELOADS(), help_text="who the case is for, chosen at opening"
    )
    identified_on = DateField(required=False)
    identified_at_place = serializers.CharField(required=False, allow_blank=True, max_length=150)
    narrative = serializers.CharField(required=False, allow_blank=True)
    proceedings = None


class TransitionSerializer(serializers.Serializer):
    to = serializers.CharField(
        max_length=40, help_text="the next stage, or a child's next step (see the case's `moves`)"
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    closure_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )


class AssignSerializer(serializers.Serializer):
    assignee = serializers.CharField(
        max_length=150, help_text="username of a caseworker or supervisor of the case's agency"
    )


class RelativeSerializer(ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Relationship
        fields = ["id", "kind", "name", "is_guardian", "whereabouts"]
        read_only_fields = fields


class RelativeInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RELATIONSHIPS())
    relative_name = serializers.CharField(max_length=300)
    whereabouts = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    contact = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class CaregiverInput(serializers.Serializer):
    caregiver = IdField(help_text="id of one of the person's relatives")
    agreed = serializers.BooleanField(default=False)
    able = serializers.BooleanField(default=False)


class CaseViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """Cases within the user's scope (``visible_cases``) and the moves of the case page."""

    roles = CASE_ROLES
    action_roles = {"assign": DECIDERS, "caseload": DECIDERS}
    serializer_class = CaseSerializer
    lookup_value_regex = INTEGER_ID

    def get_queryset(self):
        return visible_cases(self.request.user).select_related("smuggling")

    @extend_schema(request=CaseWriteSerializer, responses={201: CaseSerializer})
    def create(self, request, *args, **kwargs):
        values = parsed(CaseWriteSerializer, request)
        person = scoped_or_404(
            visible_persons(request.user), field="person", uid=values.pop("person")
        )
        case = services.case_open(actor=request.user, person=person, **values)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TransitionSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the case one step (``case_transition``): refused, naming what is missing, when a
        precondition (consent, an approved determination or closure, a caregiver) does not hold."""
        case = self.get_object()
        case = services.case_transition(
            actor=request.user, case=case, **parsed(TransitionSerializer, request)
        )
        return Response(CaseSerializer(case).data)

    @extend_schema(request=AssignSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Assign or reassign (a supervisor of the case's agency, or a coordinator)."""
        case = self.get_object()
        values = parsed(AssignSerializer, request)
        assignee = scoped_or_404(
            visible_users(request.user).filter(agency_id=case.agency_id, is_active=True),
            field="assignee",
            username=values["assignee"],
        )
        case = services.case_assign(actor=request.user, case=case, assignee=assignee)
        return Response(CaseSerializer(case).data)

    @extend_schema(request=CaseloadInput, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def caseload(self, request, pk=None):
        """Change the caseload: a supervisor's decision, refused without a reason."""
        case = self.get_object()
        case = services.case_change_caseload(
            actor=request.user, case=case, **parsed(CaseloadInput, request)
        )
        return Response(CaseSerializer(case).data)

    @extend_schema(request=SmugglingFactsInput, responses=SmugglingFactsSerializer)
    @action(detail=True, methods=["post"])
    def smuggling(self, request, pk=None):
        """Record the smuggling facts of a smuggled migrant's case (their caseload only)."""
        case = self.get_object()
        facts = services.smuggling_facts_record(
            actor=request.user, case=case, **parsed(SmugglingFactsInput, request)
        )
        return Response(SmugglingFactsSerializer(facts).data)

    @extend_schema(request=VictimContextSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="victim-context")
    def victim_context(self, request, pk=None):
        case = self.get_object()
        case = services.case_update_victim_context(
            actor=request.user, case=case, **parsed(VictimContextSerializer, request)
        )
        return Response(CaseSerializer(case).data)

    @extend_schema(methods=["GET"], request=None, responses=RelativeSerializer(many=True))
    @extend_schema(methods=["POST"], request=RelativeInput, responses={201: RelativeSerializer})
    @action(detail=True, methods=["get", "post"])
    def relatives(self, request, pk=None):
        """The person's family and guardians (reading them is audited); POST adds one."""
        case = self.get_object()
        if request.method == "GET":
            audit_read(
                actor=request.user, target=case, summary=node_text(gettext_noop("relatives"))
            )
            relatives = case.person.relationships.select_related("relative")
            return Response(RelativeSerializer(relatives, many=True).data)
        if not can_manage(request.user, case):
            raise PermissionDenied(_("You cannot change this case."))
        relative = person_add_relationship(
            actor=request.user, person=case.person, **parsed(RelativeInput, request)
        )
        return Response(RelativeSerializer(relative).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaregiverInput, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def caregiver(self, request, pk=None):
        """The caregiver a child would return to, and whether they agreed and are able."""
        case = self.get_object()
        values = parsed(CaregiverInput, request)
        caregiver = scoped_or_404(
            case.person.relationships, field="caregiver", pk=values.pop("caregiver")
        )
        case = services.case_set_caregiver(
            actor=request.user, case=case, caregiver=caregiver, **values
        )
        return Response(CaseSerializer(case).data)


# Approvals ---------------------------------------------------------------------------------------


class ApprovalSerializer(ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    approver = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Approval
        fields = [
            "id",
            "case",
            "kind",
            "requested_by",
            "requested_at",
            "request_comment",
            "decision",
            "approver",
            "decided_at",
            "comment",
        ]
        read_only_fields = fields


class ApprovalRequestSerializer(serializers.Serializer):
    case = IdField(help_text="id of a case you can see")
    kind = serializers.ChoiceField(choices=Approval.Kind.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ApprovalDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[Approval.Decision.APPROVED, Approval.Decision.REJECTED]
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    trafficking_status = serializers.ChoiceField(
        choices=TRAFFICKING_STATUSES(), required=False, allow_blank=True, default=""
    )
    decision_org = serializers.ChoiceField(
        choices=DECISION_ORGS(), required=False, allow_blank=True, default=""
    )


class ApprovalViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """Approvals of the cases within the user's scope; only a supervisor of the case's agency or
    a coordinator decides (``approval_decide`` checks it)."""

    roles = CASE_ROLES
    action_roles = {"decide": DECIDERS}
    serializer_class = ApprovalSerializer
    lookup_value_regex = INTEGER_ID

    def get_queryset(self):
        return Approval.objects.filter(case__in=visible_cases(self.request.user)).select_related(
            "case", "requested_by", "approver"
        )

    @extend_schema(request=ApprovalRequestSerializer, responses={201: ApprovalSerializer})
    def create(self, request, *args, **kwargs):
        values = parsed(ApprovalRequestSerializer, request)
        case = scoped_or_404(visible_cases(request.user), field="case", pk=values.pop("case"))
        approval = services.approval_request(actor=request.user, case=case, **values)
        return Response(ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApprovalDecideSerializer, responses=ApprovalSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, *args, **kwargs):
        approval = self.get_object()
        approval = services.approval_decide(
            actor=request.user, approval=approval, **parsed(ApprovalDecideSerializer, request)
        )
        return Response(ApprovalSerializer(approval).data)
