"""The nominations list's filters for the API: the pages' ``NominationFilterSet``, plus
what a campus system syncing nominations asks for (several statuses at once, one
student, one host). Ids are checked to lie in the database's range and dates in the
portal's, so a wild value is a 400 next to its parameter, never a database error."""

import django_filters
from django.utils.translation import gettext_lazy as _

from internships.filters import NominationFilterSet
from internships.models import NominationStatus
from portal.dates import validate_portal_date
from portal.filters import IdFilter


class NominationApiFilterSet(NominationFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=NominationStatus.choices, label=_("Status (repeat for several)")
    )
    student = IdFilter(field_name="student_id", label=_("Student (id)"))
    host = IdFilter(field_name="placement__host_id", label=_("Host enterprise (id)"))
    starts_after = django_filters.DateFilter(
        field_name="placement__start_date",
        lookup_expr="gte",
        validators=[validate_portal_date],
        label=_("Placement starts on or after"),
    )
    starts_before = django_filters.DateFilter(
        field_name="placement__start_date",
        lookup_expr="lte",
        validators=[validate_portal_date],
        label=_("Placement starts on or before"),
    )

    class Meta(NominationFilterSet.Meta):
        fields = [*NominationFilterSet.Meta.fields, "student", "host"]
