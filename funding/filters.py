import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from portal.filters import IdFilter, PortalFilterSet

from .models import (
    ApplicationStatus,
    Award,
    BudgetRevision,
    ConflictOfInterest,
    FundApplication,
    FundingSource,
    FundProgram,
    Payment,
    PerformanceIndicator,
    ProgramStatus,
    ProgressReport,
    ReportStatus,
    Review,
    ReviewAssignment,
    RevisionStatus,
    Tranche,
    TrancheStatus,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class FundProgramFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=ProgramStatus.choices, label=_("Status"))
    funding_source = django_filters.ChoiceFilter(
        choices=FundingSource.choices, label=_("Funding source")
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(kind=OrganizationKind.GOVERNMENT),
        label=_("Department"),
    )

    class Meta:
        model = FundProgram
        fields = ["q", "status", "funding_source", "department", "updated_after"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(reference__icontains=value))


class FundApplicationFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    program = django_filters.ModelChoiceFilter(
        queryset=FundProgram.objects.all(), label=_("Program")
    )
    applicant = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(is_active=True), label=_("Applicant")
    )
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices, label=_("Status"))
    amount_min = django_filters.NumberFilter(
        field_name="requested_amount",
        max_digits=14,
        decimal_places=2,
        lookup_expr="gte",
        label=_("Requested at least"),
    )
    amount_max = django_filters.NumberFilter(
        field_name="requested_amount",
        max_digits=14,
        decimal_places=2,
        lookup_expr="lte",
        label=_("Requested at most"),
    )
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__gte",
        label=_("Submitted on or after"),
        widget=DATE_INPUT,
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__lte",
        label=_("Submitted on or before"),
        widget=DATE_INPUT,
    )

    class Meta:
        model = FundApplication
        fields = [
            "q",
            "program",
            "applicant",
            "status",
            "amount_min",
            "amount_max",
            "submitted_after",
            "submitted_before",
            "updated_after",
        ]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["program"].queryset = FundProgram.objects.visible_to(request.user)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(reference__icontains=value))


class ReviewFilterSet(PortalFilterSet):
    application = IdFilter(field_name="application_id", label=_("Application id"))
    reviewer = IdFilter(field_name="reviewer_id", label=_("Reviewer id"))

    class Meta:
        model = Review
        fields = ["application", "reviewer", "recommendation", "updated_after"]


class ReviewAssignmentFilterSet(PortalFilterSet):
    application = IdFilter(field_name="application_id", label=_("Application id"))
    reviewer = IdFilter(field_name="reviewer_id", label=_("Reviewer id"))
    program = IdFilter(field_name="application__program_id", label=_("Program id"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = ReviewAssignment
        fields = ["application", "reviewer", "program", "overdue", "updated_after"]

    def filter_overdue(self, queryset, name, value):
        """Past its due date with the application still under review and no review by
        the assigned officer (``overdue=false``: every other assignment)."""
        reviewed = Review.objects.filter(
            application=OuterRef("application"), reviewer=OuterRef("reviewer")
        )
        overdue = Q(due_date__lt=timezone.localdate()) & Q(
            application__status__in=[
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.UNDER_REVIEW,
                ApplicationStatus.INFO_REQUESTED,
            ]
        )
        queryset = queryset.annotate(reviewed=Exists(reviewed))
        if value:
            return queryset.filter(overdue, reviewed=False)
        return queryset.exclude(overdue & Q(reviewed=False))


class ConflictFilterSet(PortalFilterSet):
    organization = IdFilter(field_name="organization_id", label=_("Organization id"))
    officer = IdFilter(field_name="officer_id", label=_("Officer id"))

    class Meta:
        model = ConflictOfInterest
        fields = ["organization", "officer", "updated_after"]


class AwardFilterSet(PortalFilterSet):
    program = IdFilter(field_name="program_id", label=_("Program id"))

    class Meta:
        model = Award
        fields = ["program", "updated_after"]


class TrancheFilterSet(PortalFilterSet):
    award = IdFilter(field_name="award_id", label=_("Award id"))
    status = django_filters.ChoiceFilter(choices=TrancheStatus.choices, label=_("Status"))

    class Meta:
        model = Tranche
        fields = ["award", "status", "updated_after"]


class ProgressReportFilterSet(PortalFilterSet):
    award = IdFilter(field_name="award_id", label=_("Award id"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Status"))

    class Meta:
        model = ProgressReport
        fields = ["award", "status", "updated_after"]


class PaymentFilterSet(PortalFilterSet):
    """Payments by program, award and the date paid (the finance export's filters)."""

    program = django_filters.ModelChoiceFilter(
        field_name="tranche__award__program",
        queryset=FundProgram.objects.all(),
        label=_("Program"),
    )
    award = IdFilter(field_name="tranche__award_id", label=_("Award id"))
    paid_after = django_filters.DateFilter(
        field_name="paid_on", lookup_expr="gte", label=_("Paid on or after"), widget=DATE_INPUT
    )
    paid_before = django_filters.DateFilter(
        field_name="paid_on", lookup_expr="lte", label=_("Paid on or before"), widget=DATE_INPUT
    )

    class Meta:
        model = Payment
        fields = ["program", "award", "paid_after", "paid_before", "updated_after"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["program"].queryset = FundProgram.objects.visible_to(request.user)


class BudgetRevisionFilterSet(PortalFilterSet):
    award = IdFilter(field_name="award_id", label=_("Award id"))
    status = django_filters.ChoiceFilter(choices=RevisionStatus.choices, label=_("Status"))

    class Meta:
        model = BudgetRevision
        fields = ["award", "status", "updated_after"]


class PerformanceIndicatorFilterSet(PortalFilterSet):
    program = IdFilter(field_name="program_id", label=_("Program id"))

    class Meta:
        model = PerformanceIndicator
        fields = ["program", "updated_after"]
