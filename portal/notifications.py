"""The notify service: an in-app notification per recipient, emailed after commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import translation

from portal.models import Notification


def notify(*, recipients: Iterable, title, body="", url: str = "", email: bool = True) -> list:
    """Record a notification for each active recipient and enqueue its email.

    ``title`` and ``body`` may be lazy translations (``format_lazy``): each is rendered
    in the recipient's own language.
    """
    from portal.tasks import send_notification_emails

    notifications = []
    seen = set()
    for user in recipients:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        with translation.override(user.language or "en"):
            notifications.append(
                Notification(recipient=user, title=str(title)[:255], body=str(body), url=url)
            )
    created = Notification.objects.bulk_create(notifications)
    if email and created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: send_notification_emails.delay(ids))
    return created
