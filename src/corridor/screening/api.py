"""The REST API of screenings: record one (of a known person or of a person registered with it),
open a case from it, and the supervisor's decision on the trafficking status it proposed.

The screening pages' twin: ``visible_screenings`` for reads, ``screening_record``,
``screening_open_case`` and ``approval_decide`` for writes, with the same roles.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from corridor.cases.api import (
    DECISION_ORGS,
    TRAFFICKING_STATUSES,
    ApprovalDecideSerializer,
    CaseSerializer,
)
from corridor.cases.services import approval_decide
from corridor.core.api import DateField, ModelSerializer, ScopedViewSet, parsed, scoped_or_404
from corridor.people.api import UUID_PATTERN, PersonWriteSerializer
from corridor.people.selectors import visible_persons
from corridor.screening import services
from corridor.screening.models import Screening
from corridor.screening.questionnaires import questionnaire_codes
from corridor.screening.selectors import CASE_OPENERS, DECIDERS, SCREENERS, visible_screenings


class ScreeningSerializer(ModelSerializer):
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
    answers = serializers.DictField(child=serializers.CharField(max_length=10))
    person = serializers.UUIDField(required=False)
    new_person = PersonWriteSerializer(required=False)
    screened_on = DateField(required=False)
    place = serializers.CharField(required=False, allow_blank=True, max_length=150)
    notes = serializers.CharField(required=False, allow_blank=True)
    open_case = serializers.BooleanField(required=False, default=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].choices = questionnaire_codes()


class ScreeningDecisionSerializer(ApprovalDecideSerializer):
    """As on the screening page: the status and the deciding body are always named."""

    trafficking_status = serializers.ChoiceField(choices=TRAFFICKING_STATUSES())
    decision_org = serializers.ChoiceField(choices=DECISION_ORGS())


class ScreeningViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """Screenings within the user's scope (``visible_screenings``)."""

    roles = SCREENERS
    action_roles = {"open_case": CASE_OPENERS, "decide": DECIDERS}
    serializer_class = ScreeningSerializer
    lookup_field = "uid"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self):
        return visible_screenings(self.request.user)

    @extend_schema(request=ScreeningWriteSerializer, responses={201: ScreeningSerializer})
    def create(self, request, *args, **kwargs):
        values = parsed(ScreeningWriteSerializer, request)
        person = None
        if values.get("person"):
            person = scoped_or_404(
                visible_persons(request.user), field="person", uid=values.pop("person")
            )
        screening = services.screening_record(actor=request.user, person=person, **values)
        return Response(ScreeningSerializer(screening).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="open-case")
    def open_case(self, request, uid=None):
        """Open a case from the screening; a proposed status waits for a supervisor."""
        case = services.screening_open_case(actor=request.user, screening=self.get_object())
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ScreeningDecisionSerializer, responses=ScreeningSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, uid=None):
        """A supervisor (or a coordinator) decides the trafficking status the screening
        proposed, naming the body that decided it."""
        screening = self.get_object()
        values = parsed(ScreeningDecisionSerializer, request)
        if screening.approval is None:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("This screening has no proposed status waiting for a decision.")
                    ]
                }
            )
        approval_decide(actor=request.user, approval=screening.approval, **values)
        screening.refresh_from_db()
        return Response(ScreeningSerializer(screening).data)
