from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from accounts.models import Organization
from funding.models import (
    Award,
    BudgetLine,
    ConflictOfInterest,
    FundApplication,
    FundProgram,
    ProgressReport,
    ReviewCriterion,
    Tranche,
)
from funding.services.indicators import MAX_INDICATORS
from funding.services.programs import APPLICANT_KINDS
from funding.services.questions import MAX_QUESTIONS
from funding.services.rules import application_actions, program_actions
from partnerships.models import Partnership
from portal.api import (
    ActionsMixin,
    BoundedListField,
    RecordField,
    VisibleRecordField,
    WholeRowMixin,
)
from portal.limits import LONG_TEXT, NOTE_TEXT

from .payment_serializers import (
    INDICATOR_VALUES_HELP,
    IndicatorValueInputSerializer,
    IndicatorValueSerializer,
    ReportSpendSerializer,
    SpendInputSerializer,
    TranchePaymentSerializer,
)
from .questions import ApplicationAnswerSerializer


class ReviewCriterionSerializer(WholeRowMixin, serializers.ModelSerializer):
    class Meta:
        model = ReviewCriterion
        fields = ["id", "name", "description", "guidance", "weight", "max_score"]


class FundProgramSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:fund-program-detail")
    department = RecordField(queryset=Organization.objects.all())
    department_name = serializers.CharField(source="department.name", read_only=True)
    eligible_kinds = BoundedListField(
        child=serializers.ChoiceField(choices=[(k, k) for k in APPLICANT_KINDS]),
        allow_empty=False,
        max_length=len(APPLICANT_KINDS),
    )
    criteria = ReviewCriterionSerializer(
        many=True, max_length=settings.API_MAX_LIST_ITEMS, required=False
    )
    remaining = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = FundProgram
        fields = [
            "id",
            "url",
            "reference",
            "department",
            "department_name",
            "title",
            "description",
            "funding_source",
            "total_budget",
            "max_award",
            "eligible_kinds",
            "opens_on",
            "closes_on",
            "max_open_applications",
            "min_reviews",
            "status",
            "committed",
            "released",
            "remaining",
            "criteria",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["reference", "status", "committed", "released"]


class FundProgramDetailSerializer(ActionsMixin, FundProgramSerializer):
    class Meta(FundProgramSerializer.Meta):
        fields = [*FundProgramSerializer.Meta.fields, "actions"]

    def decide_actions(self, user, program) -> set[str]:
        return program_actions(user, program)


class FundProgramUpdateSerializer(FundProgramSerializer):
    class Meta(FundProgramSerializer.Meta):
        read_only_fields = [*FundProgramSerializer.Meta.read_only_fields, "department"]


class BudgetLineSerializer(WholeRowMixin, serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "category", "description", "amount"]


class FundApplicationSerializer(serializers.ModelSerializer):
    """What applicants and government both see: status, decision, its reasons and the
    weighted score, never who reviewed."""

    url = serializers.HyperlinkedIdentityField(view_name="api:fund-application-detail")
    program = VisibleRecordField(queryset=FundProgram.objects.all())
    applicant = RecordField(queryset=Organization.objects.all())
    applicant_name = serializers.CharField(source="applicant.name", read_only=True)
    partnership = VisibleRecordField(
        queryset=Partnership.objects.all(), required=False, allow_null=True
    )
    budget_lines = BudgetLineSerializer(
        many=True, max_length=settings.API_MAX_LIST_ITEMS, required=False
    )
    awarded_amount = serializers.DecimalField(
        source="award.amount", max_digits=14, decimal_places=2, read_only=True, default=None
    )
    answers = ApplicationAnswerSerializer(
        many=True,
        max_length=MAX_QUESTIONS,
        required=False,
        help_text="Answers to the program's questions (`program-questions/?program=`); "
        "those given are set, the others keep theirs.",
    )

    class Meta:
        model = FundApplication
        fields = [
            "id",
            "url",
            "reference",
            "program",
            "applicant",
            "applicant_name",
            "title",
            "summary",
            "partnership",
            "requested_amount",
            "budget_lines",
            "answers",
            "status",
            "version",
            "info_request",
            "info_requested_at",
            "submitted_at",
            "decided_at",
            "decision_reasons",
            "weighted_score",
            "awarded_amount",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "reference",
            "status",
            "version",
            "info_request",
            "info_requested_at",
            "submitted_at",
            "decided_at",
            "decision_reasons",
            "weighted_score",
        ]

    def to_representation(self, application):
        data = super().to_representation(application)
        # Blind review: the viewset annotates ``scores_visible`` (rules.with_scores_visible).
        if not getattr(application, "scores_visible", True):
            data["weighted_score"] = None
        return data


class FundApplicationDetailSerializer(ActionsMixin, FundApplicationSerializer):
    class Meta(FundApplicationSerializer.Meta):
        fields = [*FundApplicationSerializer.Meta.fields, "actions"]

    def decide_actions(self, user, application) -> set[str]:
        return application_actions(user, application)


class FundApplicationUpdateSerializer(FundApplicationSerializer):
    class Meta(FundApplicationSerializer.Meta):
        read_only_fields = [
            *FundApplicationSerializer.Meta.read_only_fields,
            "program",
            "applicant",
        ]


class DecisionSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    reasons = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTE_TEXT
    )


class ConflictOfInterestSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:conflict-of-interest-detail")
    officer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    organization = RecordField(queryset=Organization.objects.filter(is_active=True))

    class Meta:
        model = ConflictOfInterest
        fields = ["id", "url", "officer", "organization", "reason", "created_at", "updated_at"]


class AwardSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:award-detail")

    class Meta:
        model = Award
        fields = [
            "id",
            "url",
            "application",
            "program",
            "amount",
            "tranched",
            "released",
            "needs_budget_revision",
            "created_at",
            "updated_at",
        ]


class TrancheSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:tranche-detail")
    award = VisibleRecordField(queryset=Award.objects.all())
    released_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    payment = TranchePaymentSerializer(read_only=True, allow_null=True)
    evidence = serializers.SerializerMethodField(
        help_text="The files attached as the evidence the tranche waits for (the "
        "attachments list of this tranche)."
    )

    class Meta:
        model = Tranche
        fields = [
            "id",
            "url",
            "award",
            "amount",
            "due_date",
            "milestone",
            "status",
            "released_at",
            "released_by",
            "cancel_reason",
            "payment",
            "evidence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "released_at", "cancel_reason"]

    def get_evidence(self, tranche) -> str:
        url = reverse("api:attachment-list") + f"?record=funding.tranche:{tranche.pk}"
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ProgressReportSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:progress-report-detail")
    award = VisibleRecordField(queryset=Award.objects.all())
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    indicator_values = IndicatorValueSerializer(many=True, read_only=True)
    spend = ReportSpendSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "url",
            "award",
            "due_date",
            "period_start",
            "period_end",
            "narrative",
            "spent_to_date",
            "indicator_values",
            "spend",
            "status",
            "submitted_at",
            "reviewed_at",
            "reviewed_by",
            "review_comment",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "narrative",
            "spent_to_date",
            "status",
            "submitted_at",
            "reviewed_at",
            "review_comment",
        ]


class ReportSubmitSerializer(serializers.Serializer):
    """What was done, every indicator's value to date, the spend to date on every
    budget line (``spent_to_date`` becomes their sum)."""

    narrative = serializers.CharField(max_length=LONG_TEXT)
    indicator_values = IndicatorValueInputSerializer(
        many=True, max_length=MAX_INDICATORS, help_text=INDICATOR_VALUES_HELP
    )
    spend = SpendInputSerializer(many=True, max_length=settings.API_MAX_LIST_ITEMS)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTE_TEXT
    )
