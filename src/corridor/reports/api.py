"""The REST API of reports: published aggregates (all a partner ever gets), the programme
indicators, and the coordinator's publishing (privacy budgets, differentially private counts,
the k-anonymous CTDC export) and training records.

The report pages' twin: the same selectors, services and roles. Nothing here returns a name.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from corridor.accounts.models import Role
from corridor.accounts.selectors import visible_agencies
from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.core.api import (
    DateField,
    IdField,
    ModelSerializer,
    RoleRequired,
    parsed,
    scoped_or_404,
)
from corridor.reports import anonymise, indicators, services
from corridor.reports.models import (
    PrivacyBudget,
    Publication,
    Sex,
    TrainingAttendance,
    TrainingSession,
)
from corridor.reports.selectors import (
    PUBLICATION_READERS,
    PUBLISHERS,
    REPORT_READERS,
    TRAINING_MANAGERS,
    visible_budgets,
    visible_publications,
    visible_trainings,
)

INTEGER_ID = "[0-9]+"


class ReportViewSet(viewsets.GenericViewSet):
    permission_classes = [RoleRequired]
    lookup_value_regex = INTEGER_ID


# Publications ------------------------------------------------------------------------------------


class PublicationSerializer(ModelSerializer):
    class Meta:
        model = Publication
        fields = ["id", "kind", "title", "epsilon", "k", "dimension", "result", "records"]
        fields += ["published_at"]
        read_only_fields = fields


class PublicationDetailSerializer(PublicationSerializer):
    class Meta(PublicationSerializer.Meta):
        fields = [*PublicationSerializer.Meta.fields, "content"]
        read_only_fields = fields


class DpReleaseInput(serializers.Serializer):
    budget = IdField(help_text="id of a privacy budget")
    dimension = serializers.ChoiceField(choices=services.DIMENSIONS)
    epsilon = serializers.FloatField(min_value=0.01, max_value=10)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class CtdcExportInput(serializers.Serializer):
    start = DateField()
    end = DateField()
    k = serializers.IntegerField(default=anonymise.K, min_value=anonymise.K, max_value=1000)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    def validate(self, attrs):
        if attrs["start"] > attrs["end"]:
            raise serializers.ValidationError(_("The start date is after the end date."))
        return attrs


class PublicationViewSet(ReportViewSet, mixins.ListModelMixin):
    """Published aggregates: differentially private counts (with their ε) and k-anonymous CTDC
    exports (with their k, and the file as ``content`` on one publication)."""

    roles = tuple(PUBLICATION_READERS)
    action_roles = {"dp_release": tuple(PUBLISHERS), "ctdc_export": tuple(PUBLISHERS)}
    serializer_class = PublicationSerializer

    def get_queryset(self):
        return visible_publications(self.request.user)

    @extend_schema(responses=PublicationDetailSerializer)
    def retrieve(self, request, pk=None):
        """One publication with its file; fetching it is audited as an export, as the
        download on the page is."""
        publication = self.get_object()
        audit_record(
            actor=request.user, action=Action.EXPORT, target=publication, summary=publication.title
        )
        return Response(PublicationDetailSerializer(publication).data)

    @extend_schema(request=DpReleaseInput, responses={201: PublicationSerializer})
    @action(detail=False, methods=["post"], url_path="dp-release")
    def dp_release(self, request):
        """Publish differentially private counts of identified victims by one breakdown,
        spending ε from a privacy budget (refused beyond what is left)."""
        values = parsed(DpReleaseInput, request)
        budget = scoped_or_404(
            visible_budgets(request.user), field="budget", pk=values.pop("budget")
        )
        publication = services.publication_dp_release(actor=request.user, budget=budget, **values)
        return Response(PublicationSerializer(publication).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CtdcExportInput, responses={201: PublicationSerializer})
    @action(detail=False, methods=["post"], url_path="ctdc-export")
    def ctdc_export(self, request):
        """Publish the k-anonymous CTDC export of the victims identified in the period."""
        publication = services.publication_ctdc_export(
            actor=request.user, **parsed(CtdcExportInput, request)
        )
        return Response(PublicationSerializer(publication).data, status=status.HTTP_201_CREATED)


class BudgetSerializer(ModelSerializer):
    spent = serializers.FloatField(read_only=True)
    remaining = serializers.FloatField(read_only=True)

    class Meta:
        model = PrivacyBudget
        fields = ["id", "name", "epsilon_total", "period_start", "period_end", "spent", "remaining"]
        read_only_fields = fields


class BudgetInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    epsilon_total = serializers.FloatField(min_value=0.01, max_value=10)
    period_start = DateField()
    period_end = DateField()


class BudgetViewSet(ReportViewSet, mixins.ListModelMixin):
    """Privacy budgets: the ε a period's differentially private releases may spend in all."""

    roles = (*PUBLISHERS, Role.ADMINISTRATOR)
    write_roles = tuple(PUBLISHERS)
    serializer_class = BudgetSerializer

    def get_queryset(self):
        return visible_budgets(self.request.user).order_by("-period_end", "name")

    @extend_schema(request=BudgetInput, responses={201: BudgetSerializer})
    def create(self, request):
        budget = services.privacy_budget_create(actor=request.user, **parsed(BudgetInput, request))
        return Response(BudgetSerializer(budget).data, status=status.HTTP_201_CREATED)


# Indicators --------------------------------------------------------------------------------------


class PeriodFilter(serializers.Serializer):
    start = DateField(required=False, help_text="default: a year ago")
    end = DateField(required=False, help_text="default: today")

    def validate(self, attrs):
        if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError(_("The start date is after the end date."))
        return attrs


class CaseIndicatorsSerializer(serializers.Serializer):
    identified = serializers.IntegerField()
    children = serializers.IntegerField()
    referred = serializers.IntegerField()
    assisted = serializers.IntegerField()
    assisted_by_service = serializers.DictField(child=serializers.IntegerField())
    returned = serializers.IntegerField()
    reunified = serializers.IntegerField()
    reintegrated_6m = serializers.IntegerField()
    followed_6m = serializers.IntegerField()
    reintegrated_12m = serializers.IntegerField()
    followed_12m = serializers.IntegerField()
    cross_border = serializers.IntegerField()
    days_to_assistance_median = serializers.FloatField(allow_null=True)
    days_to_assistance_mean = serializers.FloatField(allow_null=True)


class TrainedByAgencySerializer(serializers.Serializer):
    agency = serializers.CharField(source="agency__name")
    country = serializers.CharField(source="agency__country")
    sex = serializers.ChoiceField(choices=Sex.choices)
    officials = serializers.IntegerField(source="n")


class TrainingIndicatorsSerializer(serializers.Serializer):
    sessions = serializers.IntegerField()
    trained = serializers.IntegerField()
    by_sex = serializers.DictField(child=serializers.IntegerField())
    by_country = serializers.DictField(child=serializers.IntegerField())
    by_agency = TrainedByAgencySerializer(many=True)


class UnodcVictimsSerializer(serializers.Serializer):
    sex = serializers.CharField()
    age = serializers.CharField()
    form = serializers.CharField()
    citizenship = serializers.CharField()
    victims = serializers.IntegerField()


class JusticeSerializer(serializers.Serializer):
    suspected = serializers.IntegerField()
    prosecuted = serializers.IntegerField()
    convicted = serializers.IntegerField()


class SdgSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    victims = serializers.IntegerField()
    total = serializers.FloatField()
    female = serializers.FloatField()
    male = serializers.FloatField()
    children = serializers.FloatField()


class IndicatorsSerializer(serializers.Serializer):
    start = DateField()
    end = DateField()
    cases = CaseIndicatorsSerializer()
    training = TrainingIndicatorsSerializer()
    unodc = UnodcVictimsSerializer(many=True, help_text="UNODC Global Report victims table")
    justice = JusticeSerializer()
    sdg = SdgSerializer(many=True, help_text="SDG 16.2.2, victims per 100,000, per year")


class IndicatorViewSet(ReportViewSet):
    """The programme's results indicators for a period, counted from the cases the user sees
    (the indicators page's figures)."""

    roles = tuple(REPORT_READERS)
    serializer_class = IndicatorsSerializer

    @extend_schema(parameters=[PeriodFilter], responses=IndicatorsSerializer)
    def list(self, request):
        period = parsed(PeriodFilter, request, query=True)
        default_start, default_end = indicators.default_period()
        start, end = period.get("start") or default_start, period.get("end") or default_end
        if start > end:
            start = end
        data = indicators.indicator_report(request.user, start, end)
        return Response(IndicatorsSerializer({"start": start, "end": end, **data}).data)


# Training ----------------------------------------------------------------------------------------


class AttendanceSerializer(serializers.Serializer):
    agency = IdField(help_text="id of the officials' agency")
    sex = serializers.ChoiceField(choices=Sex.choices)
    count = serializers.IntegerField(min_value=0, max_value=10_000)


class AttendanceOut(ModelSerializer):
    class Meta:
        model = TrainingAttendance
        fields = ["agency", "sex", "count"]
        read_only_fields = fields


class TrainingSerializer(ModelSerializer):
    organiser = serializers.StringRelatedField()
    attendance = AttendanceOut(many=True, read_only=True)

    class Meta:
        model = TrainingSession
        fields = ["id", "title", "topic", "held_on", "country", "place", "organiser"]
        fields += ["attendance"]
        read_only_fields = fields


class TrainingInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    topic = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    held_on = DateField()
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    organiser = IdField(help_text="id of the organising agency")
    attendance = AttendanceSerializer(many=True, max_length=100)


class TrainingViewSet(ReportViewSet, mixins.ListModelMixin):
    """Training sessions of officials and how many of each agency and sex they trained."""

    roles = tuple(TRAINING_MANAGERS)
    serializer_class = TrainingSerializer

    def get_queryset(self):
        return visible_trainings(self.request.user)

    @extend_schema(request=TrainingInput, responses={201: TrainingSerializer})
    def create(self, request):
        values = parsed(TrainingInput, request)
        agencies = visible_agencies(request.user).filter(is_active=True)
        organiser = scoped_or_404(agencies, field="organiser", pk=values.pop("organiser"))
        attendance = [
            (
                scoped_or_404(agencies, field="attendance", pk=row["agency"]),
                row["sex"],
                row["count"],
            )
            for row in values.pop("attendance")
        ]
        session = services.training_session_create(
            actor=request.user, organiser=organiser, attendance=attendance, **values
        )
        return Response(TrainingSerializer(session).data, status=status.HTTP_201_CREATED)
