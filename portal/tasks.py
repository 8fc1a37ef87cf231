import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal.models import Notification

logger = logging.getLogger(__name__)

# A pending email is tried this many times (once at once, then by the retry task).
EMAIL_MAX_ATTEMPTS = 8
# The retry task leaves alone what the first delivery may still be sending.
EMAIL_RETRY_AFTER = timedelta(minutes=2)


def _send_one(notification_id: int) -> bool:
    """Email one pending notification; True if it went out.

    The row is claimed with a lock that others skip, so the first delivery and the retry
    task never send the same email twice; a failure is counted and logged, never raised.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, email_pending=True)
            .first()
        )
        if notification is None:
            return False
        link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
        notification.email_attempts += 1
        try:
            send_mail(
                subject=notification.title,
                message=f"{notification.body}{link}",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[notification.recipient.email],
            )
        except Exception:
            gave_up = notification.email_attempts >= EMAIL_MAX_ATTEMPTS
            logger.warning(
                "Email for notification %s failed (attempt %d%s).",
                notification.pk,
                notification.email_attempts,
                ", giving up" if gave_up else "",
                exc_info=True,
            )
            notification.email_pending = not gave_up
            notification.save(update_fields=["email_attempts", "email_pending"])
            return False
        notification.email_pending = False
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["email_attempts", "email_pending", "emailed_at"])
        return True


@shared_task
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email each notification still pending; returns how many were sent."""
    return sum(_send_one(pk) for pk in notification_ids)


@shared_task
def send_pending_notification_emails(limit: int = 500) -> int:
    """Retry the emails that did not go out at once (broker or mail server away)."""
    ids = list(
        Notification.objects.email_pending()
        .filter(created_at__lt=timezone.now() - EMAIL_RETRY_AFTER)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return send_notification_emails(ids)


@shared_task
def run_daily_jobs() -> dict:
    """Nightly: activate, expire and remind (each app's ``daily_job``s)."""
    from portal import daily

    return daily.run_daily_jobs()
