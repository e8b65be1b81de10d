"""REST API of the intelligence capability: the same selectors, services and audit as the pages.

Mounted once, at ``/api/intel/`` (``intel/api_urls.py``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_read, audit_record
from corridor.intel import analysis, selectors, services
from corridor.intel.models import Entity, Event, ImportKind


class IsInvestigator(permissions.BasePermission):
    """Investigators of this node only; everyone else is refused (fail closed)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_role(Role.INVESTIGATOR))


class EntitySerializer(serializers.ModelSerializer):
    grading = serializers.CharField(read_only=True)

    class Meta:
        model = Entity
        fields = [
            "id",
            "kind",
            "name",
            "key",
            "aliases",
            "country",
            "roles",
            "details",
            "merged_into",
            "source",
            "reliability",
            "credibility",
            "handling",
            "grading",
        ]


class EventSerializer(serializers.ModelSerializer):
    participants = serializers.SerializerMethodField()
    grading = serializers.CharField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "at",
            "place",
            "description",
            "amount",
            "currency",
            "duration_seconds",
            "reference",
            "participants",
            "source",
            "reliability",
            "credibility",
            "handling",
            "grading",
        ]

    def get_participants(self, event) -> list[dict]:
        return [{"entity": p.entity_id, "role": p.role} for p in event.participations.all()]


class EntityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EntitySerializer
    permission_classes = [IsInvestigator]

    def get_queryset(self):
        entities = selectors.visible_entities(self.request.user)
        kind = self.request.query_params.get("kind")
        return entities.filter(kind=kind) if kind else entities

    def list(self, request, *args, **kwargs):
        audit_record(
            actor=request.user,
            action=Action.READ,
            object_type="intel.api",
            object_id="entities",
            summary=request.get_full_path()[:300],
        )
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        entity = self.get_object()
        audit_read(actor=request.user, target=entity, summary="api")
        return Response(self.get_serializer(entity).data)


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    permission_classes = [IsInvestigator]

    def get_queryset(self):
        return selectors.visible_events(self.request.user).prefetch_related("participations")

    def list(self, request, *args, **kwargs):
        audit_record(
            actor=request.user,
            action=Action.READ,
            object_type="intel.api",
            object_id="events",
            summary=request.get_full_path()[:300],
        )
        return super().list(request, *args, **kwargs)


@extend_schema(responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
@permission_classes([IsInvestigator])
def network_summary(request):
    """Summary of the largest network: size, central actors, communities, brokers, key players."""
    user = request.user
    data = analysis.largest_component(
        analysis.load_network(
            entities=selectors.visible_entities(user),
            links=selectors.visible_links(user),
            events=selectors.visible_events(user),
        )
    )
    result = analysis.analyse(data) if data.network.graph.vcount() > 2 else {"summary": {}}
    audit_record(
        actor=user,
        action=Action.READ,
        object_type="intel.api",
        object_id="network",
        summary="network summary",
    )
    return Response(result["summary"])


@extend_schema(
    request=inline_serializer(
        "IntelImportRequest",
        fields={
            "kind": serializers.ChoiceField(choices=ImportKind.values),
            "file": serializers.FileField(),
            "source": serializers.CharField(required=False),
            "skip_bad": serializers.BooleanField(required=False),
        },
    ),
    responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
)
@api_view(["POST"])
@permission_classes([IsInvestigator])
@parser_classes([MultiPartParser, FormParser])
def import_file(request):
    """Upload a CDR (``kind=cdr``) or mobile-money (``kind=money``) CSV file."""
    kind = request.data.get("kind", "")
    upload = request.FILES.get("file")
    if kind not in ImportKind.values or upload is None:
        return Response(
            {"detail": "kind (cdr|money) and file are required"}, status=status.HTTP_400_BAD_REQUEST
        )
    try:
        batch = services.import_run(
            actor=request.user,
            kind=kind,
            filename=upload.name,
            content=upload.read(),
            source=request.data.get("source", ""),
            skip_bad=request.data.get("skip_bad") in ("1", "true", "on"),
        )
    except ValidationError as error:
        return Response({"detail": error.messages}, status=status.HTTP_400_BAD_REQUEST)
    return Response(
        {
            "id": batch.pk,
            "status": batch.status,
            "rows": batch.rows_total,
            "imported": batch.rows_imported,
            "duplicate": batch.rows_duplicate,
            "errors": batch.errors,
        },
        status=status.HTTP_201_CREATED
        if batch.status != "rejected"
        else status.HTTP_400_BAD_REQUEST,
    )
