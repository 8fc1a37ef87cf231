"""What accounts puts on the home page."""

from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import access, dashboard
from portal.roles import Role

from .models import Invitation, Membership, Organization, OrganizationKind


@dashboard.waiting_on
def expiring_invitations(user) -> list[dashboard.WaitingItem]:
    """Invitations my organizations sent that run out within two days, unanswered."""
    admin_of = access.organization_ids(user, {Role.ADMIN})
    if not admin_of:
        return []
    soon = timezone.now() + timedelta(days=2)
    rows = (
        Invitation.objects.pending()
        .filter(organization_id__in=admin_of, expires_at__lte=soon)
        .select_related("organization")
    )
    return [
        dashboard.WaitingItem(
            label=_("Invitation to %(email)s expires soon") % {"email": row.email},
            url=reverse("organization-detail", args=[row.organization_id]) + "?tab=members",
            category=_("Members"),
            due=timezone.localdate(row.expires_at),
        )
        for row in rows
    ]


@dashboard.figures
def organization_figures(user) -> list[dashboard.Figure]:
    figures = []
    my_ids = access.organization_ids(user)
    if my_ids:
        figures.append(
            dashboard.Figure(
                label=_("People in my organizations"),
                value=Membership.objects.filter(organization_id__in=my_ids, is_active=True)
                .values("user_id")
                .distinct()
                .count(),
            )
        )
    if access.sees_everything(user):
        figures.append(
            dashboard.Figure(
                label=_("Registered organizations"),
                value=Organization.objects.filter(is_active=True).count(),
                url=reverse("organization-list"),
            )
        )
    return figures


@dashboard.charts
def organizations_by_kind(user) -> list[dashboard.Chart]:
    if not access.sees_everything(user):
        return []
    counts = dict(
        Organization.objects.filter(is_active=True).values_list("kind").annotate(total=Count("pk"))
    )
    return [
        dashboard.Chart(
            key="organizations-by-kind",
            title=_("Organizations by kind"),
            kind="doughnut",
            labels=[str(label) for value, label in OrganizationKind.choices],
            values=[counts.get(value, 0) for value, label in OrganizationKind.choices],
        )
    ]


@dashboard.first_steps
def account_first_steps(user) -> list[dashboard.FirstStep]:
    steps = []
    admin_of = sorted(access.organization_ids(user, {Role.ADMIN}))
    if admin_of and Membership.objects.filter(organization_id__in=admin_of).count() <= len(
        admin_of
    ):
        steps.append(
            dashboard.FirstStep(
                label=_("Invite your colleagues to your organization"),
                url=reverse("organization-detail", args=[admin_of[0]]) + "?tab=members",
            )
        )
    # A campus system (student records, HR) syncs through the API with a token: a step
    # for the admins of colleges and enterprises, not for associations or government.
    system_owners = access.organization_ids(
        user, {Role.ADMIN}, kinds={OrganizationKind.COLLEGE, OrganizationKind.ENTERPRISE}
    )
    if system_owners and not user.api_tokens.exists():
        steps.append(
            dashboard.FirstStep(
                label=_("Connect a campus system: create an API token"), url=reverse("profile")
            )
        )
    return steps
