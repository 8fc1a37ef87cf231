import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from portal.filters import IdFilter, PortalFilterSet, YesNoFilter

from .models import (
    InternshipType,
    Nomination,
    NominationStatus,
    Placement,
    PlacementStatus,
    PracticeBase,
    PracticeBaseStatus,
    Secondment,
    Student,
    StudentStatus,
)

DATE_INPUT = {"type": "date"}


def date_filter(field_name: str, lookup: str, label) -> django_filters.DateFilter:
    """A date bound of a list (``gte`` on or after, ``lte`` on or before), as a date
    input on the page."""
    return django_filters.DateFilter(
        field_name=field_name,
        lookup_expr=lookup,
        label=label,
        widget=forms.DateInput(attrs=DATE_INPUT),
    )


class PracticeBaseFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=PracticeBaseStatus.choices, label=_("Status"))
    host = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(is_active=True), label=_("Host")
    )
    college = django_filters.ModelChoiceFilter(
        field_name="colleges__organization",
        queryset=Organization.objects.filter(is_active=True),
        label=_("College"),
        distinct=True,
    )
    specialty = django_filters.CharFilter(
        field_name="specialties", lookup_expr="icontains", label=_("Specialty")
    )

    class Meta:
        model = PracticeBase
        fields = ["q", "status", "host", "college", "specialty", "updated_after"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))


class PlacementFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=PlacementStatus.choices, label=_("Status"))
    internship_type = django_filters.ChoiceFilter(
        choices=InternshipType.choices, label=_("Internship type")
    )
    city = django_filters.CharFilter(lookup_expr="icontains", label=_("City"))
    specialty = django_filters.CharFilter(
        field_name="specialties", lookup_expr="icontains", label=_("Specialty")
    )
    host = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(is_active=True), label=_("Host enterprise")
    )
    practice_base = django_filters.ModelChoiceFilter(
        queryset=PracticeBase.objects.all(), label=_("Practice base")
    )
    starts_after = date_filter("start_date", "gte", _("Starts on or after"))
    starts_before = date_filter("start_date", "lte", _("Starts on or before"))
    ends_after = date_filter("end_date", "gte", _("Ends on or after"))
    ends_before = date_filter("end_date", "lte", _("Ends on or before"))

    class Meta:
        model = Placement
        fields = [
            "q",
            "status",
            "internship_type",
            "city",
            "specialty",
            "host",
            "practice_base",
            "starts_after",
            "starts_before",
            "ends_after",
            "ends_before",
            "updated_after",
        ]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["practice_base"].queryset = PracticeBase.objects.visible_to(request.user)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class StudentFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Name or number starts with"),
    )
    status = django_filters.ChoiceFilter(choices=StudentStatus.choices, label=_("Status"))
    specialty = django_filters.CharFilter(label=_("Specialty"))
    enrolment_year = django_filters.NumberFilter(
        label=_("Enrolment year"), min_value=1990, max_value=2100
    )
    class_name = django_filters.CharFilter(label=_("Class"))
    college = IdFilter(field_name="college_id", label=_("College (id)"))

    class Meta:
        model = Student
        fields = [
            "q",
            "status",
            "specialty",
            "enrolment_year",
            "class_name",
            "college",
            "updated_after",
        ]

    def filter_q(self, queryset, name, value):
        # A prefix match, which the name and number pattern indexes serve; a
        # ``%contains%`` search would read every row of a large college.
        value = value.strip()
        return queryset.filter(Q(student_number__startswith=value) | Q(name__startswith=value))


class SecondmentFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label=_("Teacher or staff number"), max_length=100
    )
    college = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(kind=OrganizationKind.COLLEGE, is_active=True),
        label=_("College"),
    )
    host = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(kind=OrganizationKind.ENTERPRISE, is_active=True),
        label=_("Host enterprise"),
    )
    teacher_number = django_filters.CharFilter(label=_("Staff number"), max_length=30)
    specialty_teacher = YesNoFilter(label=_("Specialty teacher"))
    starts_after = date_filter("start_date", "gte", _("Starts on or after"))
    starts_before = date_filter("start_date", "lte", _("Starts on or before"))
    ends_after = date_filter("end_date", "gte", _("Ends on or after"))
    ends_before = date_filter("end_date", "lte", _("Ends on or before"))

    class Meta:
        model = Secondment
        fields = [
            "q",
            "college",
            "host",
            "teacher_number",
            "specialty_teacher",
            "starts_after",
            "starts_before",
            "ends_after",
            "ends_before",
            "updated_after",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(teacher_number__startswith=value) | Q(teacher_name__icontains=value)
        )


class NominationFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label=_("Student or placement"), max_length=100
    )
    status = django_filters.ChoiceFilter(choices=NominationStatus.choices, label=_("Status"))
    internship_type = django_filters.ChoiceFilter(
        field_name="placement__internship_type",
        choices=InternshipType.choices,
        label=_("Internship type"),
    )
    # By id: the pages link here from a placement (?placement=<id>); a select of every
    # placement the user sees would grow without end. Nominations are already limited
    # to the visible ones, so an unseen id simply finds none.
    placement = IdFilter(field_name="placement_id", label=_("Placement"))
    college = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(kind=OrganizationKind.COLLEGE, is_active=True),
        label=_("College"),
    )
    city = django_filters.CharFilter(
        field_name="placement__city", lookup_expr="icontains", label=_("City"), max_length=100
    )
    starts_after = date_filter("placement__start_date", "gte", _("Starts on or after"))
    starts_before = date_filter("placement__start_date", "lte", _("Starts on or before"))

    class Meta:
        model = Nomination
        fields = [
            "q",
            "status",
            "internship_type",
            "placement",
            "college",
            "city",
            "starts_after",
            "starts_before",
            "updated_after",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(student__name__icontains=value)
            | Q(student__student_number__startswith=value)
            | Q(placement__title__icontains=value)
        )
