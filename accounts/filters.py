import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import access, cooperation
from portal.filters import IdFilter, PortalFilterSet, YesNoFilter

from .models import IndustrySection, Membership, Organization, OrganizationKind, Role, SizeBand


class PartnerFilter(django_filters.ChoiceFilter):
    """Partner of ours: shares a signed or active agreement with one of the requesting
    user's organizations (those themselves are neither)."""

    PARTNER = "yes"
    NOT_YET = "no"

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "choices",
            [(self.PARTNER, _("Partner of ours")), (self.NOT_YET, _("Not yet a partner"))],
        )
        kwargs.setdefault("method", self.filter_partner)
        super().__init__(**kwargs)

    def filter_partner(self, queryset, name, value):
        request = self.parent.request
        own = access.organization_ids(getattr(request, "user", None))
        partners = cooperation.partner_ids(own) if own else None
        if value == self.PARTNER:
            if partners is None:
                return queryset.none()
            return queryset.filter(pk__in=partners).exclude(pk__in=own)
        if partners is None:
            return queryset.exclude(pk__in=own)
        return queryset.exclude(pk__in=partners).exclude(pk__in=own)


class OrganizationFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, label=_("Kind"))
    region = django_filters.CharFilter(
        method="filter_region", label=_("Region or city"), max_length=100
    )
    industry_section = django_filters.ChoiceFilter(
        choices=IndustrySection.choices, label=_("Industry section")
    )
    industry = django_filters.CharFilter(
        lookup_expr="icontains", label=_("Industry"), max_length=100
    )
    specialty = django_filters.CharFilter(
        field_name="specialties", lookup_expr="icontains", label=_("Specialty"), max_length=100
    )
    size_band = django_filters.ChoiceFilter(
        choices=SizeBand.choices, label=pgettext_lazy("organization", "Size")
    )
    partner = PartnerFilter(label=_("Partner"))
    has_open_needs = YesNoFilter(method="filter_open_needs", label=_("Has open needs or offers"))
    is_active = YesNoFilter(label=_("Active"))

    class Meta:
        model = Organization
        fields = [
            "q",
            "kind",
            "region",
            "industry_section",
            "industry",
            "specialty",
            "size_band",
            "partner",
            "has_open_needs",
            "is_active",
            "updated_after",
        ]

    def filter_open_needs(self, queryset, name, value):
        owners = cooperation.with_open_needs(getattr(self.request, "user", None))
        if owners is None:
            return queryset.none() if value else queryset
        return queryset.filter(pk__in=owners) if value else queryset.exclude(pk__in=owners)

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(description__icontains=value)
            | Q(credit_code__icontains=value)
        )

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(region__icontains=value) | Q(city__icontains=value))


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
