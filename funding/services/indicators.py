"""Performance indicators: what a program measures its awards by. The department sets
them while the program is a draft or open, before its awardees report against them;
each progress report then gives every indicator's value to date."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from portal import access
from portal.workflow import InvalidTransition, lock_row

from ..models import (
    Award,
    BudgetLine,
    FundProgram,
    IndicatorValue,
    PerformanceIndicator,
    ProgramStatus,
    ProgressReport,
    ReportSpend,
    ReportStatus,
)
from .rules import can_manage_program

MAX_INDICATORS = 20
INDICATOR_FIELDS = ("name", "unit", "target")
# Indicators change while the program is a draft or open; once it closes, its awardees
# report against a fixed set.
DEFINED_WHILE = frozenset({ProgramStatus.DRAFT, ProgramStatus.OPEN})
REPORTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def can_define_indicators(user, program: FundProgram) -> bool:
    return program.status in DEFINED_WHILE and can_manage_program(user, program)


def _lock_program(actor, program_id: int) -> FundProgram:
    program = lock_row(FundProgram, program_id)
    access.require(
        can_manage_program(actor, program),
        _("Only the program's department sets its indicators."),
    )
    if program.status not in DEFINED_WHILE:
        raise InvalidTransition(
            _("Indicators change only while the program is a draft or open; this one is %(s)s.")
            % {"s": program.get_status_display()}
        )
    return program


@transaction.atomic
def indicator_add(
    *, actor, program: FundProgram, name: str, unit: str, target: Decimal
) -> PerformanceIndicator:
    """Add an indicator (the department's admins and staff), at most 20 a program."""
    # Under the program's lock, so that two additions at once cannot pass the limit.
    program = _lock_program(actor, program.pk)
    count = program.indicators.count()
    if count >= MAX_INDICATORS:
        raise ValidationError(
            _("A program has at most %(count)d indicators.") % {"count": MAX_INDICATORS}
        )
    last = program.indicators.aggregate(last=Max("order"))["last"]
    indicator = PerformanceIndicator(
        program=program,
        name=(name or "").strip(),
        unit=(unit or "").strip(),
        target=target,
        order=0 if last is None else last + 1,
    )
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(*, actor, indicator: PerformanceIndicator, **fields) -> PerformanceIndicator:
    """Change an indicator's name, unit or target."""
    _lock_program(actor, indicator.program_id)
    indicator = PerformanceIndicator.objects.get(pk=indicator.pk)
    for key in INDICATOR_FIELDS:
        if key in fields:
            value = fields[key]
            setattr(indicator, key, value.strip() if isinstance(value, str) else value)
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_remove(*, actor, indicator: PerformanceIndicator) -> None:
    """Remove an indicator no report has given a value for yet."""
    _lock_program(actor, indicator.program_id)
    if IndicatorValue.objects.filter(indicator_id=indicator.pk).exists():
        raise ValidationError(
            _("Progress reports gave values for “%(name)s”, so it stays.")
            % {"name": indicator.name}
        )
    indicator.delete()


# --- what the award tab draws ------------------------------------------------------


@dataclass(frozen=True)
class IndicatorProgress:
    """An indicator's latest reported value (submitted or accepted) against its target."""

    indicator: PerformanceIndicator
    value: Decimal | None
    report: ProgressReport | None

    @property
    def percent(self) -> int:
        """How far toward the target, 0–100, for the bar (the text gives the numbers)."""
        if self.value is None:
            return 0
        if not self.indicator.target:
            return 100
        return max(0, min(100, int(self.value * 100 / self.indicator.target)))

    @property
    def reached(self) -> bool:
        return self.value is not None and self.value >= self.indicator.target


@dataclass(frozen=True)
class LineSpend:
    """A budget line's spend to date in the latest reported report, against the line."""

    description: str
    category: str
    amount: Decimal | None
    spent: Decimal

    @property
    def percent(self) -> int:
        if not self.amount:
            return 100 if self.spent else 0
        return max(0, min(100, int(self.spent * 100 / self.amount)))

    @property
    def over(self) -> bool:
        return self.amount is not None and self.spent > self.amount


def indicator_progress(award: Award) -> list[IndicatorProgress]:
    """Each program indicator with the value of the award's latest submitted or accepted
    report that gives one (two queries)."""
    indicators = list(PerformanceIndicator.objects.filter(program_id=award.program_id))
    latest: dict[int, IndicatorValue] = {}
    values = (
        IndicatorValue.objects.filter(report__award=award, report__status__in=REPORTED)
        .select_related("report")
        .order_by("-report__period_end", "-report__submitted_at", "-report_id")
    )
    for value in values:
        latest.setdefault(value.indicator_id, value)
    return [
        IndicatorProgress(
            indicator=indicator,
            value=latest[indicator.pk].value if indicator.pk in latest else None,
            report=latest[indicator.pk].report if indicator.pk in latest else None,
        )
        for indicator in indicators
    ]


def latest_reported(award: Award) -> ProgressReport | None:
    return (
        award.reports.filter(status__in=REPORTED)
        .order_by("-period_end", "-submitted_at", "-pk")
        .first()
    )


def spend_by_line(award: Award, report: ProgressReport | None) -> list[LineSpend]:
    """The application's budget lines with the spend the report gave on each; a line the
    budget no longer has (revised since) is listed by the wording the report kept."""
    lines = list(BudgetLine.objects.filter(application_id=award.application_id))
    spent: dict[int | None, Decimal] = {}
    orphans = []
    if report is not None:
        for row in ReportSpend.objects.filter(report=report):
            if row.budget_line_id is None:
                orphans.append(row)
            else:
                spent[row.budget_line_id] = row.amount
    rows = [
        LineSpend(
            description=line.description,
            category=line.get_category_display(),
            amount=line.amount,
            spent=spent.get(line.pk, Decimal("0.00")),
        )
        for line in lines
    ]
    rows += [
        LineSpend(description=row.description, category="", amount=None, spent=row.amount)
        for row in orphans
    ]
    return rows
