"""The association lists' filters (pages and API alike), one section per part."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from portal.filters import IdFilter, PortalFilterSet, YesNoFilter

from .models import (
    Assessment,
    AssessmentResponse,
    AssessmentStatus,
    AssociationMembership,
    CertificationApplication,
    CertificationStatus,
    DemandRow,
    DuesPayment,
    Entrustment,
    EntrustmentKind,
    EntrustmentStatus,
    MembershipStatus,
    MembershipType,
    ReportStatus,
    ScopedRead,
    TalentDemandReport,
)
from .models.memberships import status_condition
from .services.assessments import SubjectKind, subject_condition
from .services.memberships import member_organizations

# --- entrustments ---------------------------------------------------------------------


class EntrustmentFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    status = django_filters.ChoiceFilter(choices=EntrustmentStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=EntrustmentKind.choices, label=_("Kind"))
    department = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(kind=OrganizationKind.GOVERNMENT, is_active=True),
        label=_("Department"),
    )
    association = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(kind=OrganizationKind.ASSOCIATION, is_active=True),
        label=_("Association"),
    )

    class Meta:
        model = Entrustment
        fields = ["q", "status", "kind", "department", "association", "updated_after"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(association__name__icontains=value))


class ScopedReadFilterSet(django_filters.FilterSet):
    entrustment = IdFilter(field_name="entrustment_id", label=_("Entrustment (id)"))
    record_kind = django_filters.CharFilter(label=_("Kind of record"), max_length=100)
    read_after = django_filters.IsoDateTimeFilter(
        field_name="read_at", lookup_expr="gte", label=_("Read at or after")
    )

    class Meta:
        model = ScopedRead
        fields = ["entrustment", "record_kind", "read_after"]


# --- memberships ----------------------------------------------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def associations():
    return Organization.objects.filter(kind=OrganizationKind.ASSOCIATION, is_active=True)


class MembershipFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    association = django_filters.ModelChoiceFilter(queryset=associations(), label=_("Association"))
    member = django_filters.ModelChoiceFilter(queryset=member_organizations(), label=_("Member"))
    membership_type = django_filters.ModelChoiceFilter(
        queryset=MembershipType.objects.all(), label=_("Type")
    )
    status = django_filters.ChoiceFilter(
        choices=MembershipStatus.choices, method="filter_status", label=_("Status")
    )
    ends_after = django_filters.DateFilter(
        field_name="end_date", lookup_expr="gte", label=_("Ends on or after"), widget=DATE_INPUT
    )
    ends_before = django_filters.DateFilter(
        field_name="end_date", lookup_expr="lte", label=_("Ends on or before"), widget=DATE_INPUT
    )

    class Meta:
        model = AssociationMembership
        fields = [
            "q",
            "association",
            "member",
            "membership_type",
            "status",
            "ends_after",
            "ends_before",
            "updated_after",
        ]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["membership_type"].queryset = MembershipType.objects.visible_to(
                request.user
            )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(member__name__icontains=value) | Q(number__icontains=value))

    def filter_status(self, queryset, name, value):
        """By the dates, as the status follows from them (served by their indexes)."""
        return queryset.filter(status_condition(value, timezone.localdate()))


class MembershipTypeFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Name"), max_length=100
    )
    association = django_filters.ModelChoiceFilter(queryset=associations(), label=_("Association"))
    is_active = YesNoFilter(label=_("Offered"))

    class Meta:
        model = MembershipType
        fields = ["q", "association", "is_active", "updated_after"]


class DuesPaymentFilterSet(PortalFilterSet):
    membership = IdFilter(field_name="membership_id", label=_("Membership (id)"))
    association = IdFilter(field_name="membership__association_id", label=_("Association (id)"))
    member = IdFilter(field_name="membership__member_id", label=_("Member (id)"))
    paid_after = django_filters.DateFilter(
        field_name="paid_on", lookup_expr="gte", label=_("Paid on or after")
    )
    paid_before = django_filters.DateFilter(
        field_name="paid_on", lookup_expr="lte", label=_("Paid on or before")
    )

    class Meta:
        model = DuesPayment
        fields = [
            "membership",
            "association",
            "member",
            "paid_after",
            "paid_before",
            "updated_after",
        ]


# --- talent-demand reports ------------------------------------------------------------


class YearFilter(django_filters.NumberFilter):
    """A year from 1990 to 2200: anything else is a field error, never an overflow."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1990)
        kwargs.setdefault("max_value", 2200)
        super().__init__(*args, **kwargs)


class DemandReportFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    association = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(kind=OrganizationKind.ASSOCIATION, is_active=True),
        label=_("Association"),
    )
    industry = django_filters.CharFilter(
        lookup_expr="icontains", label=_("Industry"), max_length=100
    )
    region = django_filters.CharFilter(lookup_expr="icontains", label=_("Region"), max_length=100)
    specialty = django_filters.CharFilter(
        method="filter_specialty", label=_("Specialty"), max_length=100
    )
    year = YearFilter(method="filter_year", label=_("Covers the year"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Status"))

    class Meta:
        model = TalentDemandReport
        fields = [
            "q",
            "association",
            "industry",
            "region",
            "specialty",
            "year",
            "status",
            "updated_after",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(title__icontains=value)
            | Q(industry__icontains=value)
            | Q(association__name__icontains=value)
            | Q(pk__in=DemandRow.objects.filter(specialty__icontains=value).values("report_id"))
        )

    def filter_specialty(self, queryset, name, value):
        """Reports with a row of the specialty (a subquery: one row per report)."""
        rows = DemandRow.objects.filter(specialty__icontains=value.strip())
        return queryset.filter(pk__in=rows.values("report_id"))

    def filter_year(self, queryset, name, value):
        return queryset.filter(first_year__lte=value, last_year__gte=value)


# --- assessments ----------------------------------------------------------------------


class AssessmentFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    assessor = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(
            kind__in=[OrganizationKind.ASSOCIATION, OrganizationKind.GOVERNMENT], is_active=True
        ),
        label=_("Assessor"),
    )
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(
            kind__in=[OrganizationKind.COLLEGE, OrganizationKind.ENTERPRISE], is_active=True
        ),
        label=_("Organization assessed"),
    )
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices, label=_("Status"))
    subject = django_filters.ChoiceFilter(
        choices=SubjectKind.choices, method="filter_subject", label=_("Subject")
    )

    class Meta:
        model = Assessment
        fields = ["q", "assessor", "organization", "status", "subject", "updated_after"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(organization__name__icontains=value))

    def filter_subject(self, queryset, name, value):
        return queryset.filter(subject_condition(value))


class AssessmentResponseFilterSet(PortalFilterSet):
    assessment = IdFilter(field_name="assessment_id", label=_("Assessment (id)"))
    organization = IdFilter(
        field_name="assessment__organization_id", label=_("Organization assessed (id)")
    )
    assessor = IdFilter(field_name="assessment__assessor_id", label=_("Assessor (id)"))

    class Meta:
        model = AssessmentResponse
        fields = ["assessment", "organization", "assessor", "updated_after"]


# --- certifications -------------------------------------------------------------------


class CertificationFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    status = django_filters.ChoiceFilter(choices=CertificationStatus.choices, label=_("Status"))
    year = YearFilter(field_name="created_at", lookup_expr="year", label=_("Year applied"))
    enterprise = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(kind=OrganizationKind.ENTERPRISE, is_active=True),
        label=_("Enterprise"),
    )
    valid_on = django_filters.DateFilter(
        method="filter_valid_on", label=_("Certificate in force on"), widget=DATE_INPUT
    )

    class Meta:
        model = CertificationApplication
        fields = ["q", "status", "year", "enterprise", "valid_on", "updated_after"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(number__icontains=value))

    def filter_valid_on(self, queryset, name, value):
        return queryset.valid_on(value)
