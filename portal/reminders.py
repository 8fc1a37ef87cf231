"""Reminders that go out once: the key of each is recorded with the notification, in one
transaction, so a job run twice (or by two workers at once) sends nothing twice."""

from collections.abc import Callable

from django.db import IntegrityError, transaction

from portal.models import SentReminder


def send_once(key: str, send: Callable[[], object]) -> bool:
    """Call ``send`` unless a reminder with this key went out before; True if it ran."""
    if SentReminder.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            SentReminder.objects.create(key=key)
            send()
    except IntegrityError:  # another run recorded the same key a moment ago
        return False
    return True
