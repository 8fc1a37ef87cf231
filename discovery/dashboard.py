"""What finding partners puts on the home page: suggestions of open needs and offers.

For a college's members, open offers whose specialties match the specialties the
college teaches (its public profile); for an enterprise's members, open needs in its
industry or its region. At most SHOWN, most recent first, each with the reason it is
suggested. Two queries: the user's organizations, then the needs and offers."""

from __future__ import annotations

from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Organization
from portal import access, cooperation, dashboard
from portal.roles import OrganizationKind

from .models import CooperationNeed, NeedDirection, NeedStatus, specialty_terms

SHOWN = 5
# A profile listing more specialties than this is matched on its first ones only.
MAX_TERMS = 30


def _any(field_lookups: list[str], terms: list[str]) -> Q:
    return reduce(or_, (Q(**{lookup: term}) for term in terms for lookup in field_lookups), Q())


def _first_match(terms: list[str], *texts: str) -> str | None:
    haystack = " ".join(texts).casefold()
    return next((term for term in terms if term.casefold() in haystack), None)


@dashboard.suggestions
def partner_suggestions(user) -> list[dashboard.Suggestion]:
    kinds = {OrganizationKind.COLLEGE, OrganizationKind.ENTERPRISE}
    mine = access.organization_ids(user, kinds=kinds)
    if not mine:
        return []
    specialties: list[str] = []
    industries: list[str] = []
    regions: list[str] = []
    for organization in Organization.objects.filter(pk__in=mine).only(
        "kind", "region", "industry", "specialties"
    ):
        if organization.kind == OrganizationKind.COLLEGE:
            specialties += specialty_terms(organization.specialties)
        else:
            industries += [organization.industry.strip()] if organization.industry.strip() else []
            regions += [organization.region.strip()] if organization.region.strip() else []
    specialties = specialties[:MAX_TERMS]
    condition = Q(pk__in=[])
    if specialties:
        condition |= Q(direction=NeedDirection.OFFER) & _any(
            ["specialties__icontains"], specialties
        )
    if industries or regions:
        condition |= Q(direction=NeedDirection.NEED) & (
            _any(["specialties__icontains", "title__icontains"], industries)
            | _any(["region__iexact"], regions)
        )
    if not (specialties or industries or regions):
        return []
    found = (
        CooperationNeed.objects.visible_to(user)
        .open()
        .exclude(owner_id__in=list(access.organization_ids(user)))
        .filter(condition)
        .select_related("owner")
        .order_by("-opened_at", "-pk")[:SHOWN]
    )
    items = []
    for need in found:
        if need.direction == NeedDirection.OFFER:
            term = _first_match(specialties, need.specialties)
            reason = _("Matches your specialty %(name)s") % {"name": term or need.specialties}
        elif term := _first_match(industries, need.specialties, need.title):
            reason = _("Matches your industry %(name)s") % {"name": term}
        else:
            region = next((r for r in regions if r.casefold() == need.region.casefold()), None)
            reason = _("In your region %(name)s") % {"name": region or need.region}
        items.append(
            dashboard.Suggestion(
                label=_("%(organization)s · %(direction)s: %(title)s")
                % {
                    "organization": need.owner.name,
                    "direction": need.get_direction_display(),
                    "title": need.title,
                },
                url=need.get_absolute_url(),
                reason=reason,
            )
        )
    return items


def owners_with_open_needs(user):
    """The organizations with an open need or offer the user may see (the directory's
    "has open needs" filter)."""
    return CooperationNeed.objects.visible_to(user).open().values("owner_id")


cooperation.register_open_needs_source(owners_with_open_needs)


@cooperation.figure
def open_needs_figure(user, organization) -> cooperation.CooperationFigure:
    """The organization's open needs and offers the viewer may see, on its profile."""
    count = CooperationNeed.objects.visible_to(user).open().filter(owner=organization).count()
    query = urlencode({"owner": organization.pk, "status": NeedStatus.OPEN})
    return cooperation.CooperationFigure(
        _("Open needs and offers"), count, f"{reverse('cooperation-need-list')}?{query}"
    )
