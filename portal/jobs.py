"""The portal's own part of the daily run (see ``portal.daily``)."""

from portal.daily import daily_job
from portal.tasks import send_pending_notification_emails


@daily_job
def pending_emails_daily(today) -> dict:
    """Where no beat runs the retry task every few minutes, the daily run retries too."""
    return {"sent": send_pending_notification_emails()}
