"""The daily jobs registry: each app registers the work it needs done once a day.

Celery beat runs ``portal.tasks.run_daily_jobs`` every night; ``manage.py
run_daily_jobs`` does the same work without beat. Every job is safe to run twice.
"""

from collections.abc import Callable
from datetime import date

from django.utils import timezone

_jobs: list[Callable[[date], dict]] = []


def daily_job(function: Callable[[date], dict]) -> Callable[[date], dict]:
    _jobs.append(function)
    return function


def run_daily_jobs(today: date | None = None) -> dict[str, dict]:
    """Run every registered job for ``today``; returns what each one reported."""
    today = today or timezone.localdate()
    return {f"{job.__module__}.{job.__name__}": job(today) for job in _jobs}
