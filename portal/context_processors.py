from portal import navigation
from portal.models import Notification


def shell(request) -> dict:
    """What the page shell (navigation, the bell) needs on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_entries": navigation.entries_for(user),
        "unread_notifications": Notification.objects.filter(recipient=user).unread().count(),
    }
