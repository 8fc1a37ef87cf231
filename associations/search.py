"""What the global search finds in the associations, among the records the user sees,
one section per part."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import access, search

from .models import (
    Assessment,
    AssociationMembership,
    CertificationApplication,
    CertificationStatus,
    DemandRow,
    Entrustment,
    ReportStatus,
    TalentDemandReport,
)

# --- memberships ----------------------------------------------------------------------

# By the member's name or the membership number: for the association, the member itself
# and government, as each sees them.
search.register(
    label=_("Association memberships"),
    queryset=lambda user: (
        AssociationMembership.objects.visible_to(user)
        .select_related("association", "member", "membership_type")
        .order_by("member__name", "-start_date", "pk")
    ),
    fields=("member__name", "number"),
    describe=lambda membership: (
        f"{membership.number} · {membership.association.name} · "
        f"{membership.membership_type.name} · {membership.get_status_display()}"
    ),
)


# --- talent-demand reports ------------------------------------------------------------


def demand_reports_for_search(user):
    """Published reports for everyone signed in; drafts only for their association's
    members (government oversight reads those through the list)."""
    return (
        TalentDemandReport.objects.visible_to(user)
        .filter(
            Q(status=ReportStatus.PUBLISHED)
            | Q(association_id__in=list(access.organization_ids(user)))
        )
        .select_related("association")
    )


def demand_reports_matching(text: str) -> Q:
    """By title, industry, or a specialty in the report's rows."""
    specialties = DemandRow.objects.filter(specialty__icontains=text).values("report_id")
    return Q(title__icontains=text) | Q(industry__icontains=text) | Q(pk__in=specialties)


search.register(
    label=_("Talent-demand reports"),
    queryset=demand_reports_for_search,
    condition=demand_reports_matching,
    describe=lambda report: (
        f"{report.association.name} · {report.industry} · {report.region} · "
        f"{report.years_label} · {report.get_status_display()}"
    ),
)


# --- entrustments ---------------------------------------------------------------------

search.register(
    label=_("Entrustments"),
    queryset=lambda user: Entrustment.objects.visible_to(user).select_related(
        "department", "association"
    ),
    fields=("title",),
    describe=lambda entrustment: (
        f"{entrustment.department.name} → {entrustment.association.name} · "
        f"{entrustment.get_status_display()}"
    ),
)


# --- assessments ----------------------------------------------------------------------

# By title, among the assessments the user sees: the assessor's, the assessed
# organization's once published, and government's.
search.register(
    label=_("Assessments"),
    queryset=lambda user: (
        Assessment.objects.visible_to(user)
        .select_related("assessor", "organization")
        .order_by("-published_at", "-pk")
    ),
    fields=("title",),
    describe=lambda assessment: (
        f"{assessment.assessor.name} → {assessment.organization.name} · "
        f"{assessment.get_status_display()}"
        + (f" · {assessment.score}" if assessment.score is not None else "")
    ),
)


# --- certifications -------------------------------------------------------------------


def describe_certification(application: CertificationApplication) -> str:
    text = f"{application.enterprise.name} · {application.get_status_display()}"
    if application.valid_until and application.status == CertificationStatus.CERTIFIED:
        text += f" · {application.valid_from:%Y-%m-%d} – {application.valid_until:%Y-%m-%d}"
    return text


# By the enterprise's name or the number, among the applications the user sees: the
# enterprise's own, government's, and an association's through an entrustment's scope.
search.register(
    label=_("Certification applications"),
    queryset=lambda user: (
        CertificationApplication.objects.visible_to(user)
        .select_related("enterprise")
        .order_by("-created_at", "-pk")
    ),
    fields=("enterprise__name", "number"),
    describe=describe_certification,
)
