"""What the associations put on the home page, one section per part. Each list is one
query, capped at SHOWN, however many records there are."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import access, cooperation, dashboard
from portal.roles import WRITE_ROLES, OrganizationKind, Role

from .models import (
    GRACE_DAYS,
    Assessment,
    AssessmentStatus,
    AssociationMembership,
    CertificationApplication,
    CertificationStatus,
    Deliverable,
    Entrustment,
    EntrustmentStatus,
    MembershipType,
    ReportStatus,
    TalentDemandReport,
)
from .services import certifications as certification_rules
from .services.memberships import kept_associations

SHOWN = 20

# --- memberships ----------------------------------------------------------------------

RENEW_WITHIN_DAYS = 30


@dashboard.waiting_on
def memberships_to_renew(user) -> list[dashboard.WaitingItem]:
    """For the association's admins and staff: its memberships ending within 30 days or
    in their grace period, not followed by another membership of the same member,
    soonest first. One query."""
    associations = kept_associations(user)
    if not associations:
        return []
    today = timezone.localdate()
    memberships = (
        AssociationMembership.objects.filter(
            association_id__in=associations,
            end_date__gte=today - timedelta(days=GRACE_DAYS),
            end_date__lte=today + timedelta(days=RENEW_WITHIN_DAYS),
        )
        .without_successor()
        .select_related("member")
        .order_by("end_date", "pk")[:SHOWN]
    )
    items = []
    for membership in memberships:
        if membership.end_date < today:
            label = _("Renew %(member)s's membership %(number)s: in grace until %(grace)s")
        else:
            label = _("Renew %(member)s's membership %(number)s: ends on %(end)s")
        items.append(
            dashboard.WaitingItem(
                label=label
                % {
                    "member": membership.member.name,
                    "number": membership.number,
                    "end": membership.end_date.isoformat(),
                    "grace": membership.grace_ends.isoformat(),
                },
                url=membership.get_absolute_url(),
                category=_("Memberships to renew"),
                due=membership.grace_ends if membership.end_date < today else membership.end_date,
            )
        )
    return items


# An association's page lists this many of its memberships; the list holds the rest.
COOPERATION_SHOWN = 50


@cooperation.section
def memberships_section(user, organization) -> cooperation.CooperationSection:
    """The associations the organization belongs to, or for an association its
    members, as far as the user sees them. One query."""
    rows = (
        AssociationMembership.objects.visible_to(user)
        .filter(Q(member=organization) | Q(association=organization))
        .select_related("association", "member", "membership_type")
        .order_by("-end_date", "pk")[:COOPERATION_SHOWN]
    )
    is_association = organization.kind == OrganizationKind.ASSOCIATION
    return cooperation.CooperationSection(
        title=_("Association members") if is_association else _("Association memberships"),
        rows=[
            cooperation.CooperationRow(
                label=(m.member.name if is_association else m.association.name),
                url=m.get_absolute_url(),
                status=m.get_status_display(),
                detail=f"{m.number} · {m.membership_type.name} · "
                f"{m.start_date:%Y-%m-%d} – {m.end_date:%Y-%m-%d}",
            )
            for m in rows
        ],
        empty_text=_("No members yet.") if is_association else _("Not a member of an association."),
    )


# --- talent-demand reports ------------------------------------------------------------

# A college's home page lists the newest REPORTS_SHOWN reports published in the last
# NEW_REPORT_DAYS; the list page holds every one.
NEW_REPORT_DAYS = 60
REPORTS_SHOWN = 5


@dashboard.waiting_on
def talent_demand_reports_published(user) -> list[dashboard.WaitingItem]:
    """For the members of a college (any role): the talent-demand reports industry
    associations published lately, to plan its specialties and enrolment on. One
    query."""
    if not access.organization_ids(user, kinds={OrganizationKind.COLLEGE}):
        return []
    since = timezone.now() - timedelta(days=NEW_REPORT_DAYS)
    reports = (
        TalentDemandReport.objects.visible_to(user)
        .filter(status=ReportStatus.PUBLISHED, published_at__gte=since)
        .select_related("association")
        .order_by("-published_at", "-pk")[:REPORTS_SHOWN]
    )
    return [
        dashboard.WaitingItem(
            label=_("%(association)s: %(title)s (%(industry)s, %(region)s, %(years)s)")
            % {
                "association": report.association.name,
                "title": report.title,
                "industry": report.industry,
                "region": report.region,
                "years": report.years_label,
            },
            url=report.get_absolute_url(),
            category=_("New talent-demand reports"),
        )
        for report in reports
    ]


# --- entrustments ---------------------------------------------------------------------

DELIVERABLES_AHEAD_DAYS = 14


def _entrustment_item(entrustment, label, category, due=None) -> dashboard.WaitingItem:
    return dashboard.WaitingItem(
        label=label % {"title": entrustment.title, "association": entrustment.association.name},
        url=entrustment.get_absolute_url(),
        category=category,
        due=due,
    )


@dashboard.waiting_on
def entrustments_to_accept(user) -> list[dashboard.WaitingItem]:
    """Proposals to the user's associations, for their admins. One query."""
    admin_of = access.organization_ids(user, {Role.ADMIN}, kinds={OrganizationKind.ASSOCIATION})
    if not admin_of:
        return []
    proposals = (
        Entrustment.objects.filter(association_id__in=admin_of, status=EntrustmentStatus.PROPOSED)
        .select_related("association")
        .order_by("start_date", "pk")[:SHOWN]
    )
    return [
        _entrustment_item(
            entrustment,
            _("Accept or decline “%(title)s”"),
            _("Entrustments to accept"),
            entrustment.start_date,
        )
        for entrustment in proposals
    ]


@dashboard.waiting_on
def deliverables_due(user) -> list[dashboard.WaitingItem]:
    """Deliverables of the user's associations' work under way, due within two weeks
    or overdue, for their admins and staff. One query."""
    kept = access.organization_ids(user, WRITE_ROLES, kinds={OrganizationKind.ASSOCIATION})
    if not kept:
        return []
    today = timezone.localdate()
    rows = (
        Deliverable.objects.filter(
            entrustment__association_id__in=kept,
            entrustment__status__in=(EntrustmentStatus.ACCEPTED, EntrustmentStatus.RETURNED),
            due_date__lte=today + timedelta(days=DELIVERABLES_AHEAD_DAYS),
        )
        .select_related("entrustment__association")
        .order_by("due_date", "pk")[:SHOWN]
    )
    return [
        dashboard.WaitingItem(
            label=_("Deliver “%(title)s” (%(entrustment)s)")
            % {"title": row.title, "entrustment": row.entrustment.title},
            url=row.get_absolute_url(),
            category=_("Deliverables due"),
            due=row.due_date,
        )
        for row in rows
    ]


@dashboard.waiting_on
def deliveries_to_review(user) -> list[dashboard.WaitingItem]:
    """Work delivered to the user's departments, for their admins and staff to approve
    or return. One query."""
    departments = access.organization_ids(user, WRITE_ROLES, kinds={OrganizationKind.GOVERNMENT})
    if not departments:
        return []
    delivered = (
        Entrustment.objects.filter(
            department_id__in=departments, status=EntrustmentStatus.DELIVERED
        )
        .select_related("association")
        .order_by("delivered_at", "pk")[:SHOWN]
    )
    return [
        _entrustment_item(
            entrustment,
            _("Review the work delivered for “%(title)s” by %(association)s"),
            _("Deliveries to review"),
        )
        for entrustment in delivered
    ]


# --- assessments ----------------------------------------------------------------------

# The assessed organization is asked to answer an assessment published in the last
# RESPOND_WITHIN_DAYS days that it has not answered yet.
RESPOND_WITHIN_DAYS = 30


@dashboard.waiting_on
def assessments_to_publish(user) -> list[dashboard.WaitingItem]:
    """For the assessor's admins and staff: its drafts, to score and publish, oldest
    first. One query."""
    assessors = access.organization_ids(
        user, WRITE_ROLES, kinds={OrganizationKind.ASSOCIATION, OrganizationKind.GOVERNMENT}
    )
    if not assessors:
        return []
    drafts = (
        Assessment.objects.filter(assessor_id__in=assessors, status=AssessmentStatus.DRAFT)
        .select_related("organization")
        .order_by("created_at", "pk")[:SHOWN]
    )
    return [
        dashboard.WaitingItem(
            label=_("Score and publish the assessment of %(organization)s: %(title)s")
            % {"organization": assessment.organization.name, "title": assessment.title},
            url=assessment.get_absolute_url(),
            category=_("Assessments to publish"),
        )
        for assessment in drafts
    ]


@dashboard.waiting_on
def assessments_to_answer(user) -> list[dashboard.WaitingItem]:
    """For the assessed organization's admins and staff: assessments of it published in
    the last 30 days and not answered yet, newest first. One query."""
    assessed = access.organization_ids(
        user, WRITE_ROLES, kinds={OrganizationKind.COLLEGE, OrganizationKind.ENTERPRISE}
    )
    if not assessed:
        return []
    since = timezone.now() - timedelta(days=RESPOND_WITHIN_DAYS)
    published = (
        Assessment.objects.filter(
            organization_id__in=assessed,
            status=AssessmentStatus.PUBLISHED,
            published_at__gte=since,
            response__isnull=True,
        )
        .select_related("assessor")
        .order_by("-published_at", "-pk")[:SHOWN]
    )
    return [
        dashboard.WaitingItem(
            label=_("%(assessor)s assessed you: %(title)s, %(score)s of 100")
            % {
                "assessor": assessment.assessor.name,
                "title": assessment.title,
                "score": assessment.score,
            },
            url=assessment.get_absolute_url(),
            category=_("New assessments to answer"),
            due=timezone.localdate(assessment.published_at) + timedelta(days=RESPOND_WITHIN_DAYS),
        )
        for assessment in published
    ]


# --- certifications -------------------------------------------------------------------

# An enterprise sees its certificate on its home page this many days before it ends.
CERTIFICATE_ENDING_DAYS = 60


def _application_label(application: CertificationApplication) -> dict:
    return {"number": application.number, "enterprise": application.enterprise.name}


@dashboard.waiting_on
def certifications_to_review(user) -> list[dashboard.WaitingItem]:
    """For government admins and staff: submitted applications whose review is to
    start, oldest first. One query."""
    if not access.acts_for_government(user):
        return []
    submitted = (
        CertificationApplication.objects.filter(status=CertificationStatus.SUBMITTED)
        .select_related("enterprise")
        .order_by("submitted_at", "pk")[:SHOWN]
    )
    return [
        dashboard.WaitingItem(
            label=_("Start the review of %(number)s, %(enterprise)s's certification")
            % _application_label(application),
            url=application.get_absolute_url(),
            category=_("Certifications to review"),
        )
        for application in submitted
    ]


@dashboard.waiting_on
def certifications_to_decide(user) -> list[dashboard.WaitingItem]:
    """For government admins: applications under review with a published assessment,
    to certify or refuse, longest waiting first. One query."""
    if not certification_rules.decides(user):
        return []
    assessed = Assessment.objects.filter(
        certification_id=OuterRef("pk"), status=AssessmentStatus.PUBLISHED
    )
    ready = (
        CertificationApplication.objects.filter(status=CertificationStatus.UNDER_REVIEW)
        .filter(Exists(assessed))
        .select_related("enterprise")
        .order_by("review_started_at", "pk")[:SHOWN]
    )
    return [
        dashboard.WaitingItem(
            label=_("Decide on %(number)s, %(enterprise)s's certification: assessed")
            % _application_label(application),
            url=application.get_absolute_url(),
            category=_("Certifications to decide"),
        )
        for application in ready
    ]


@dashboard.waiting_on
def certification_drafts_to_submit(user) -> list[dashboard.WaitingItem]:
    """For an enterprise's admins and staff: its draft application, to submit. One
    query."""
    enterprises = certification_rules.drafting_enterprises(user)
    if not enterprises:
        return []
    drafts = (
        CertificationApplication.objects.filter(
            enterprise_id__in=enterprises, status=CertificationStatus.DRAFT
        )
        .select_related("enterprise")
        .order_by("created_at", "pk")[:SHOWN]
    )
    return [
        dashboard.WaitingItem(
            label=_("Submit %(number)s, %(enterprise)s's certification application")
            % _application_label(application),
            url=application.get_absolute_url(),
            category=_("Certification applications to submit"),
        )
        for application in drafts
    ]


@dashboard.waiting_on
def certificates_ending(user) -> list[dashboard.WaitingItem]:
    """For an enterprise's admins and staff: its certificate ending within 60 days, to
    apply anew. One query."""
    enterprises = certification_rules.drafting_enterprises(user)
    if not enterprises:
        return []
    today = timezone.localdate()
    ending = (
        CertificationApplication.objects.filter(
            enterprise_id__in=enterprises,
            status=CertificationStatus.CERTIFIED,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=CERTIFICATE_ENDING_DAYS),
        )
        .select_related("enterprise")
        .order_by("valid_until", "pk")[:SHOWN]
    )
    return [
        dashboard.WaitingItem(
            label=_("Certificate %(number)s of %(enterprise)s ends on %(end)s")
            % {**_application_label(application), "end": application.valid_until.isoformat()},
            url=application.get_absolute_url(),
            category=_("Certificates ending"),
            due=application.valid_until,
        )
        for application in ending
    ]


# --- getting started ------------------------------------------------------------------


@dashboard.first_steps
def association_first_steps(user) -> list[dashboard.FirstStep]:
    """What an association's, a department's or an enterprise's people could do first
    here: each step only for those who can take it, until it is taken."""
    steps = []
    associations = kept_associations(user)
    if associations:
        if not MembershipType.objects.filter(association_id__in=associations).exists():
            steps.append(
                dashboard.FirstStep(
                    label=_("Offer a membership type, so that organizations can join"),
                    url=reverse("membership-type-create"),
                )
            )
        if not TalentDemandReport.objects.filter(association_id__in=associations).exists():
            steps.append(
                dashboard.FirstStep(
                    label=_("Draft your industry's talent-demand report"),
                    url=reverse("talent-demand-report-create"),
                )
            )
    departments = access.organization_ids(user, WRITE_ROLES, kinds={OrganizationKind.GOVERNMENT})
    if departments and not Entrustment.objects.filter(department_id__in=departments).exists():
        steps.append(
            dashboard.FirstStep(
                label=_("Entrust work to an industry association"),
                url=reverse("entrustment-create"),
            )
        )
    enterprises = certification_rules.drafting_enterprises(user)
    if (
        enterprises
        and not CertificationApplication.objects.filter(enterprise_id__in=enterprises).exists()
    ):
        steps.append(
            dashboard.FirstStep(
                label=_("Apply to be certified as an industry–education integration enterprise"),
                url=reverse("certification-create"),
            )
        )
    return steps
