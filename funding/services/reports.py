"""Progress reports: scheduled by the department, written by the awardee, accepted or
returned with comments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import access
from portal.daily import one_record
from portal.limits import LONG_TEXT
from portal.notifications import notify
from portal.reminders import send_once
from portal.workflow import check_transition, lock_row

from ..models import (
    Award,
    FundProgram,
    IndicatorValue,
    PerformanceIndicator,
    ProgressReport,
    ReportSpend,
    ReportStatus,
)
from .common import people
from .rules import (
    REPORT_DUE_REMINDER_DAYS,
    REPORT_TRANSITIONS,
    can_edit_application,
    can_manage_program,
)

# The largest value a Decimal(14, 2) field holds.
LARGEST = Decimal("999999999999.99")


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


def _value(raw) -> Decimal | None:
    """A decimal of at most 12 digits before the point and 2 after, not negative."""
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not value.is_finite() or value.as_tuple().exponent < -2 or not 0 <= value <= LARGEST:
        return None
    return value.quantize(Decimal("0.01"))


def _by_id(rows: list[tuple[int, object]], known: dict[int, str], field: str, what: str):
    """``{id: value}`` from (id, raw value) pairs: each known id exactly once, none other,
    every value a decimal ≥ 0; else a field error listing each problem."""
    values: dict[int, Decimal] = {}
    given: set[int] = set()
    errors = []
    for pk, raw in rows:
        if pk not in known:
            errors.append(
                _("%(what)s %(id)s is not one of this report's.") % {"what": what, "id": pk}
            )
            continue
        if pk in given:
            errors.append(_("“%(name)s” is given twice.") % {"name": known[pk]})
            continue
        given.add(pk)
        value = _value(raw)
        if value is None:
            errors.append(
                _("“%(name)s”: give a number of at least 0, with at most 2 decimals.")
                % {"name": known[pk]}
            )
            continue
        values[pk] = value
    errors += [
        _("“%(name)s”: give its value to date.") % {"name": name}
        for pk, name in known.items()
        if pk not in given
    ]
    if errors:
        raise ValidationError({field: errors})
    return values


@transaction.atomic
def report_submit(
    *,
    actor,
    report: ProgressReport,
    narrative: str,
    indicator_values: Iterable[tuple[int, object]] = (),
    spend: Iterable[tuple[int, object]] = (),
) -> ProgressReport:
    """Due or returned → submitted, by the awardee: what was done, the value to date of
    every indicator of the program, and the spend to date on every budget line of the
    application (``spent_to_date`` is their sum). Resubmitting a returned report
    replaces its values."""
    # The program row first (parent before child): indicators are added and removed
    # under it, so the report gives a value for exactly the indicators there are.
    program_id = (
        ProgressReport.objects.filter(pk=report.pk)
        .values_list("award__program_id", flat=True)
        .get()
    )
    lock_row(FundProgram, program_id)
    report = _lock(report)
    access.require(can_edit_application(actor, report.award.application))
    check_transition(report.status, ReportStatus.SUBMITTED, REPORT_TRANSITIONS, label=_("A report"))
    indicators = {
        indicator.pk: str(indicator)
        for indicator in PerformanceIndicator.objects.filter(program_id=program_id)
    }
    lines = {line.pk: line for line in report.award.application.budget_lines.all()}
    errors = {}
    if not (narrative or "").strip():
        errors["narrative"] = [_("Say what was done in the period.")]
    elif len(narrative.strip()) > LONG_TEXT:
        errors["narrative"] = [_("Keep it to %(count)d characters.") % {"count": LONG_TEXT}]
    values: dict[int, Decimal] = {}
    spent: dict[int, Decimal] = {}
    try:
        values = _by_id(list(indicator_values), indicators, "indicator_values", _("Indicator"))
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        spent = _by_id(
            list(spend),
            {pk: line.description for pk, line in lines.items()},
            "spend",
            _("Budget line"),
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    total = sum(spent.values(), Decimal("0.00"))
    if not errors and total > report.award.amount:
        errors["spend"] = [
            _("The spend adds up to %(total)s, more than the award (%(amount)s).")
            % {"total": total, "amount": report.award.amount}
        ]
    if errors:
        raise ValidationError(errors)
    # A returned report is submitted again: its new values replace the old.
    report.indicator_values.all().delete()
    report.spend.all().delete()
    for pk, value in values.items():
        IndicatorValue.objects.create(report=report, indicator_id=pk, value=value)
    for pk, amount in spent.items():
        ReportSpend.objects.create(
            report=report, budget_line=lines[pk], description=lines[pk].description, amount=amount
        )
    report.narrative = narrative.strip()
    report.spent_to_date = total
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
            status=ReportStatus(target).label,
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
