"""The REST API of intelligence, for this node's investigators only: entities, events, links,
reports, imports of call and mobile-money records, entity resolution (proposals and the
judgement log), the network summary and the requests exchanged with the other node.

The intelligence pages' twin: the same selectors (``visible_entities`` …, which give nothing to
anyone but an investigator), services and audit (every list and every record read is audited).
Mounted once, at ``/api/intel/`` (``intel/api_urls.py``).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.core.api import (
    DateField,
    IdField,
    ModelSerializer,
    RoleRequired,
    ScopedViewSet,
    parsed,
    scoped_or_404,
)
from corridor.federation.selectors import active_peers
from corridor.intel import analysis, exchange, resolution, selectors, services
from corridor.intel.forms import MAX_UPLOAD
from corridor.intel.models import (
    Credibility,
    Decision,
    Entity,
    EntityKind,
    Event,
    EventKind,
    Handling,
    ImportBatch,
    ImportKind,
    ImportStatus,
    IntelRequest,
    Link,
    LinkKind,
    MatchJudgement,
    PersonRole,
    Reliability,
    Report,
)

INTEGER_ID = "[0-9]+"


def _audit_list(request, what: str) -> None:
    """Record that an investigator listed intelligence records (object type ``intel.api``)."""
    audit_record(
        actor=request.user,
        action=Action.READ,
        object_type="intel.api",
        object_id=what,
        summary=request.get_full_path()[:300],
    )


class IntelViewSet(ScopedViewSet, mixins.ListModelMixin):
    """Investigators only; the list is audited under ``audit_name``, each record read too."""

    roles = selectors.INTEL_READERS
    lookup_value_regex = INTEGER_ID
    audit_name = ""
    audit_lists = False  # audited by ``list`` with the request's path

    def list(self, request, *args, **kwargs):
        _audit_list(request, self.audit_name)
        return super().list(request, *args, **kwargs)


class GradingInput(serializers.Serializer):
    """Where an item comes from and how far it can be trusted (admiralty grading)."""

    source = serializers.CharField(max_length=200)
    reliability = serializers.ChoiceField(choices=Reliability.choices)
    credibility = serializers.ChoiceField(choices=Credibility.choices)
    handling = serializers.ChoiceField(choices=Handling.choices, default=Handling.CONDITIONS)


GRADING = ["source", "reliability", "credibility", "handling", "grading"]


# Reports -----------------------------------------------------------------------------------------


class IntelReportSerializer(ModelSerializer):
    grading = serializers.CharField(read_only=True)

    class Meta:
        model = Report
        fields = ["id", "title", "received_on", "narrative", *GRADING, "created_at"]
        read_only_fields = fields


class IntelReportInput(GradingInput):
    title = serializers.CharField(max_length=200)
    received_on = DateField()
    narrative = serializers.CharField(required=False, allow_blank=True, default="")


class ReportViewSet(IntelViewSet, mixins.CreateModelMixin):
    """Intelligence reports: the source of the items they mention."""

    serializer_class = IntelReportSerializer
    audit_name = "reports"

    def get_queryset(self):
        return selectors.visible_reports(self.request.user)

    @extend_schema(request=IntelReportInput, responses={201: IntelReportSerializer})
    def create(self, request, *args, **kwargs):
        report = services.report_create(actor=request.user, **parsed(IntelReportInput, request))
        return Response(IntelReportSerializer(report).data, status=status.HTTP_201_CREATED)


# Entities ----------------------------------------------------------------------------------------


class IntelEntitySerializer(ModelSerializer):
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
            "report",
            *GRADING,
        ]
        read_only_fields = fields


class EntityFilter(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EntityKind.choices, required=False)
    q = serializers.CharField(required=False, max_length=200, help_text="name or number")


class IntelEntityInput(GradingInput):
    kind = serializers.ChoiceField(choices=EntityKind.choices)
    name = serializers.CharField(
        max_length=200,
        help_text="A victim is recorded only by the reference of their case, never by name.",
    )
    country = serializers.CharField(required=False, allow_blank=True, default="", max_length=2)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=PersonRole.choices), required=False, max_length=20
    )
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    report = IdField(
        required=False, allow_null=True, default=None, help_text="id of the report it comes from"
    )


class UnmergeInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class EntityViewSet(IntelViewSet, mixins.CreateModelMixin):
    """People, organisations, phones, accounts, vehicles, places, documents and victim
    references; ``kind`` and ``q`` narrow the list."""

    serializer_class = IntelEntitySerializer
    audit_name = "entities"
    query_filter = EntityFilter

    def get_queryset(self):
        entities = selectors.visible_entities(self.request.user)
        if self.action == "list":
            query = self.query()
            if query.get("kind"):
                entities = entities.filter(kind=query["kind"])
            if query.get("q"):
                entities = entities.filter(
                    Q(name__icontains=query["q"]) | Q(key__icontains=query["q"])
                )
        return entities

    @extend_schema(parameters=[EntityFilter])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=IntelEntityInput, responses={201: IntelEntitySerializer})
    def create(self, request, *args, **kwargs):
        values = parsed(IntelEntityInput, request)
        if values["report"] is not None:
            values["report"] = scoped_or_404(
                selectors.visible_reports(request.user), field="report", pk=values["report"]
            )
        entity = services.entity_create(actor=request.user, **values)
        return Response(IntelEntitySerializer(entity).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UnmergeInput, responses=IntelEntitySerializer)
    @action(detail=True, methods=["post"])
    def unmerge(self, request, pk=None):
        """The entity stands alone again; a negative judgement records the change of mind."""
        entity = services.entity_unmerge(
            actor=request.user, entity=self.get_object(), **parsed(UnmergeInput, request)
        )
        return Response(IntelEntitySerializer(entity).data)


def _entities(request, field: str, ids) -> list[Entity]:
    """Active entities the investigator names in a body, in order, or a 400 naming ``field``."""
    found = selectors.visible_entities(request.user).active().in_bulk(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise serializers.ValidationError({field: [_("Not found in your scope.")]})
    return [found[i] for i in ids]


# Links and events --------------------------------------------------------------------------------


class IntelLinkSerializer(ModelSerializer):
    grading = serializers.CharField(read_only=True)

    class Meta:
        model = Link
        fields = ["id", "kind", "source_entity", "target_entity", "start", "end", "description"]
        fields += GRADING
        read_only_fields = fields


class IntelLinkInput(GradingInput):
    kind = serializers.ChoiceField(choices=LinkKind.choices)
    source_entity = IdField(help_text="id of an entity")
    target_entity = IdField(help_text="id of another entity")
    start = DateField(required=False, allow_null=True, default=None)
    end = DateField(required=False, allow_null=True, default=None)
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300
    )


class LinkViewSet(IntelViewSet, mixins.CreateModelMixin):
    """Relationships between two entities, undated or from ``start`` to ``end``."""

    serializer_class = IntelLinkSerializer
    audit_name = "links"

    def get_queryset(self):
        return selectors.visible_links(self.request.user)

    @extend_schema(request=IntelLinkInput, responses={201: IntelLinkSerializer})
    def create(self, request, *args, **kwargs):
        values = parsed(IntelLinkInput, request)
        if values["source_entity"] == values["target_entity"]:
            raise serializers.ValidationError(
                {"target_entity": [_("A link needs two different entities.")]}
            )
        ends = _entities(request, "source_entity", [values["source_entity"]])
        ends += _entities(request, "target_entity", [values["target_entity"]])
        values["source_entity"], values["target_entity"] = ends
        link = services.link_create(actor=request.user, **values)
        return Response(IntelLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class ParticipantSerializer(serializers.Serializer):
    entity = serializers.IntegerField()
    role = serializers.CharField()


class IntelEventSerializer(ModelSerializer):
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
            *GRADING,
        ]
        read_only_fields = fields

    @extend_schema_field(ParticipantSerializer(many=True))
    def get_participants(self, event) -> list[dict]:
        return [{"entity": p.entity_id, "role": p.role} for p in event.participations.all()]


class IntelEventInput(GradingInput):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    at = serializers.DateTimeField()
    participants = serializers.ListField(
        child=IdField(),
        min_length=1,
        max_length=50,
        help_text="ids of the entities that took part",
    )
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300
    )
    amount = serializers.DecimalField(
        required=False, allow_null=True, default=None, min_value=0, max_digits=14, decimal_places=2
    )
    currency = serializers.CharField(required=False, allow_blank=True, default="", max_length=3)


class EventViewSet(IntelViewSet, mixins.CreateModelMixin):
    """Calls, payments, recruitments, transports … with who took part."""

    serializer_class = IntelEventSerializer
    audit_name = "events"

    def get_queryset(self):
        return selectors.visible_events(self.request.user).prefetch_related("participations")

    @extend_schema(request=IntelEventInput, responses={201: IntelEventSerializer})
    def create(self, request, *args, **kwargs):
        values = parsed(IntelEventInput, request)
        entities = _entities(request, "participants", list(dict.fromkeys(values["participants"])))
        values["participants"] = [(entity, entity.kind) for entity in entities]
        event = services.event_create(actor=request.user, **values)
        return Response(IntelEventSerializer(event).data, status=status.HTTP_201_CREATED)


# Imports -----------------------------------------------------------------------------------------


class ImportBatchSerializer(ModelSerializer):
    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "filename",
            "source",
            "reliability",
            "credibility",
            "status",
            "rows_total",
            "rows_imported",
            "rows_duplicate",
            "rows_error",
            "errors",
            "created_at",
        ]
        read_only_fields = fields


class ImportInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    file = serializers.FileField(help_text="CSV file, 10 MB at most")
    source = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    reliability = serializers.ChoiceField(choices=Reliability.choices, default=Reliability.B)
    credibility = serializers.ChoiceField(choices=Credibility.choices, default=Credibility.PROBABLE)
    skip_bad = serializers.BooleanField(
        default=False, help_text="import the valid rows and report the others"
    )

    def validate_file(self, upload):
        if upload.size > MAX_UPLOAD:
            raise serializers.ValidationError(_("The file is larger than 10 MB; split it."))
        return upload


class ImportViewSet(IntelViewSet):
    """Imports of call detail records (``cdr``) and mobile-money statements (``money``). A file
    with a bad row imports nothing (400, with the rows in error) unless ``skip_bad``."""

    serializer_class = ImportBatchSerializer
    audit_name = "imports"
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return selectors.visible_imports(self.request.user)

    @extend_schema(
        request={"multipart/form-data": ImportInput},
        responses={201: ImportBatchSerializer, 400: ImportBatchSerializer},
    )
    def create(self, request, *args, **kwargs):
        values = parsed(ImportInput, request)
        upload = values.pop("file")
        batch = services.import_run(
            actor=request.user, filename=upload.name, content=upload.read(), **values
        )
        rejected = batch.status == ImportStatus.REJECTED
        return Response(
            ImportBatchSerializer(batch).data,
            status=status.HTTP_400_BAD_REQUEST if rejected else status.HTTP_201_CREATED,
        )


# Entity resolution -------------------------------------------------------------------------------


class ProposalSerializer(serializers.Serializer):
    left = serializers.IntegerField(source="left.pk")
    left_name = serializers.CharField(source="left.name")
    right = serializers.IntegerField(source="right.pk")
    right_name = serializers.CharField(source="right.name")
    kind = serializers.CharField(source="left.kind")
    reasons = serializers.ListField(child=serializers.CharField())
    current = serializers.CharField(allow_null=True, help_text="the decision in force, if unsure")


class DuplicateViewSet(viewsets.GenericViewSet):
    """Pairs of entities that may be the same, strongest evidence first (at most 100)."""

    permission_classes = [RoleRequired]
    roles = selectors.INTEL_READERS
    serializer_class = ProposalSerializer

    def list(self, request):
        user = request.user
        proposals = resolution.propose(
            entities=selectors.visible_entities(user),
            links=selectors.visible_links(user),
            decisions=resolution.entity_decisions(selectors.visible_judgements(user)),
        )
        _audit_list(request, "duplicates")
        return Response(ProposalSerializer(proposals[:100], many=True).data)


class JudgementSerializer(ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = MatchJudgement
        fields = ["id", "left_id", "right_id", "decision", "user", "at", "comment"]
        read_only_fields = fields


class JudgementInput(serializers.Serializer):
    left = IdField(help_text="id of an entity")
    right = IdField(help_text="id of another entity")
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class JudgementViewSet(IntelViewSet):
    """The append-only log of reviewers' decisions on pairs of entities; POST records one, and
    "same" (``positive``) merges the right entity into the left."""

    serializer_class = JudgementSerializer
    audit_name = "judgements"

    def get_queryset(self):
        return selectors.visible_judgements(self.request.user).select_related("user")

    @extend_schema(request=JudgementInput, responses={201: JudgementSerializer})
    def create(self, request, *args, **kwargs):
        values = parsed(JudgementInput, request)
        entities = selectors.visible_entities(request.user)
        left = scoped_or_404(entities, field="left", pk=values.pop("left"))
        right = scoped_or_404(entities, field="right", pk=values.pop("right"))
        if values["decision"] == Decision.POSITIVE:
            services.entity_merge(
                actor=request.user, survivor=left, duplicate=right, comment=values["comment"]
            )
        else:
            services.judgement_record(actor=request.user, left=left, right=right, **values)
        judgement = selectors.current_decision(left=left, right=right)
        return Response(JudgementSerializer(judgement).data, status=status.HTTP_201_CREATED)


# The network -------------------------------------------------------------------------------------


class NetworkFilter(serializers.Serializer):
    anchor = IdField(required=False, help_text="the network of this entity (default: largest)")
    start = DateField(required=False)
    end = DateField(required=False)
    k = serializers.IntegerField(required=False, min_value=1, max_value=10, default=3)

    def validate(self, attrs):
        if attrs.get("start") and attrs.get("end") and attrs["end"] < attrs["start"]:
            raise serializers.ValidationError(_("The end of the window is before its start."))
        return attrs


class NetworkView(APIView):
    """Summary of one network in a time window (the largest unless ``anchor`` names an entity
    of it): size, central actors, communities, brokers and key players."""

    permission_classes = [RoleRequired]
    roles = selectors.INTEL_READERS

    @extend_schema(parameters=[NetworkFilter], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        query = parsed(NetworkFilter, request, query=True)
        data = selectors.visible_network(
            request.user, start=query.get("start"), end=query.get("end"), anchor=query.get("anchor")
        )
        summary = {}
        if data.network.graph.vcount() > 2:
            summary = analysis.analyse(data, key_player_count=query["k"])["summary"]
        _audit_list(request, "network")
        return Response(summary)


# Requests to and from the other node -------------------------------------------------------------


class IntelRequestSerializer(ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    answered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = IntelRequest
        fields = [
            "id",
            "direction",
            "request_id",
            "peer",
            "identifiers",
            "purpose",
            "legal_basis",
            "status",
            "answer",
            "created_at",
            "created_by",
            "answered_at",
            "answered_by",
        ]
        read_only_fields = fields


class IdentifierInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=exchange.ASKABLE)
    value = serializers.RegexField(r"^[^\r\n]+$", max_length=100)


class IntelRequestInput(serializers.Serializer):
    peer = serializers.CharField(max_length=40, help_text="name of the other node")
    identifiers = IdentifierInput(many=True, min_length=1, max_length=100)
    purpose = serializers.CharField(min_length=5, max_length=500)
    legal_basis = serializers.CharField(min_length=3, max_length=300)


class IntelRequestViewSet(IntelViewSet):
    """Requests sent to and received from the other node. POST asks it about phones, accounts,
    vehicles or documents, with a purpose and a legal basis; ``answer`` answers a received one."""

    serializer_class = IntelRequestSerializer
    audit_name = "requests"

    def get_queryset(self):
        return selectors.visible_intel_requests(self.request.user)

    @extend_schema(request=IntelRequestInput, responses={201: IntelRequestSerializer})
    def create(self, request, *args, **kwargs):
        values = parsed(IntelRequestInput, request)
        peer = scoped_or_404(active_peers(), field="peer", name=values.pop("peer"))
        lines = "\n".join(f"{i['kind']}: {i['value']}" for i in values.pop("identifiers"))
        sent = exchange.intel_request_send(
            actor=request.user,
            peer=peer,
            identifiers=exchange.parse_identifiers(lines),
            **values,
        )
        return Response(IntelRequestSerializer(sent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=IntelRequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        answered = exchange.intel_response_send(actor=request.user, request=self.get_object())
        return Response(IntelRequestSerializer(answered).data)
