import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.filters import PortalFilterSet

from .models import Articles


class ArticlesFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)

    class Meta:
        model = Articles
        fields = ["q", "updated_after"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(title__icontains=value)
            | Q(organization__name__icontains=value)
            | Q(partnership__name__icontains=value)
        )
