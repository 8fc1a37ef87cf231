import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.filters import IdFilter, PortalFilterSet, YesNoFilter

from .models import Membership, Organization, OrganizationKind, Role


class OrganizationFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, label=_("Kind"))
    region = django_filters.CharFilter(lookup_expr="icontains", label=_("Region"))
    industry = django_filters.CharFilter(lookup_expr="icontains", label=_("Industry"))
    is_active = YesNoFilter(label=_("Active"))

    class Meta:
        model = Organization
        fields = ["q", "kind", "region", "industry", "is_active", "updated_after"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value))


class MembershipFilterSet(PortalFilterSet):
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.all(), label=_("Organization")
    )
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))
    is_active = YesNoFilter(label=_("Active"))
    user = IdFilter(field_name="user_id", label=_("User id"))

    class Meta:
        model = Membership
        fields = ["organization", "role", "is_active", "user", "updated_after"]
