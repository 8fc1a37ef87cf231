from portal import navigation
from portal.models import Notification


def shell(request) -> dict:
    """What the page shell (header and navigation) needs on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from accounts.models import Membership
    from accounts.views import current_organization

    memberships = list(
        Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
        .select_related("organization")
        .order_by("organization__name")
    )
    return {
        "nav_entries": navigation.entries_for(user),
        "shell_memberships": memberships,
        "current_organization": current_organization(request, memberships),
        "unread_notifications": Notification.objects.filter(recipient=user).unread().count(),
    }
