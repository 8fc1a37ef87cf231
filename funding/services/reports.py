"""Progress reports: scheduled by the department, written by the awardee, accepted or
returned with comments."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import access
from portal.daily import one_record
from portal.notifications import notify
from portal.reminders import send_once
from portal.workflow import check_transition, lock_row

from ..models import Award, ProgressReport, ReportStatus
from .common import people
from .rules import (
    REPORT_DUE_REMINDER_DAYS,
    REPORT_TRANSITIONS,
    can_edit_application,
    can_manage_program,
)


@transaction.atomic
def report_schedule(
    *, actor, award: Award, due_date: date, period_start: date, period_end: date
) -> ProgressReport:
    """Ask the awardee for a report on a date (the department's admins and staff)."""
    access.require(can_manage_program(actor, award.program))
    report = ProgressReport(
        award=award, due_date=due_date, period_start=period_start, period_end=period_end
    )
    report.full_clean()
    report.save()
    notify(
        recipients=people([award.application.applicant_id]),
        title=format_lazy(
            gettext_lazy("A progress report for {reference} is due on {date}"),
            reference=award.application.reference,
            date=report.due_date.isoformat()
            if hasattr(report.due_date, "isoformat")
            else report.due_date,
        ),
        url=report.get_absolute_url(),
    )
    return report


def _lock(report: ProgressReport) -> ProgressReport:
    """Lock the report row alone; its award, application and program are only read."""
    return lock_row(ProgressReport, report.pk, "award__application", "award__program")


@transaction.atomic
def report_submit(
    *, actor, report: ProgressReport, narrative: str, spent_to_date: Decimal
) -> ProgressReport:
    """Due or returned → submitted, by the awardee."""
    report = _lock(report)
    check_transition(report.status, ReportStatus.SUBMITTED, REPORT_TRANSITIONS, label=_("A report"))
    access.require(can_edit_application(actor, report.award.application))
    errors = {}
    if not (narrative or "").strip():
        errors["narrative"] = _("Say what was done in the period.")
    if spent_to_date is None or Decimal(spent_to_date) < 0:
        errors["spent_to_date"] = _("Give the amount spent to date.")
    elif Decimal(spent_to_date) > report.award.amount:
        errors["spent_to_date"] = _("More than the award (%(amount)s).") % {
            "amount": report.award.amount
        }
    if errors:
        raise ValidationError(errors)
    report.narrative = narrative.strip()
    report.spent_to_date = spent_to_date
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.save()
    notify(
        recipients=people([report.award.program.department_id]),
        title=format_lazy(
            gettext_lazy("Progress report for {reference} to read"),
            reference=report.award.application.reference,
        ),
        url=report.get_absolute_url(),
    )
    return report


def _review(actor, report: ProgressReport, target: str, comment: str) -> ProgressReport:
    report = _lock(report)
    check_transition(report.status, target, REPORT_TRANSITIONS, label=_("A report"))
    access.require(can_manage_program(actor, report.award.program))
    if target == ReportStatus.RETURNED and not (comment or "").strip():
        raise ValidationError({"comment": _("Say what the awardee should change.")})
    report.status = target
    report.review_comment = (comment or "").strip()
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.save()
    notify(
        recipients=people([report.award.application.applicant_id]),
        title=format_lazy(
            gettext_lazy("Your progress report for {reference} was {status}"),
            reference=report.award.application.reference,
            status=report.get_status_display(),
        ),
        body=report.review_comment,
        url=report.get_absolute_url(),
    )
    return report


@transaction.atomic
def report_accept(*, actor, report: ProgressReport, comment: str = "") -> ProgressReport:
    return _review(actor, report, ReportStatus.ACCEPTED, comment)


@transaction.atomic
def report_return(*, actor, report: ProgressReport, comment: str) -> ProgressReport:
    return _review(actor, report, ReportStatus.RETURNED, comment)


def reports_daily(today: date) -> dict[str, int]:
    """Remind awardees of reports due within a week, and of late ones (each once)."""
    report = {"due_reminders": 0, "late_reminders": 0}
    waiting = ProgressReport.objects.filter(
        status__in=[ReportStatus.DUE, ReportStatus.RETURNED]
    ).select_related("award__application")
    for row in waiting.filter(
        due_date__gte=today, due_date__lte=today + timedelta(days=REPORT_DUE_REMINDER_DAYS)
    ):
        with one_record(report, row):
            if send_once(
                f"report:{row.pk}:due:{row.due_date}", lambda r=row: _remind(r, late=False)
            ):
                report["due_reminders"] += 1
    for row in waiting.filter(due_date__lt=today):
        with one_record(report, row):
            if send_once(
                f"report:{row.pk}:late:{row.due_date}", lambda r=row: _remind(r, late=True)
            ):
                report["late_reminders"] += 1
    return report


def _remind(report: ProgressReport, *, late: bool) -> None:
    template = (
        gettext_lazy("Late since {date}: progress report for {reference}")
        if late
        else gettext_lazy("Due on {date}: progress report for {reference}")
    )
    notify(
        recipients=people([report.award.application.applicant_id]),
        title=format_lazy(
            template, date=report.due_date.isoformat(), reference=report.award.application.reference
        ),
        url=report.get_absolute_url(),
    )
