"""Talent-demand reports (Art. 23 of the 2022 Vocational Education Law): an industry
association's admins and staff draft a report (industry, region, years, summary) with
its rows — how many people of each specialty the members expect to need in each year —
and publish it. From then on every signed-in user reads it, and it never changes: a
correction is a new report (``report_actions`` offers ``correct``, which the pages turn
into a new draft filled in from the old one).

draft → published. Each step checks the status against ``REPORT_TRANSITIONS``, checks
permission and locks the report row inside the transaction before reading what it
writes; the rows are replaced as a whole under that lock, all or nothing.

There is no withdrawal: a published report is the association's public statement that
colleges plan specialties on, and its page points to the newer one that corrects it
(``newer_report``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization
from portal import access
from portal.roles import WRITE_ROLES, OrganizationKind
from portal.workflow import InvalidTransition, check_transition, lock_row

from ..models import MAX_DEMAND_ROWS, DemandRow, ReportStatus, TalentDemandReport

REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.DRAFT: frozenset({ReportStatus.PUBLISHED}),
    ReportStatus.PUBLISHED: frozenset(),
}
# Only a draft changes: colleges plan on what was published.
EDITABLE_REPORT_STATUSES = frozenset({ReportStatus.DRAFT})
REPORT_FIELDS = ("title", "industry", "region", "first_year", "last_year", "summary")
LABEL = gettext_lazy("A talent-demand report")
# "The next years": a forecast over more than a decade is not one colleges plan on, and
# the report's table has one column per year.
MAX_REPORT_YEARS = 10
MAX_PEOPLE = 1_000_000
SPECIALTY_LENGTH = 100
NOTE_LENGTH = 255


# --- who may do what ------------------------------------------------------------------


def drafting_associations(user) -> set[int]:
    """The associations whose reports the user drafts: where they are admin or staff."""
    return access.organization_ids(user, WRITE_ROLES, kinds={OrganizationKind.ASSOCIATION})


def can_draft_for(user, association: Organization) -> bool:
    """Admins and staff of an active industry association (a superuser too)."""
    if association.kind != OrganizationKind.ASSOCIATION or not association.is_active:
        return False
    return bool(getattr(user, "is_superuser", False)) or association.pk in drafting_associations(
        user
    )


def can_change_report(user, report: TalentDemandReport) -> bool:
    """The association's admins and staff; government reads drafts but changes none."""
    return bool(getattr(user, "is_superuser", False)) or report.association_id in (
        access.organization_ids(user, WRITE_ROLES)
    )


def report_actions(user, report: TalentDemandReport) -> set[str]:
    """``edit`` and ``publish`` a draft; ``correct`` a published report (start a new
    draft from it). Only for the association's admins and staff."""
    if not can_change_report(user, report):
        return set()
    if report.status in EDITABLE_REPORT_STATUSES:
        actions = {"edit"}
        if ReportStatus.PUBLISHED in REPORT_TRANSITIONS[report.status]:
            actions.add("publish")
        return actions
    return {"correct"}


# --- rows -----------------------------------------------------------------------------


def normalized_specialty(value) -> str:
    """The specialty as stored: trimmed, inner runs of spaces made one."""
    return " ".join(str(value or "").split())


def _whole_number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.isascii() and text.lstrip("+").isdigit() and len(text) <= 12:
        return int(text)
    return None


def row_problems(
    rows: Iterable[Mapping],
    *,
    first_year: int,
    last_year: int,
    line_numbers: Sequence[int] | None = None,
) -> tuple[list[DemandRow], list[tuple[int | None, str]]]:
    """The rows as unsaved ``DemandRow``s, and what is wrong with them as ``(index,
    message)`` pairs (index from 0, None for the rows as a whole), so that a form can
    name its own line numbers (``line_numbers``: each row's line, for the message about
    a repeated row).

    Each row needs a specialty (up to 100 characters), a year within the report's years
    and 1 to 1,000,000 people; a specialty appears once per year (whatever its case);
    at most ``MAX_DEMAND_ROWS`` rows."""
    rows = list(rows)
    problems: list[tuple[int | None, str]] = []
    if len(rows) > MAX_DEMAND_ROWS:
        return [], [
            (
                None,
                _("At most %(max)d rows in a report; this has %(count)d.")
                % {"max": MAX_DEMAND_ROWS, "count": len(rows)},
            )
        ]
    cleaned: list[DemandRow] = []
    seen: dict[tuple[str, int], int] = {}
    for index, row in enumerate(rows):
        specialty = normalized_specialty(row.get("specialty"))
        year = _whole_number(row.get("year"))
        people = _whole_number(row.get("people"))
        note = str(row.get("note") or "").strip()
        found = []
        if not specialty:
            found.append(_("name the specialty."))
        elif len(specialty) > SPECIALTY_LENGTH:
            found.append(
                _("a specialty has at most %(max)d characters.") % {"max": SPECIALTY_LENGTH}
            )
        if year is None:
            found.append(
                _("give the year as a whole number, such as %(year)d.") % {"year": first_year}
            )
        elif not first_year <= year <= last_year:
            found.append(
                _("%(year)d is outside the report's years (%(first)d–%(last)d).")
                % {"year": year, "first": first_year, "last": last_year}
            )
        if people is None or not 1 <= people <= MAX_PEOPLE:
            found.append(
                _("give the number of people as a whole number from 1 to %(max)s.")
                % {"max": f"{MAX_PEOPLE:,}"}
            )
        if len(note) > NOTE_LENGTH:
            found.append(_("a note has at most %(max)d characters.") % {"max": NOTE_LENGTH})
        if not found:
            key = (specialty.casefold(), year)
            if key in seen:
                if line_numbers is None:
                    message = _(
                        "%(specialty)s in %(year)d is given twice (first in row %(first)d)."
                    )
                    first = seen[key] + 1
                else:
                    message = _(
                        "%(specialty)s in %(year)d is given twice (first on line %(first)d)."
                    )
                    first = line_numbers[seen[key]]
                found.append(message % {"specialty": specialty, "year": year, "first": first})
            else:
                seen[key] = index
        problems.extend((index, message) for message in found)
        if not found:
            cleaned.append(DemandRow(specialty=specialty, year=year, people=people, note=note))
    return cleaned, problems


def _clean_rows(rows: Iterable[Mapping], report: TalentDemandReport) -> list[DemandRow]:
    cleaned, problems = row_problems(rows, first_year=report.first_year, last_year=report.last_year)
    if problems:
        raise ValidationError(
            {
                "rows": [
                    message
                    if index is None
                    else _("Row %(n)d: %(problem)s") % {"n": index + 1, "problem": message}
                    for index, message in problems
                ]
            }
        )
    return cleaned


def _check_years(report: TalentDemandReport) -> None:
    if report.first_year is None or report.last_year is None:
        return  # full_clean names the missing year
    if report.last_year < report.first_year:
        raise ValidationError({"last_year": _("The last year comes after the first.")})
    if report.last_year - report.first_year + 1 > MAX_REPORT_YEARS:
        raise ValidationError(
            {"last_year": _("A report covers at most %(max)d years.") % {"max": MAX_REPORT_YEARS}}
        )


def _clean_report(report: TalentDemandReport) -> None:
    for name in ("title", "industry", "region"):
        setattr(report, name, " ".join(str(getattr(report, name) or "").split()))
    report.summary = (report.summary or "").strip()
    # The years' own CHECK constraint is put in words by _check_years.
    report.full_clean(exclude=["created_by"], validate_constraints=False)
    _check_years(report)


def _replace_rows(report: TalentDemandReport, rows: list[DemandRow]) -> None:
    DemandRow.objects.filter(report_id=report.pk).delete()
    for row in rows:
        row.report = report
    DemandRow.objects.bulk_create(rows)


# --- steps ----------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *,
    actor,
    association: Organization,
    rows: Iterable[Mapping] = (),
    **fields,
) -> TalentDemandReport:
    """Draft a report of an association (its admins and staff), with its rows if given."""
    access.require(
        can_draft_for(actor, association),
        _("Only an industry association's admins and staff draft its talent-demand reports."),
    )
    report = TalentDemandReport(
        association=association,
        created_by=actor if getattr(actor, "pk", None) else None,
        **{key: fields[key] for key in REPORT_FIELDS if key in fields},
    )
    _clean_report(report)
    cleaned = _clean_rows(rows, report)
    report.save()
    _replace_rows(report, cleaned)
    return report


@transaction.atomic
def report_update(
    *,
    actor,
    report: TalentDemandReport,
    rows: Iterable[Mapping] | None = None,
    **fields,
) -> TalentDemandReport:
    """Change a draft's terms and, when ``rows`` is given, replace its rows as a whole.
    Rows kept must still fall within the report's years. A published report never
    changes (InvalidTransition): a correction is a new report."""
    # The lock keeps an edit and a publish from interleaving: a report is never
    # published with the rows half replaced, nor changed after it was published.
    report = lock_row(TalentDemandReport, report.pk)
    access.require(can_change_report(actor, report))
    if report.status not in EDITABLE_REPORT_STATUSES:
        raise InvalidTransition(
            _("A published report never changes; publish a correction as a new report instead.")
        )
    for key in REPORT_FIELDS:
        if key in fields:
            setattr(report, key, fields[key])
    _clean_report(report)
    if rows is None:
        kept = [
            {"specialty": row.specialty, "year": row.year, "people": row.people, "note": row.note}
            for row in DemandRow.objects.filter(report_id=report.pk).order_by("pk")
        ]
        try:
            _clean_rows(kept, report)
        except ValidationError:
            raise ValidationError(
                {"rows": _("Some rows fall outside the new years: change the rows with the years.")}
            ) from None
    else:
        _replace_rows(report, _clean_rows(rows, report))
    report.save()
    return report


@transaction.atomic
def report_publish(*, actor, report: TalentDemandReport) -> TalentDemandReport:
    """Draft → published, with at least one row: every signed-in user reads it from
    now on, and it never changes again."""
    report = lock_row(TalentDemandReport, report.pk)
    access.require(can_change_report(actor, report))
    check_transition(
        report.status,
        ReportStatus.PUBLISHED,
        REPORT_TRANSITIONS,
        label=LABEL,
        choices=ReportStatus,
    )
    if not DemandRow.objects.filter(report_id=report.pk).exists():
        raise ValidationError(
            {"rows": _("Give at least one specialty with the people needed before publishing.")}
        )
    report.status = ReportStatus.PUBLISHED
    report.published_at = timezone.now()
    report.save()
    return report


# --- reading --------------------------------------------------------------------------


def with_total_people(queryset):
    """Each report with ``total_people``, the sum of its rows (a subquery, so that it
    neither repeats reports nor minds other joins)."""
    totals = (
        DemandRow.objects.filter(report_id=OuterRef("pk"))
        .order_by()
        .values("report_id")
        .annotate(total=Sum("people"))
        .values("total")
    )
    return queryset.annotate(
        total_people=Coalesce(Subquery(totals, output_field=IntegerField()), Value(0))
    )


@dataclass(frozen=True)
class SpecialtyDemand:
    """One specialty's people by year (None where no row gives it) and their total."""

    specialty: str
    by_year: list[int | None]
    total: int


@dataclass(frozen=True)
class DemandTable:
    """Specialties × years, most needed first, with the totals of each year and all."""

    years: list[int]
    specialties: list[SpecialtyDemand]
    year_totals: list[int]
    total: int
    notes: list[DemandRow]


def demand_table(report: TalentDemandReport, rows: Iterable[DemandRow]) -> DemandTable:
    """The report's rows (already fetched: one query) as its table."""
    rows = list(rows)
    years = list(range(report.first_year, report.last_year + 1))
    cells: dict[str, dict[int, int]] = defaultdict(dict)
    for row in rows:
        cells[row.specialty][row.year] = cells[row.specialty].get(row.year, 0) + row.people
    specialties = [
        SpecialtyDemand(
            specialty=specialty,
            by_year=[by_year.get(year) for year in years],
            total=sum(by_year.values()),
        )
        for specialty, by_year in cells.items()
    ]
    specialties.sort(key=lambda demand: (-demand.total, demand.specialty.casefold()))
    year_totals = [sum(row.people for row in rows if row.year == year) for year in years]
    return DemandTable(
        years=years,
        specialties=specialties,
        year_totals=year_totals,
        total=sum(row.people for row in rows),
        notes=sorted(
            (row for row in rows if row.note),
            key=lambda row: (row.specialty.casefold(), row.year),
        ),
    )


def newer_report(report: TalentDemandReport) -> TalentDemandReport | None:
    """The association's latest report published after this one for the same industry
    and region (a correction, or the next forecast), if any. One query."""
    if report.status != ReportStatus.PUBLISHED or report.published_at is None:
        return None
    return (
        TalentDemandReport.objects.filter(
            association_id=report.association_id,
            status=ReportStatus.PUBLISHED,
            industry__iexact=report.industry,
            region__iexact=report.region,
            published_at__gt=report.published_at,
        )
        .order_by("-published_at", "-pk")
        .first()
    )


def correction_initial(report: TalentDemandReport, rows: Iterable[DemandRow]) -> dict:
    """A new draft's fields, filled in from a published report it corrects."""
    return {
        "association": report.association_id,
        "title": report.title,
        "industry": report.industry,
        "region": report.region,
        "first_year": report.first_year,
        "last_year": report.last_year,
        "summary": report.summary,
        "rows": list(rows),
    }
