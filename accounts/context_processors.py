from .models import Membership
from .views import current_organization


def organizations(request) -> dict:
    """The header's organization switcher: the user's organizations and the one they
    act for."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = list(
        Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
        .select_related("organization")
        .order_by("organization__name")
    )
    return {
        "shell_memberships": memberships,
        "current_organization": current_organization(request, memberships),
    }
