"""Talent-demand reports in the API: ``talent-demand-reports/`` with their nested
``rows`` (replaced as a whole), and ``publish/``. Published reports are read by everyone
signed in, drafts by the association and government. Every write goes through
``associations.services.demand``."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from accounts.models import Organization, OrganizationKind
from associations.filters import DemandReportFilterSet
from associations.models import MAX_DEMAND_ROWS, DemandRow, TalentDemandReport
from associations.services import demand as service
from portal.api import ActionsMixin, PortalCreateReadUpdateViewSet, RecordField, WholeRowMixin


class DemandRowSerializer(WholeRowMixin, serializers.ModelSerializer):
    specialty = serializers.CharField(max_length=service.SPECIALTY_LENGTH)
    year = serializers.IntegerField(
        min_value=1990, max_value=2200, help_text="Within the report's years."
    )
    people = serializers.IntegerField(min_value=1, max_value=service.MAX_PEOPLE)
    note = serializers.CharField(
        max_length=service.NOTE_LENGTH, required=False, allow_blank=True, default=""
    )

    class Meta:
        model = DemandRow
        fields = ["specialty", "year", "people", "note"]
        # One row per specialty and year is the service's to check, for all rows at once.
        validators: list = []


class DemandReportSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:talent-demand-report-detail")
    association = RecordField(
        queryset=Organization.objects.filter(kind=OrganizationKind.ASSOCIATION, is_active=True),
        required=False,
        help_text="Your association's id; needed only when you draft for several.",
    )
    association_name = serializers.CharField(source="association.name", read_only=True)
    total_people = serializers.IntegerField(
        read_only=True, help_text="The people needed over all rows."
    )
    rows = DemandRowSerializer(
        many=True,
        max_length=MAX_DEMAND_ROWS,
        required=False,
        help_text="People needed per specialty and year; a write replaces them all. "
        f"At most {MAX_DEMAND_ROWS}, one per specialty and year.",
    )

    class Meta:
        model = TalentDemandReport
        fields = [
            "id",
            "url",
            "association",
            "association_name",
            "title",
            "industry",
            "region",
            "first_year",
            "last_year",
            "summary",
            "status",
            "published_at",
            "total_people",
            "rows",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "published_at"]


class DemandReportUpdateSerializer(DemandReportSerializer):
    class Meta(DemandReportSerializer.Meta):
        read_only_fields = ["association", "status", "published_at"]


class DemandSpecialtyTotalSerializer(serializers.Serializer):
    specialty = serializers.CharField()
    people = serializers.IntegerField(help_text="Over the report's years.")


class DemandYearTotalSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    people = serializers.IntegerField(help_text="Over all specialties.")


class DemandReportDetailSerializer(ActionsMixin, DemandReportSerializer):
    totals_by_specialty = serializers.SerializerMethodField(
        help_text="People needed per specialty over the years, most needed first."
    )
    totals_by_year = serializers.SerializerMethodField(
        help_text="People needed per year over all specialties."
    )

    class Meta(DemandReportSerializer.Meta):
        fields = [
            *DemandReportSerializer.Meta.fields,
            "totals_by_specialty",
            "totals_by_year",
            "actions",
        ]

    def decide_actions(self, user, report) -> set[str]:
        return service.report_actions(user, report)

    def _table(self, report) -> service.DemandTable:
        # The prefetched rows, read once for both totals.
        if getattr(report, "_demand_table", None) is None:
            report._demand_table = service.demand_table(report, report.rows.all())
        return report._demand_table

    def get_totals_by_specialty(self, report) -> DemandSpecialtyTotalSerializer(many=True):
        return [
            {"specialty": demand.specialty, "people": demand.total}
            for demand in self._table(report).specialties
        ]

    def get_totals_by_year(self, report) -> DemandYearTotalSerializer(many=True):
        table = self._table(report)
        return [
            {"year": year, "people": people}
            for year, people in zip(table.years, table.year_totals, strict=True)
        ]


def only_association(user) -> Organization:
    """The one association the user drafts for, when the body names none."""
    drafting = service.drafting_associations(user)
    if len(drafting) != 1:
        raise ValidationError(
            {"association": _("Give the id of the association the report is of.")}
        )
    return Organization.objects.get(pk=next(iter(drafting)))


class DemandReportViewSet(PortalCreateReadUpdateViewSet):
    """Talent-demand reports (Art. 23 of the 2022 Vocational Education Law): per industry
    and region, the people of each specialty an association's members expect to need
    in each of the report's years. Drafted and changed by the association's admins and
    staff (`rows` replaced as a whole, all or nothing); `publish/` makes a draft with at
    least one row readable by everyone signed in. A published report never changes
    (409): a correction is a new report. The detail adds the totals by specialty and by
    year, and your `actions`."""

    queryset = service.with_total_people(
        TalentDemandReport.objects.select_related("association").prefetch_related("rows")
    ).order_by("status", "-published_at", "-pk")
    serializer_class = DemandReportSerializer
    detail_serializer_class = DemandReportDetailSerializer
    filterset_class = DemandReportFilterSet
    search_fields = ("title", "industry", "region")
    ordering_fields = (
        "title",
        "industry",
        "region",
        "first_year",
        "status",
        "published_at",
        "total_people",
        "created_at",
        "updated_at",
    )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return DemandReportUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return service.can_change_report(user, obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        association = data.pop("association", None) or only_association(self.request.user)
        report = service.report_create(
            actor=self.request.user, association=association, rows=data.pop("rows", []), **data
        )
        serializer.instance = self.get_queryset().get(pk=report.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        report = service.report_update(
            actor=self.request.user,
            report=serializer.instance,
            rows=data.pop("rows", None),
            **data,
        )
        serializer.instance = self.get_queryset().get(pk=report.pk)

    @extend_schema(request=None, responses=DemandReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Draft → published (it needs at least one row); from then on it never changes."""
        report = service.report_publish(actor=request.user, report=self.get_object())
        return self.updated_response(report)


routes = [
    ("talent-demand-reports", DemandReportViewSet, "talent-demand-report"),
]
