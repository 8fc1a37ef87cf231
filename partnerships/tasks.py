from celery import shared_task
from django.utils import timezone

from portal.daily import daily_job

from . import services


@daily_job
def agreements_daily(today):
    """Activate, expire and remind (see services.agreements_daily)."""
    return services.agreements_daily(today)


@shared_task
def run_agreement_jobs() -> dict:
    """The agreements' share of the nightly jobs, on its own (e.g. after an outage)."""
    return services.agreements_daily(timezone.localdate())
