from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from portal.models import Notification


@shared_task
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email each notification not emailed yet; returns how many were sent."""
    sent = 0
    pending = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient")
    for notification in pending:
        if not notification.recipient.email:
            continue
        link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
        send_mail(
            subject=notification.title,
            message=f"{notification.body}{link}",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


@shared_task
def run_daily_jobs() -> dict:
    """Nightly: activate, expire and remind (each app's ``daily_job``s)."""
    from portal import daily

    return daily.run_daily_jobs()
