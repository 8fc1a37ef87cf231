from portal.daily import daily_job

from . import services


@daily_job
def agreements_daily(today):
    """Activate, expire and remind (see services.agreements_daily); run nightly by
    ``portal.tasks.run_daily_jobs``."""
    return services.agreements_daily(today)
