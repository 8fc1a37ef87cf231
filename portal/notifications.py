"""The notify service: an in-app notification per recipient, emailed after commit.

Notifications are the outbox of the emails: each row is written in the transaction of
the change it tells of, with ``email_pending`` set, and delivered once that commits.
Delivery can fail (no broker, no mail server) without the request noticing: the row
stays pending and ``portal.tasks.send_pending_notification_emails`` retries it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise, lazy

from portal.models import Notification

logger = logging.getLogger(__name__)

# Set while the demo data is loaded: its notifications are recorded but never emailed.
_emails_off: ContextVar[bool] = ContextVar("notification_emails_off", default=False)


@contextmanager
def without_emails() -> Iterator[None]:
    """Notifications recorded inside are kept in the bell but not emailed (``seed_demo``:
    made-up events told to made-up addresses)."""
    token = _emails_off.set(True)
    try:
        yield
    finally:
        _emails_off.reset(token)


def rendered_later(render: Callable[[], str]) -> Promise:
    """A text made when each recipient's copy is, in their language: for a message with
    ``%``-placeholders, ``rendered_later(lambda: _("For %(n)d.") % {"n": n})``.

    A ``gettext`` evaluated at once would be in the language of whoever caused the
    notification; ``format_lazy(gettext_lazy(...))`` does the same for ``{}``-messages.
    """
    return lazy(render, str)()


def notify(*, recipients: Iterable, title, body="", url: str = "", email: bool = True) -> list:
    """Record a notification for each active recipient, and its email to send.

    ``title`` and ``body`` may be lazy translations (``format_lazy``): each is rendered
    in the recipient's own language (their profile's), as is anything lazy inside them,
    such as a status's label (``Status(value).label``, never ``get_status_display()``,
    which is already in the sender's language) or an amount (``portal.money``).
    """
    email = email and not _emails_off.get()
    notifications = []
    seen = set()
    for user in recipients:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        with translation.override(user.language or "en"):
            notifications.append(
                Notification(
                    recipient=user,
                    title=str(title)[:255],
                    body=str(body),
                    url=url,
                    email_pending=email and bool(user.email),
                )
            )
    created = Notification.objects.bulk_create(notifications)
    ids = [n.pk for n in created if n.email_pending]
    if ids:
        transaction.on_commit(lambda: enqueue_emails(ids))
    return created


def enqueue_emails(notification_ids: list[int]) -> None:
    """Hand the emails to the task queue (or send them in-process without a broker).

    Runs after the commit: whatever fails here is logged and left for the retry task,
    since the change it tells of is already done.
    """
    from portal.tasks import send_notification_emails

    try:
        send_notification_emails.delay(notification_ids)
    except Exception:
        logger.warning(
            "Could not enqueue %d notification email(s); they stay pending for the retry task.",
            len(notification_ids),
            exc_info=True,
        )
