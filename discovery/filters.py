"""The FilterSets of the needs-and-offers list and of interests, shared by pages and API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import access
from portal.filters import IdFilter, PortalFilterSet, YesNoFilter

from .models import CooperationNeed, Interest, NeedDirection, NeedKind, NeedStatus


class CooperationNeedFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    direction = django_filters.ChoiceFilter(choices=NeedDirection.choices, label=_("Need or offer"))
    kind = django_filters.ChoiceFilter(choices=NeedKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=NeedStatus.choices, label=_("Status"))
    region = django_filters.CharFilter(lookup_expr="icontains", label=_("Region"), max_length=100)
    specialty = django_filters.CharFilter(
        field_name="specialties", lookup_expr="icontains", label=_("Specialty"), max_length=100
    )
    mine = YesNoFilter(method="filter_mine", label=_("My organization's"))
    owner = IdFilter(field_name="owner_id", label=_("Organization (id)"))

    class Meta:
        model = CooperationNeed
        fields = ["q", "direction", "kind", "status", "region", "specialty", "mine", "owner"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(title__icontains=value)
            | Q(specialties__icontains=value)
            | Q(owner__name__icontains=value)
        )

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        own = Q(owner_id__in=list(access.organization_ids(getattr(self.request, "user", None))))
        return queryset.filter(own) if value else queryset.exclude(own)


class InterestFilterSet(PortalFilterSet):
    need = IdFilter(field_name="need_id", label=_("Need or offer"))
    has_agreement = YesNoFilter(
        field_name="agreement", lookup_expr="isnull", exclude=True, label=_("Led to an agreement")
    )

    class Meta:
        model = Interest
        fields = ["need", "has_agreement"]
