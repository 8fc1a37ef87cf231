"""``{% certified_badge organization %}``: the badge "产教融合型企业 / Industry–education
integration enterprise" beside an enterprise whose certificate is in force today. Other
apps show it by loading this library in their templates, so none of them imports
associations.

One query for one organization (a detail page). A list marks its page of organizations
once with ``{% mark_certified organizations %}`` before the rows are drawn: one query
for the page, and each row's badge reads the mark."""

from django import template
from django.utils import timezone

from ..models import CertificationApplication

register = template.Library()

# Where the mark is kept on an organization: the day its certificate runs until, or None.
MARK = "_certified_until"


def _certificates_in_force(organization_ids) -> dict[int, object]:
    """{organization id: valid until} of those certified today. One query."""
    return dict(
        CertificationApplication.objects.valid_on(timezone.localdate())
        .filter(enterprise_id__in=list(organization_ids))
        .values_list("enterprise_id", "valid_until")
    )


@register.simple_tag
def mark_certified(organizations) -> str:
    """Mark each organization of a page with its certificate in force, if any."""
    organizations = [organization for organization in organizations if organization is not None]
    found = _certificates_in_force(organization.pk for organization in organizations)
    for organization in organizations:
        setattr(organization, MARK, found.get(organization.pk))
    return ""


def certified_until(organization):
    """The last day of the organization's certificate in force today, or None."""
    if organization is None:
        return None
    if not hasattr(organization, MARK):
        mark_certified([organization])
    return getattr(organization, MARK)


@register.inclusion_tag("associations/certified_badge.html")
def certified_badge(organization, size: str = ""):
    return {"until": certified_until(organization), "size": size}
