"""Serializers of the money after the decision and what it buys: payments, budget
revisions, performance indicators, and the rows a progress report gives (indicator
values, spend per budget line), read and written."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from funding.models import (
    Award,
    BudgetCategory,
    BudgetRevision,
    FundProgram,
    IndicatorValue,
    Payment,
    PerformanceIndicator,
    ReportSpend,
)
from funding.services.indicators import MAX_INDICATORS
from funding.services.payments import CANCEL_REASON_LENGTH, PAYMENT_REFERENCE_LENGTH
from funding.services.revisions import MAX_REVISION_LINES, revision_actions
from portal.api import ActionsMixin, VisibleRecordField, WholeRowMixin
from portal.dates import validate_portal_date
from portal.limits import LARGEST_ID, NOTE_TEXT

MONEY = {"max_digits": 14, "decimal_places": 2}


class PaymentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:payment-detail")
    award = serializers.IntegerField(source="tranche.award_id", read_only=True)
    program = serializers.IntegerField(source="tranche.award.program_id", read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "url",
            "tranche",
            "award",
            "program",
            "amount",
            "paid_on",
            "voucher_number",
            "payee_account",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TranchePaymentSerializer(serializers.ModelSerializer):
    """A tranche's payment, shown with the tranche."""

    url = serializers.HyperlinkedIdentityField(view_name="api:payment-detail")

    class Meta:
        model = Payment
        fields = ["id", "url", "amount", "paid_on", "voucher_number", "payee_account"]
        read_only_fields = fields


class ReleaseSerializer(serializers.Serializer):
    paid_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        validators=[validate_portal_date],
        help_text="When the money was paid (default: today; not after today).",
    )
    voucher_number = serializers.CharField(max_length=PAYMENT_REFERENCE_LENGTH)
    payee_account = serializers.CharField(max_length=PAYMENT_REFERENCE_LENGTH)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=CANCEL_REASON_LENGTH)


class BudgetRevisionLineSerializer(WholeRowMixin, serializers.Serializer):
    category = serializers.ChoiceField(choices=BudgetCategory.choices)
    description = serializers.CharField(max_length=255)
    amount = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"))


class BudgetRevisionSerializer(serializers.ModelSerializer):
    """A revision and the department's answer; like a decision, it names no officer."""

    url = serializers.HyperlinkedIdentityField(view_name="api:budget-revision-detail")
    award = VisibleRecordField(queryset=Award.objects.all())
    lines = BudgetRevisionLineSerializer(
        many=True, allow_empty=False, max_length=MAX_REVISION_LINES
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_TEXT)
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = BudgetRevision
        fields = [
            "id",
            "url",
            "award",
            "lines",
            "note",
            "status",
            "proposed_by",
            "decided_at",
            "comment",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "decided_at", "comment"]


class BudgetRevisionDetailSerializer(ActionsMixin, BudgetRevisionSerializer):
    class Meta(BudgetRevisionSerializer.Meta):
        fields = [*BudgetRevisionSerializer.Meta.fields, "actions"]

    def decide_actions(self, user, revision) -> set[str]:
        return revision_actions(user, revision, revision.award)


class PerformanceIndicatorSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:performance-indicator-detail")
    program = VisibleRecordField(queryset=FundProgram.objects.all())

    class Meta:
        model = PerformanceIndicator
        fields = [
            "id",
            "url",
            "program",
            "name",
            "unit",
            "target",
            "order",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["order"]


class PerformanceIndicatorUpdateSerializer(PerformanceIndicatorSerializer):
    class Meta(PerformanceIndicatorSerializer.Meta):
        read_only_fields = ["order", "program"]


class IndicatorValueSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="indicator.name", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)
    target = serializers.DecimalField(source="indicator.target", **MONEY, read_only=True)

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "name", "unit", "target", "value"]
        read_only_fields = fields


class ReportSpendSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportSpend
        fields = ["budget_line", "description", "amount"]
        read_only_fields = fields


class IndicatorValueInputSerializer(WholeRowMixin, serializers.Serializer):
    indicator = serializers.IntegerField(min_value=1, max_value=LARGEST_ID)
    value = serializers.DecimalField(**MONEY, min_value=Decimal("0"))


class SpendInputSerializer(WholeRowMixin, serializers.Serializer):
    budget_line = serializers.IntegerField(min_value=1, max_value=LARGEST_ID)
    amount = serializers.DecimalField(**MONEY, min_value=Decimal("0"))


INDICATOR_VALUES_HELP = (
    f"The value to date of every indicator of the program (at most {MAX_INDICATORS})."
)
