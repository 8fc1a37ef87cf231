"""``{% talent_demand_for organization %}``: the latest published talent-demand reports
for the organization's industry, beside a placement or a partnership. Other apps show
it by loading this library in their templates, so none of them imports associations.

One query, whatever the number of reports: the reports of the organization's industry
come first, and when none is of it the latest ones of any industry are shown."""

from django import template
from django.db.models import Case, ExpressionWrapper, IntegerField, Value, When

from ..models import ReportStatus, TalentDemandReport
from ..services.demand import with_total_people

register = template.Library()

SHOWN = 3


def latest_reports(user, organization) -> tuple[list[TalentDemandReport], bool]:
    """Up to SHOWN published reports and whether they are of the organization's
    industry (its ``industry``, compared without regard to case)."""
    if organization is None or not getattr(user, "is_authenticated", False):
        return [], False
    industry = (organization.industry or "").strip()
    matches = (
        Case(When(industry__iexact=industry, then=Value(1)), default=Value(0))
        if industry
        else Value(0)
    )
    reports = list(
        with_total_people(
            TalentDemandReport.objects.visible_to(user).filter(status=ReportStatus.PUBLISHED)
        )
        .annotate(matches=ExpressionWrapper(matches, output_field=IntegerField()))
        .select_related("association")
        .order_by("-matches", "-published_at", "-pk")[:SHOWN]
    )
    matching = [report for report in reports if report.matches]
    return (matching, True) if matching else (reports, False)


@register.inclusion_tag("associations/talent_demand_box.html", takes_context=True)
def talent_demand_for(context, organization):
    request = context.get("request")
    reports, matching = latest_reports(getattr(request, "user", None), organization)
    return {
        "organization": organization,
        "reports": reports,
        "matching": matching,
        "industry": (getattr(organization, "industry", "") or "").strip(),
    }
