"""The REST API of flow monitoring: points, daily totals, count sheets, surveys, field
submissions, alerts and their notifications.

The flow pages' twin: the same selectors (a border officer sees their agency's points, a
coordinator the node's) and services, with the same roles. Flows hold counts, never a person.
"""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from corridor.accounts.models import Role
from corridor.core.api import DateField, ModelSerializer, RoleRequired, parsed, scoped_or_404
from corridor.flows import importers
from corridor.flows.models import (
    NATIONALITY_CHOICES,
    DailySheet,
    FlowAlert,
    FlowPoint,
    FlowSurvey,
    Notification,
    Submission,
)
from corridor.flows.selectors import (
    COUNT_WRITERS,
    FLOW_READERS,
    visible_alerts,
    visible_daily,
    visible_notifications,
    visible_points,
    visible_sheets,
    visible_submissions,
    writable_points,
)
from corridor.flows.services.alerts import notification_mark_read
from corridor.flows.services.counts import flow_sheet_record
from corridor.flows.services.surveys import flow_survey_record
from corridor.flows.vocab import AgeGroup, Direction, Reason, Sex, Transport, Vulnerability

COORDINATORS = (Role.COORDINATOR,)
DAILY_ROWS = 5000
INTEGER_ID = "[0-9]+"


class FlowViewSet(viewsets.GenericViewSet):
    permission_classes = [RoleRequired]
    roles: tuple[str, ...] = tuple(FLOW_READERS)
    lookup_value_regex = INTEGER_ID


# Points and daily totals -------------------------------------------------------------------------


class PointSerializer(ModelSerializer):
    class Meta:
        model = FlowPoint
        fields = ["id", "code", "name", "country", "region", "kind", "route", "agency", "is_active"]
        read_only_fields = fields


class PointViewSet(FlowViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Monitoring points the user sees (a border officer: their agency's)."""

    serializer_class = PointSerializer

    def get_queryset(self):
        return visible_points(self.request.user)


class DailyFilter(serializers.Serializer):
    start = DateField(required=False, help_text="first day (YYYY-MM-DD)")
    end = DateField(required=False, help_text="last day (YYYY-MM-DD)")
    point = serializers.CharField(required=False, max_length=12, help_text="point code")

    def validate(self, attrs):
        if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError(_("The start date is after the end date."))
        return attrs


class DailySerializer(serializers.Serializer):
    point = serializers.CharField(source="point__code")
    day = DateField()
    persons = serializers.IntegerField()
    children = serializers.IntegerField()
    inbound = serializers.IntegerField()


class DailyViewSet(FlowViewSet):
    """Daily totals per point (the dashboard's pre-aggregate), oldest first, at most 5,000
    rows; ``start``, ``end`` and ``point`` narrow them."""

    serializer_class = DailySerializer

    @extend_schema(parameters=[DailyFilter], responses=DailySerializer(many=True))
    def list(self, request):
        query = parsed(DailyFilter, request, query=True)
        daily = visible_daily(request.user)
        if query.get("start"):
            daily = daily.filter(day__gte=query["start"])
        if query.get("end"):
            daily = daily.filter(day__lte=query["end"])
        if query.get("point"):
            daily = daily.filter(point__code=query["point"])
        rows = (
            daily.values("point__code", "day")
            .annotate(persons=Sum("persons"), children=Sum("children"), inbound=Sum("inbound"))
            .order_by("day", "point__code")[:DAILY_ROWS]
        )
        return Response(DailySerializer(rows, many=True).data)


# Count sheets and surveys ------------------------------------------------------------------------


class CountRowSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(Direction.choices)
    sex = serializers.ChoiceField(Sex.choices)
    age_group = serializers.ChoiceField(AgeGroup.choices)
    nationality = serializers.ChoiceField(NATIONALITY_CHOICES)
    transport = serializers.ChoiceField(Transport.choices)
    reason = serializers.ChoiceField(Reason.choices)
    count = serializers.IntegerField(min_value=0, max_value=100_000)


class VulnerabilityRowSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(Direction.choices)
    vulnerability = serializers.ChoiceField(Vulnerability.choices)
    count = serializers.IntegerField(min_value=0, max_value=100_000)


class SheetInput(serializers.Serializer):
    point = serializers.CharField(max_length=12, help_text="Point code, e.g. TG-KOD")
    day = DateField()
    rows = CountRowSerializer(many=True, max_length=500)
    vulnerabilities = VulnerabilityRowSerializer(many=True, required=False, max_length=50)


class SheetSerializer(ModelSerializer):
    point = serializers.SlugRelatedField(slug_field="code", read_only=True)
    entered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DailySheet
        fields = ["id", "point", "day", "travellers", "source", "entered_by", "entered_at"]
        read_only_fields = fields


class SheetViewSet(FlowViewSet, mixins.ListModelMixin):
    """Daily count sheets; POST records (or replaces) the sheet of a point and a day."""

    write_roles = tuple(COUNT_WRITERS)
    serializer_class = SheetSerializer

    def get_queryset(self):
        return visible_sheets(self.request.user)

    @extend_schema(request=SheetInput, responses={201: SheetSerializer})
    def create(self, request):
        data = parsed(SheetInput, request)
        point = scoped_or_404(writable_points(request.user), field="point", code=data["point"])
        sheet = flow_sheet_record(
            actor=request.user,
            point=point,
            day=data["day"],
            rows=[dict(row) for row in data["rows"]],
            vulnerabilities={
                (v["direction"], v["vulnerability"]): v["count"]
                for v in data.get("vulnerabilities", [])
            },
            source="api",
        )
        return Response(SheetSerializer(sheet).data, status=status.HTTP_201_CREATED)


def _optional(choices) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True)


class SurveyInput(serializers.Serializer):
    """One traveller's interview; without consent only the refusal is kept."""

    point = serializers.CharField(max_length=12, help_text="Point code, e.g. TG-KOD")
    day = DateField()
    consent = serializers.BooleanField()
    direction = _optional(Direction.choices)
    sex = _optional(Sex.choices)
    age_group = _optional(AgeGroup.choices)
    nationality = _optional(NATIONALITY_CHOICES)
    origin_country = _optional(NATIONALITY_CHOICES)
    destination_country = _optional(NATIONALITY_CHOICES)
    transport = _optional(Transport.choices)
    reason = _optional(Reason.choices)
    vulnerabilities = serializers.ListField(
        child=serializers.ChoiceField(Vulnerability.choices), required=False, max_length=10
    )


class SurveySerializer(ModelSerializer):
    point = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = FlowSurvey
        fields = [
            "id",
            "point",
            "day",
            "consent",
            "direction",
            "sex",
            "age_group",
            "nationality",
            "origin_country",
            "destination_country",
            "transport",
            "reason",
            "vulnerabilities",
            "created_at",
        ]
        read_only_fields = fields


class SurveyViewSet(FlowViewSet):
    """Survey interviews, recorded at a point where the user enters counts."""

    roles = tuple(COUNT_WRITERS)
    serializer_class = SurveySerializer

    @extend_schema(request=SurveyInput, responses={201: SurveySerializer})
    def create(self, request):
        answers = parsed(SurveyInput, request)
        point = scoped_or_404(
            writable_points(request.user), field="point", code=answers.pop("point")
        )
        survey = flow_survey_record(actor=request.user, point=point, **answers)
        return Response(SurveySerializer(survey).data, status=status.HTTP_201_CREATED)


# Field submissions -------------------------------------------------------------------------------


class SubmissionSerializer(ModelSerializer):
    class Meta:
        model = Submission
        fields = ["id", "instance_id", "form_id", "form_version", "source", "status", "imported_at"]
        read_only_fields = fields


class SubmissionUpload(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or JSON export from ODK Central or KoboToolbox")
    form_id = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)


class RefusedSubmission(serializers.Serializer):
    number = serializers.IntegerField()
    instance_id = serializers.CharField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    imported = serializers.IntegerField()
    replaced = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    pending = serializers.IntegerField()
    errors = RefusedSubmission(many=True)


class SubmissionViewSet(FlowViewSet, mixins.ListModelMixin):
    """Field submissions (coordinators): the latest imported, and the upload of an ODK Central
    or KoboToolbox export. A refused submission leaves nothing behind."""

    roles = COORDINATORS
    serializer_class = SubmissionSerializer
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return visible_submissions(self.request.user)

    @extend_schema(
        request={"multipart/form-data": SubmissionUpload}, responses=ImportReportSerializer
    )
    def create(self, request):
        data = parsed(SubmissionUpload, request)
        report = importers.import_file(
            actor=request.user,
            content=data["file"].read(),
            filename=data["file"].name,
            form_id=data["form_id"].strip(),
        )
        errors = [{"number": n, "instance_id": i, "message": m} for n, i, m in report.errors]
        return Response(ImportReportSerializer({**vars(report), "errors": errors}).data)


# Alerts and notifications ------------------------------------------------------------------------


class AlertSerializer(ModelSerializer):
    point = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = FlowAlert
        fields = ["id", "point", "day", "metric", "observed", "baseline", "mad", "score"]
        read_only_fields = fields


class AlertViewSet(FlowViewSet, mixins.ListModelMixin):
    """Unusual counts at a point (robust z-score against the point's recent days)."""

    roles = COORDINATORS
    serializer_class = AlertSerializer

    def get_queryset(self):
        return visible_alerts(self.request.user)


class NotificationSerializer(ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "alert", "text", "created_at", "read_at"]
        read_only_fields = fields


class NotificationViewSet(FlowViewSet, mixins.ListModelMixin):
    """The user's own alert notifications; POST ``read`` marks one read."""

    roles = COORDINATORS
    serializer_class = NotificationSerializer

    def get_queryset(self):
        return visible_notifications(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notification_mark_read(actor=request.user, notification=self.get_object())
        return Response(NotificationSerializer(notification).data)
