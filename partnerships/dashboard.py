"""What partnerships puts on the home page and on an organization's cooperation page."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal import access, cooperation, dashboard
from portal.roles import Role

from .models import (
    BINDING_STATUSES,
    Agreement,
    AgreementParty,
    AgreementStatus,
    Clause,
    ClauseKind,
    ClauseStatus,
    Partnership,
    PartnershipStatus,
)
from .services import DUE_SOON_DAYS


@dashboard.waiting_on
def agreements_to_sign(user) -> list[dashboard.WaitingItem]:
    """Agreements awaiting a signature from an organization the user is admin of."""
    admin_of = access.organization_ids(user, {Role.ADMIN})
    if not admin_of:
        return []
    parties = (
        AgreementParty.objects.filter(
            organization_id__in=admin_of,
            signed_at__isnull=True,
            agreement__status=AgreementStatus.NEGOTIATING,
        )
        .select_related("agreement", "organization")
        .order_by("agreement__effective_date")
    )
    return [
        dashboard.WaitingItem(
            label=_("Sign %(reference)s for %(organization)s: %(title)s")
            % {
                "reference": party.agreement.reference,
                "organization": party.organization.name,
                "title": party.agreement.title,
            },
            url=party.agreement.get_absolute_url(),
            category=_("Agreements to sign"),
            due=party.agreement.effective_date,
        )
        for party in parties
    ]


@dashboard.waiting_on
def responsibilities_due(user) -> list[dashboard.WaitingItem]:
    """My organizations' responsibilities due within a week, or overdue."""
    mine = access.organization_ids(user, access.WRITE_ROLES)
    if not mine:
        return []
    today = timezone.localdate()
    clauses = (
        (Clause.objects.overdue(today) | Clause.objects.due_within(DUE_SOON_DAYS, today))
        .filter(party__organization_id__in=mine)
        .select_related("agreement", "party__organization")
        .order_by("due_date")
    )
    return [
        dashboard.WaitingItem(
            label=(
                _("Overdue: %(category)s under %(reference)s")
                if clause.due_date < today
                else _("Due soon: %(category)s under %(reference)s")
            )
            % {"category": clause.get_category_display(), "reference": clause.agreement.reference},
            url=clause.get_absolute_url(),
            category=_("Responsibilities of %(organization)s")
            % {"organization": clause.party.organization.name},
            due=clause.due_date,
        )
        for clause in clauses
    ]


@dashboard.waiting_on
def fulfilment_to_confirm(user) -> list[dashboard.WaitingItem]:
    """Clauses owed to my organizations whose fulfilment the owing party recorded:
    confirm it, or dispute it."""
    mine = access.organization_ids(user, access.WRITE_ROLES)
    if not mine:
        return []
    owed_to_us = Q(kind=ClauseKind.RESPONSIBILITY) & ~Q(party__organization_id__in=mine) | Q(
        kind=ClauseKind.RIGHT, party__organization_id__in=mine
    )
    clauses = (
        Clause.objects.filter(
            owed_to_us,
            status=ClauseStatus.CLAIMED,
            agreement__status__in=BINDING_STATUSES,
            agreement__in=AgreementParty.objects.filter(organization_id__in=mine).values(
                "agreement_id"
            ),
        )
        .select_related("agreement", "party__organization")
        .order_by("evidence_at", "pk")
    )
    return [
        dashboard.WaitingItem(
            label=_(
                "Confirm or dispute: %(organization)s reports %(category)s under %(reference)s done"
            )
            % {
                "organization": clause.party.organization.name,
                "category": clause.get_category_display(),
                "reference": clause.agreement.reference,
            },
            url=clause.get_absolute_url(),
            category=_("Fulfilment to confirm"),
            due=clause.due_date,
        )
        for clause in clauses
    ]


@dashboard.figures
def obligation_figures(user) -> list[dashboard.Figure]:
    """For those whose organizations owe something now: how much is outstanding."""
    mine = access.organization_ids(user)
    if not mine:
        return []
    outstanding = Clause.objects.obligations(mine).filter(
        status__in=(ClauseStatus.OPEN, ClauseStatus.CLAIMED)
    )
    count = outstanding.count()
    if not count:
        return []
    return [
        dashboard.Figure(
            label=_("Our outstanding obligations"),
            value=count,
            url=f"{reverse('obligation-list')}?status=outstanding",
        )
    ]


@dashboard.figures
def agreement_figures(user) -> list[dashboard.Figure]:
    today = timezone.localdate()
    agreements = Agreement.objects.visible_to(user)
    clauses = Clause.objects.visible_to(user)
    agreement_list = reverse("agreement-list")
    in_30_days = today + timedelta(days=30)
    return [
        dashboard.Figure(
            label=_("Active agreements"),
            value=agreements.filter(status=AgreementStatus.ACTIVE).count(),
            url=f"{agreement_list}?status=active",
        ),
        dashboard.Figure(
            label=_("Expiring within 30 days"),
            value=agreements.filter(
                status__in=BINDING_STATUSES,
                expiry_date__gte=today,
                expiry_date__lte=today + timedelta(days=30),
            ).count(),
            url=f"{agreement_list}?expires_after={today}&expires_before={in_30_days}",
        ),
        dashboard.Figure(
            label=_("Overdue responsibilities"),
            value=clauses.overdue(today).count(),
            url=f"{reverse('clause-list')}?overdue=true",
        ),
    ]


@dashboard.charts
def agreements_by_status(user) -> list[dashboard.Chart]:
    chart = dashboard.status_chart(
        Agreement.objects.visible_to(user),
        AgreementStatus,
        key="agreements-by-status",
        title=_("Agreements by status"),
        series_label=_("Agreements"),
    )
    return [chart] if chart else []


@dashboard.first_steps
def partnership_first_steps(user) -> list[dashboard.FirstStep]:
    if not access.organization_ids(user, access.WRITE_ROLES):
        return []
    if Agreement.objects.visible_to(user).exists():
        return []
    return [
        dashboard.FirstStep(
            label=_("Draft your first cooperation agreement"), url=reverse("agreement-create")
        )
    ]


@cooperation.section
def partnerships_section(user, organization) -> cooperation.CooperationSection:
    rows = (
        Partnership.objects.visible_to(user)
        .filter(members__organization=organization)
        .select_related("lead")
        .distinct()
    )
    return cooperation.CooperationSection(
        title=_("Partnerships"),
        rows=[
            cooperation.CooperationRow(
                label=p.name,
                url=p.get_absolute_url(),
                status=p.get_status_display(),
                detail=f"{p.get_kind_display()} · {p.lead.name}",
            )
            for p in rows
        ],
        empty_text=_("Not a member of any partnership."),
    )


@cooperation.section
def agreements_section(user, organization) -> cooperation.CooperationSection:
    rows = (
        Agreement.objects.visible_to(user)
        .filter(
            pk__in=AgreementParty.objects.filter(organization=organization).values("agreement_id")
        )
        .with_parties()
        .order_by("-effective_date")
    )
    return cooperation.CooperationSection(
        title=_("Agreements"),
        rows=[
            cooperation.CooperationRow(
                label=f"{a.reference} {a.title}",
                url=a.get_absolute_url(),
                status=a.get_status_display(),
                detail=f"{a.effective_date:%Y-%m-%d} – {a.expiry_date:%Y-%m-%d} · {a.party_names}",
            )
            for a in rows
        ],
        empty_text=_("Not a party to any agreement."),
    )


@cooperation.figure
def active_agreements_figure(user, organization) -> cooperation.CooperationFigure:
    count = (
        Agreement.objects.visible_to(user)
        .filter(
            status=AgreementStatus.ACTIVE,
            pk__in=AgreementParty.objects.filter(organization=organization).values("agreement_id"),
        )
        .count()
    )
    query = urlencode({"party": organization.pk, "status": AgreementStatus.ACTIVE})
    return cooperation.CooperationFigure(
        _("Active agreements"), count, f"{reverse('agreement-list')}?{query}"
    )


@cooperation.figure
def active_partnerships_figure(user, organization) -> cooperation.CooperationFigure:
    count = (
        Partnership.objects.visible_to(user)
        .filter(
            status=PartnershipStatus.ACTIVE,
            pk__in=Partnership.objects.filter(members__organization=organization).values("pk"),
        )
        .count()
    )
    query = urlencode({"member": organization.pk, "status": PartnershipStatus.ACTIVE})
    return cooperation.CooperationFigure(
        _("Active partnerships"), count, f"{reverse('partnership-list')}?{query}"
    )


def binding_partner_ids(organization_ids):
    """Every party to a signed or active agreement of one of the organizations."""
    return AgreementParty.objects.filter(
        agreement__status__in=BINDING_STATUSES,
        agreement__parties__organization__in=list(organization_ids),
    ).values("organization_id")


cooperation.register_partner_source(binding_partner_ids)
