from portal.daily import daily_job

from . import services


@daily_job
def progress_reports_daily(today):
    """Remind awardees of reports due soon or late (each reminder once)."""
    return services.reports_daily(today)


@daily_job
def review_assignments_daily(today):
    """Remind assigned reviewers of reviews due within three days or overdue (each once)."""
    return services.assignments_daily(today)
