"""The forms of the talent-demand report pages. The rows are a textarea of
``specialty, year, people[, note]`` lines (pasted from a spreadsheet, tab-separated,
works too): every mistake is named by its line, next to the field. They only read
input; ``associations.services.demand`` decides."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from portal.forms import StyledModelForm

from ..models import MAX_DEMAND_ROWS, DemandRow, TalentDemandReport
from ..services.demand import (
    MAX_REPORT_YEARS,
    REPORT_FIELDS,
    drafting_associations,
    row_problems,
)

# Room for MAX_DEMAND_ROWS lines of the longest specialty and note.
ROWS_TEXT = MAX_DEMAND_ROWS * 400
SEPARATOR = re.compile(r"\s*[,，]\s*")


def rows_text(rows: Iterable[DemandRow]) -> str:
    """Rows as the textarea shows them, one ``specialty, year, people[, note]`` a line."""
    lines = []
    for row in rows:
        cells = [row.specialty, str(row.year), str(row.people)]
        if row.note:
            cells.append(row.note)
        lines.append(", ".join(cells))
    return "\n".join(lines)


def parse_rows(text: str) -> tuple[list[dict], list[int], list[int]]:
    """The non-blank lines as rows (``specialty``, ``year``, ``people``, ``note``) with
    each one's line number, and the numbers of the lines with fewer than three cells.
    Cells are separated by tabs when the line has one, else by commas (, or ，); a note
    may hold commas."""
    rows, numbers, malformed = [], [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        if "\t" in line:
            cells = [cell.strip() for cell in line.strip().split("\t", 3)]
        else:
            cells = SEPARATOR.split(line.strip(), maxsplit=3)
        if len(cells) < 3:
            malformed.append(number)
            continue
        cells += [""] * (4 - len(cells))
        rows.append({"specialty": cells[0], "year": cells[1], "people": cells[2], "note": cells[3]})
        numbers.append(number)
    return rows, numbers, malformed


class DemandReportEditForm(StyledModelForm):
    """A draft's terms and its rows."""

    rows = forms.CharField(
        label=_("Demand by specialty and year"),
        required=False,
        max_length=ROWS_TEXT,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )

    class Meta:
        model = TalentDemandReport
        fields = list(REPORT_FIELDS)
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, rows: Iterable[DemandRow] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if rows is not None and not self.is_bound:
            self.initial["rows"] = rows_text(rows)
        self.fields["rows"].widget.attrs["class"] += " font-monospace"
        self.fields["rows"].help_text = gettext(
            "One line per specialty and year: the specialty, the year and the number of "
            "people needed, separated by commas, then a note if you like — for example "
            "<code>CNC machining, 2027, 120</code>. Rows pasted from a spreadsheet "
            "(specialty, year, people columns) work too. At most %(max)d lines."
        ) % {"max": MAX_DEMAND_ROWS}

    def clean(self):
        cleaned = super().clean()
        rows, numbers, malformed = parse_rows(cleaned.get("rows", ""))
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first is not None and last is not None:
            if last < first:
                self.add_error("last_year", _("The last year comes after the first."))
            elif last - first + 1 > MAX_REPORT_YEARS:
                self.add_error(
                    "last_year",
                    _("A report covers at most %(max)d years.") % {"max": MAX_REPORT_YEARS},
                )
        if {"first_year", "last_year", "rows"} & set(self.errors) or first is None or last is None:
            return cleaned  # the years' own errors say what to fix first
        lines = len(rows) + len(malformed)
        if lines > MAX_DEMAND_ROWS:
            self.add_error(
                "rows",
                _("At most %(max)d rows in a report; this has %(count)d.")
                % {"max": MAX_DEMAND_ROWS, "count": lines},
            )
            return cleaned
        _cleaned, problems = row_problems(
            rows, first_year=first, last_year=last, line_numbers=numbers
        )
        found = [
            (number, _("give the specialty, the year and the number of people, in that order."))
            for number in malformed
        ] + [(numbers[index], message) for index, message in problems]
        if found:
            self.add_error(
                "rows",
                [
                    _("Line %(n)d: %(problem)s") % {"n": number, "problem": message}
                    for number, message in sorted(found, key=lambda item: item[0])
                ],
            )
        cleaned["row_list"] = rows
        return cleaned


class DemandReportForm(DemandReportEditForm):
    """A new draft: of one of the associations the user drafts for."""

    association = forms.ModelChoiceField(
        label=_("Association"), queryset=Organization.objects.none()
    )

    field_order = ["association", *REPORT_FIELDS, "rows"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        associations = Organization.objects.filter(
            kind=OrganizationKind.ASSOCIATION, is_active=True
        ).order_by("name")
        if not user.is_superuser:
            associations = associations.filter(pk__in=drafting_associations(user))
        self.fields["association"].queryset = associations
        if self.fields["association"].queryset.count() == 1 and not self.is_bound:
            self.initial.setdefault("association", self.fields["association"].queryset.get().pk)

    def can_create(self) -> bool:
        return self.fields["association"].queryset.exists()
