"""The REST API of people, cases, screenings and approvals.

Every endpoint reads through the same selectors as the pages (``visible_persons``,
``visible_cases``, ``visible_screenings``) and writes through the same services, so scopes,
roles, validation and the audit trail are the pages' own. Errors are JSON in the request's
language; a service's ``ValidationError`` becomes a 400 with the same field names.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from corridor.cases import services as case_services
from corridor.cases.models import Approval, Case
from corridor.cases.selectors import CASE_ROLES, visible_cases
from corridor.core.api import ScopedViewSet
from corridor.core.vocab import choices
from corridor.people import services as people_services
from corridor.people.models import Person
from corridor.people.selectors import PERSON_ROLES, person_search, visible_persons
from corridor.screening import services as screening_services
from corridor.screening.models import Screening
from corridor.screening.questionnaires import questionnaire_codes
from corridor.screening.selectors import DECIDERS, SCREENERS, visible_screenings

# The choice sets several fields share, named once in the OpenAPI document (see docs/api.md:
# SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
TRAFFICKING_STATUS_CHOICES = choices("cases.trafficking_status")
ENUM_NAME_OVERRIDES = {
    "TraffickingStatusEnum": "corridor.cases.api.TRAFFICKING_STATUS_CHOICES",
    "ApprovalKindEnum": "corridor.cases.models.Approval.Kind",
}

# People -----------------------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    agency = serializers.StringRelatedField()
    is_child = serializers.BooleanField(read_only=True)
    needs_international_protection = serializers.BooleanField(read_only=True)

    class Meta:
        model = Person
        fields = [
            "uid",
            "display_name",
            "given_names",
            "family_name",
            "name_on_document",
            "gender",
            "birth_precision",
            "birth_date",
            "birth_year",
            "estimated_age",
            "age_estimated_on",
            "citizenships",
            "languages",
            "migrant_status",
            "unaccompanied",
            "is_child",
            "needs_international_protection",
            "place_of_origin",
            "origin_prefecture",
            "agency",
            "created_at",
        ]
        read_only_fields = fields


class PersonWriteSerializer(serializers.Serializer):
    """The fields of ``people.services.person_create``; the service checks them."""

    given_names = serializers.CharField(required=False, allow_blank=True, default="")
    family_name = serializers.CharField(required=False, allow_blank=True, default="")
    name_on_document = serializers.CharField(required=False, allow_blank=True)
    gender = serializers.ChoiceField(choices=choices("people.gender")(), required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    estimated_age = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    citizenships = serializers.ListField(child=serializers.CharField(), required=False)
    languages = serializers.ListField(child=serializers.CharField(), required=False)
    migrant_status = serializers.ChoiceField(
        choices=choices("people.migrant_status")(), required=False, allow_blank=True
    )
    unaccompanied = serializers.BooleanField(required=False)
    place_of_origin = serializers.CharField(required=False, allow_blank=True)
    origin_prefecture = serializers.CharField(required=False, allow_blank=True)
    phones = serializers.ListField(child=serializers.CharField(), required=False)


@extend_schema(
    parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="name search (forgiving)")]
)
class PersonViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """People within the user's scope (``visible_persons``); ``?q=`` searches names."""

    roles = PERSON_ROLES
    write_roles = people_services.PERSON_WRITERS
    serializer_class = PersonSerializer
    lookup_field = "uid"

    def get_queryset(self):
        query = self.request.query_params.get("q", "").strip()
        if query:
            return person_search(self.request.user, query)
        return visible_persons(self.request.user)

    @extend_schema(request=PersonWriteSerializer, responses={201: PersonSerializer})
    def create(self, request, *args, **kwargs):
        data = PersonWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = people_services.person_create(actor=request.user, **data.validated_data)
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=PersonSerializer)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


# Cases ------------------------------------------------------------------------------------------


class CaseSerializer(serializers.ModelSerializer):
    person = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    agency = serializers.StringRelatedField()
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    assigned_to = serializers.SlugRelatedField(slug_field="username", read_only=True)

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
            "stage",
            "is_child",
            "child_step",
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
            "cross_border",
            "closed_on",
            "created_at",
        ]
        read_only_fields = fields


class CaseWriteSerializer(serializers.Serializer):
    """The fields of ``cases.services.case_open``; codes are checked by the service."""

    person = serializers.UUIDField(help_text="uid of a person you can see")
    identified_on = serializers.DateField(required=False)
    identified_at_place = serializers.CharField(required=False, allow_blank=True)
    narrative = serializers.CharField(required=False, allow_blank=True)
    exploitation_types = serializers.ListField(child=serializers.CharField(), required=False)
    industries = serializers.ListField(child=serializers.CharField(), required=False)
    methods_of_control = serializers.ListField(child=serializers.CharField(), required=False)
    vulnerabilities = serializers.ListField(child=serializers.CharField(), required=False)
    recruitment_method = serializers.CharField(required=False, allow_blank=True)
    relationship_to_trafficker = serializers.CharField(required=False, allow_blank=True)
    age_when_trafficked = serializers.IntegerField(required=False, min_value=0, max_value=120)


class CaseViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """Cases within the user's scope (``visible_cases``)."""

    roles = CASE_ROLES
    serializer_class = CaseSerializer

    def get_queryset(self):
        return visible_cases(self.request.user)

    @extend_schema(request=CaseWriteSerializer, responses={201: CaseSerializer})
    def create(self, request, *args, **kwargs):
        data = CaseWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = visible_persons(request.user).filter(uid=values.pop("person")).first()
        if person is None:
            raise serializers.ValidationError({"person": [_("No such person in your scope.")]})
        case = case_services.case_open(actor=request.user, person=person, **values)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=CaseSerializer)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


# Screenings -------------------------------------------------------------------------------------


class ScreeningSerializer(serializers.ModelSerializer):
    person = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    agency = serializers.StringRelatedField()
    screened_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    case = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    approval = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Screening
        fields = [
            "uid",
            "person",
            "questionnaire",
            "answers",
            "section_scores",
            "score",
            "proposed_status",
            "vulnerability_level",
            "child",
            "unaccompanied",
            "refer_to_asylum",
            "screened_by",
            "agency",
            "screened_on",
            "place",
            "case",
            "approval",
            "created_at",
        ]
        read_only_fields = fields


class ScreeningWriteSerializer(serializers.Serializer):
    """A screening of a known person (``person``) or of a person registered with it
    (``new_person``); answers map indicator codes to yes / no / unknown."""

    questionnaire = serializers.ChoiceField(choices=[])
    answers = serializers.DictField(child=serializers.CharField())
    person = serializers.UUIDField(required=False)
    new_person = PersonWriteSerializer(required=False)
    screened_on = serializers.DateField(required=False)
    place = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    open_case = serializers.BooleanField(required=False, default=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].choices = questionnaire_codes()


class ScreeningViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """Screenings within the user's scope (``visible_screenings``)."""

    roles = SCREENERS
    serializer_class = ScreeningSerializer
    lookup_field = "uid"

    def get_queryset(self):
        return visible_screenings(self.request.user)

    @extend_schema(request=ScreeningWriteSerializer, responses={201: ScreeningSerializer})
    def create(self, request, *args, **kwargs):
        data = ScreeningWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = None
        if values.get("person"):
            person = visible_persons(request.user).filter(uid=values.pop("person")).first()
            if person is None:
                raise serializers.ValidationError({"person": [_("No such person in your scope.")]})
        screening = screening_services.screening_record(actor=request.user, person=person, **values)
        return Response(ScreeningSerializer(screening).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ScreeningSerializer)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


# Approvals --------------------------------------------------------------------------------------


class ApprovalSerializer(serializers.ModelSerializer):
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
    case = serializers.IntegerField(help_text="id of a case you can see")
    kind = serializers.ChoiceField(choices=Approval.Kind.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ApprovalDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[Approval.Decision.APPROVED, Approval.Decision.REJECTED]
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    trafficking_status = serializers.CharField(required=False, allow_blank=True, default="")
    decision_org = serializers.CharField(required=False, allow_blank=True, default="")


class ApprovalViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """Approvals of the cases within the user's scope; only a supervisor of the case's agency or
    a coordinator decides (``approval_decide`` checks it)."""

    roles = CASE_ROLES
    action_roles = {"decide": DECIDERS}
    serializer_class = ApprovalSerializer

    def get_queryset(self):
        return Approval.objects.filter(case__in=visible_cases(self.request.user)).select_related(
            "case", "requested_by", "approver"
        )

    @extend_schema(request=ApprovalRequestSerializer, responses={201: ApprovalSerializer})
    def create(self, request, *args, **kwargs):
        data = ApprovalRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = visible_cases(request.user).filter(pk=data.validated_data["case"]).first()
        if case is None:
            raise serializers.ValidationError({"case": [_("No such case in your scope.")]})
        approval = case_services.approval_request(
            actor=request.user,
            case=case,
            kind=data.validated_data["kind"],
            comment=data.validated_data["comment"],
        )
        return Response(ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ApprovalSerializer)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=ApprovalDecideSerializer, responses=ApprovalSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, *args, **kwargs):
        approval = self.get_object()
        data = ApprovalDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval = case_services.approval_decide(
            actor=request.user,
            approval=approval,
            **data.validated_data,
        )
        return Response(ApprovalSerializer(approval).data)
