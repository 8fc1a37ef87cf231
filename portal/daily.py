"""The daily jobs registry: each app registers the work it needs done once a day.

Celery beat runs ``portal.tasks.run_daily_jobs`` every night; ``manage.py
run_daily_jobs`` does the same work without beat. Every job is safe to run twice, one
failing job or record never stops the others (it is logged and counted), and two runs
started at once do not overlap: the second sees the first holding the lock and stops.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)

_jobs: list[Callable[[date], dict]] = []

# The PostgreSQL advisory lock that one run holds (any fixed number, ours alone).
RUN_LOCK_KEY = 7_310_442_001


def daily_job(function: Callable[[date], dict]) -> Callable[[date], dict]:
    _jobs.append(function)
    return function


@contextmanager
def one_record(report: dict, record: object) -> Iterator[None]:
    """Run one record's step of a job; if it fails, log it, count it in
    ``report["failed"]`` and go on with the next record (each step is its own
    transaction, so nothing of it is half-written)."""
    try:
        yield
    except Exception:
        logger.exception("Daily job step failed for %s %s", type(record).__name__, record.pk)
        report["failed"] = report.get("failed", 0) + 1


@contextmanager
def _single_run() -> Iterator[bool]:
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK_KEY])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK_KEY])


def run_daily_jobs(today: date | None = None) -> dict[str, dict]:
    """Run every registered job for ``today``; returns what each one reported (a job
    that failed as a whole reports ``{"error": ...}``)."""
    today = today or timezone.localdate()
    reports: dict[str, dict] = {}
    with _single_run() as acquired:
        if not acquired:
            logger.warning("Daily jobs are already running elsewhere; this run does nothing.")
            return {"skipped": {"reason": "another run is in progress"}}
        for job in _jobs:
            name = f"{job.__module__}.{job.__name__}"
            try:
                reports[name] = job(today)
            except Exception as error:
                logger.exception("Daily job %s failed", name)
                reports[name] = {"error": error.__class__.__name__}
    return reports
