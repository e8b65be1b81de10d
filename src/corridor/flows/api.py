"""REST endpoints of flow monitoring and published statistics: the same selectors and services
as the pages (scopes, roles, validation and audit are the pages' own)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Sum
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from corridor.accounts.models import Role
from corridor.core.api import RoleRequired
from corridor.flows import importers, services
from corridor.flows.models import NATIONALITY_CHOICES, FlowPoint
from corridor.flows.selectors import (
    COUNT_WRITERS,
    FLOW_READERS,
    visible_daily,
    visible_points,
    writable_points,
)
from corridor.flows.vocab import AgeGroup, Direction, Reason, Sex, Transport, Vulnerability
from corridor.reports.selectors import PUBLICATION_READERS, visible_publications


class PointSerializer(serializers.ModelSerializer):
    class Meta:
        model = FlowPoint
        fields = ["id", "code", "name", "country", "region", "kind", "route", "agency"]


class CountRowSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(Direction.choices)
    sex = serializers.ChoiceField(Sex.choices)
    age_group = serializers.ChoiceField(AgeGroup.choices)
    nationality = serializers.ChoiceField(NATIONALITY_CHOICES)
    transport = serializers.ChoiceField(Transport.choices)
    reason = serializers.ChoiceField(Reason.choices)
    count = serializers.IntegerField(min_value=0, max_value=100_000)


class VulnerabilitySerializer(serializers.Serializer):
    direction = serializers.ChoiceField(Direction.choices)
    vulnerability = serializers.ChoiceField(Vulnerability.choices)
    count = serializers.IntegerField(min_value=0, max_value=100_000)


class SheetSerializer(serializers.Serializer):
    point = serializers.CharField(help_text="Point code, e.g. TG-KOD")
    day = serializers.DateField()
    rows = CountRowSerializer(many=True)
    vulnerabilities = VulnerabilitySerializer(many=True, required=False)


class PointViewSet(viewsets.ReadOnlyModelViewSet):
    """Monitoring points the user sees (a border officer: their agency's)."""

    permission_classes = [RoleRequired]
    roles = tuple(FLOW_READERS)
    serializer_class = PointSerializer

    def get_queryset(self):
        return visible_points(self.request.user)


class DailyViewSet(viewsets.ViewSet):
    """Daily totals per point (the dashboard's pre-aggregate), filtered by ?start=&end=&point=."""

    permission_classes = [RoleRequired]
    roles = tuple(FLOW_READERS)

    def list(self, request):
        qs = visible_daily(request.user)
        try:
            if request.query_params.get("start"):
                qs = qs.filter(day__gte=date.fromisoformat(request.query_params["start"]))
            if request.query_params.get("end"):
                qs = qs.filter(day__lte=date.fromisoformat(request.query_params["end"]))
        except ValueError:
            raise serializers.ValidationError({"start": "YYYY-MM-DD"}) from None
        if request.query_params.get("point"):
            qs = qs.filter(point__code=request.query_params["point"])
        rows = (
            qs.values("point__code", "day")
            .annotate(persons=Sum("persons"), children=Sum("children"), inbound=Sum("inbound"))
            .order_by("day", "point__code")[:5000]
        )
        return Response(
            [
                {
                    "point": r["point__code"],
                    "day": r["day"].isoformat(),
                    "persons": r["persons"],
                    "children": r["children"],
                    "inbound": r["inbound"],
                }
                for r in rows
            ]
        )


class SheetViewSet(viewsets.ViewSet):
    """Record (replace) the daily count sheet of a point."""

    permission_classes = [RoleRequired]
    roles = tuple(COUNT_WRITERS)
    serializer_class = SheetSerializer

    def create(self, request):
        serializer = SheetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        point = writable_points(request.user).filter(code=data["point"]).first()
        if point is None:
            raise serializers.ValidationError({"point": "not a point you can enter counts for"})
        try:
            sheet = services.flow_sheet_record(
                actor=request.user,
                point=point,
                day=data["day"],
                rows=[dict(r) for r in data["rows"]],
                vulnerabilities={
                    (v["direction"], v["vulnerability"]): v["count"]
                    for v in data.get("vulnerabilities", [])
                },
                source="api",
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"non_field_errors": exc.messages}) from exc
        except PermissionDenied as exc:
            raise serializers.ValidationError({"point": str(exc)}) from exc
        return Response(
            {"point": point.code, "day": sheet.day.isoformat(), "travellers": sheet.travellers},
            status=status.HTTP_201_CREATED,
        )


class SubmissionImportViewSet(viewsets.ViewSet):
    """Upload an ODK Central / KoboToolbox export (multipart ``file``, optional ``form_id``)."""

    permission_classes = [RoleRequired]
    roles = (Role.COORDINATOR,)
    parser_classes = [MultiPartParser]

    def create(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": "required"})
        report = importers.import_file(
            actor=request.user,
            content=upload.read(),
            filename=upload.name,
            form_id=request.data.get("form_id", ""),
        )
        return Response(
            {
                "imported": report.imported,
                "replaced": report.replaced,
                "unchanged": report.unchanged,
                "pending": report.pending,
                "errors": [
                    {"number": n, "instance_id": i, "message": m} for n, i, m in report.errors
                ],
            },
            status=status.HTTP_200_OK,
        )


class PublicationViewSet(viewsets.ViewSet):
    """Published aggregates (all a partner sees)."""

    permission_classes = [RoleRequired]
    roles = tuple(PUBLICATION_READERS)

    def list(self, request):
        return Response(
            [
                {
                    "id": p.pk,
                    "kind": p.kind,
                    "title": p.title,
                    "epsilon": p.epsilon,
                    "k": p.k,
                    "dimension": p.dimension,
                    "result": p.result,
                    "published_at": p.published_at.isoformat(),
                }
                for p in visible_publications(request.user)[:200]
            ]
        )
