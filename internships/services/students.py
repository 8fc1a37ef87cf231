"""Students: one record at a time (pages, the API) or many at once, keyed by student
number (the CSV import on the list page and ``POST /api/v1/students/bulk-upsert/``).

Both bulk paths read their rows with ``validate_student_row`` and write them with
``students_upsert``, so a row means the same thing wherever it comes from. Every write
for a college first locks the college's row: two imports for one college run one
after the other instead of racing on the unique student number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from portal import access
from portal.history import HistoryEntry, record_history_in_bulk
from portal.workflow import lock_row

from ..models import Student
from .rules import (
    STUDENT_FIELDS,
    can_change_student,
    can_keep_students_for,
    sees_personal_details,
)

# At most this many rows per call (API) or file (CSV import).
MAX_ROWS = 10_000
# Rows per INSERT / UPDATE statement: a call writes a few statements, never one per row.
BATCH_SIZE = 1_000
REQUIRED_ROW_FIELDS = ("student_number", "name", "specialty", "enrolment_year")
# The CSV import's largest file: 10,000 rows of ordinary length fit in well under it.
MAX_CSV_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    """One thing wrong with one row: ``index`` counts from 0 in the order given."""

    index: int
    field: str
    message: str


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return bool(self.created or self.updated)


NO_NUL = ProhibitNullCharactersValidator()


def validate_student_row(row: object) -> tuple[dict, list[tuple[str, str]]]:
    """Check one incoming row with the model's own field rules (types, lengths, dates,
    choices, validators) and no query; return its cleaned values and (field, message)
    errors.

    A row names ``student_number``, ``name``, ``specialty`` and ``enrolment_year``;
    any other field it leaves out keeps its current value (or its default, for a new
    student). An empty value clears an optional field.
    """
    if not isinstance(row, Mapping):
        return {}, [("", _("Each row is an object of field names and values."))]
    errors: list[tuple[str, str]] = [
        (str(key)[:50], _("Unknown field.")) for key in row if key not in STUDENT_FIELDS
    ]
    cleaned: dict = {}
    for name in STUDENT_FIELDS:
        if name not in row:
            if name in REQUIRED_ROW_FIELDS:
                errors.append((name, _("This field is required.")))
            continue
        model_field = Student._meta.get_field(name)
        value = row[name]
        if isinstance(value, str):
            value = value.strip()
        elif isinstance(value, bool) or not isinstance(value, int | type(None)):
            errors.append((name, _("Give text or a whole number.")))
            continue
        elif isinstance(value, int) and not isinstance(model_field, models.IntegerField):
            value = str(value)
        if value is None or value == "":
            if name in REQUIRED_ROW_FIELDS:
                errors.append((name, _("This field is required.")))
                continue
            value = None if model_field.null else ""
        try:
            if isinstance(value, str):
                NO_NUL(value)  # PostgreSQL refuses NUL in text; a 500 otherwise
            cleaned[name] = model_field.clean(value, None)
        except ValidationError as error:
            errors.append((name, " ".join(error.messages)))
    return cleaned, errors


def _check_rows(rows: Sequence) -> tuple[dict[str, dict], list[RowError]]:
    """Cleaned rows by student number, and every row's errors (a number given twice
    is an error on its second row)."""
    valid: dict[str, dict] = {}
    errors: list[RowError] = []
    first_index: dict[str, int] = {}
    for index, row in enumerate(rows):
        cleaned, row_errors = validate_student_row(row)
        number = cleaned.get("student_number")
        if not row_errors and number in first_index:
            row_errors = [
                (
                    "student_number",
                    _("The student number %(number)s is already in row %(index)d.")
                    % {"number": number, "index": first_index[number]},
                )
            ]
        if row_errors:
            errors.extend(RowError(index, name, message) for name, message in row_errors)
            continue
        first_index[number] = index
        valid[number] = cleaned
    return valid, errors


@transaction.atomic
def students_upsert(
    *, actor, college: Organization, rows: Sequence, atomic: bool = False
) -> UpsertResult:
    """Create or update the college's students from ``rows``, keyed by student number.

    Rows with errors are reported by index and skipped; with ``atomic`` any error
    writes nothing. One SELECT finds the existing students and a few batched INSERTs
    and UPDATEs write the rest, whatever the number of rows. History is kept as for
    single writes, in batches too: ``record_history_in_bulk`` has the database copy one
    entry per created or changed student, by the actor; unchanged rows add none.
    """
    access.require(
        can_keep_students_for(actor, college),
        _("Only the college's admins and staff change its students."),
    )
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            {"rows": _("At most %(count)d rows at a time.") % {"count": MAX_ROWS}}
        )
    valid, errors = _check_rows(rows)
    result = UpsertResult(errors=errors)
    if (atomic and errors) or not valid:
        return result
    # Two imports for one college wait for each other (organization: first in the
    # portal's lock order); without it both could insert the same new number.
    lock_row(Organization, college.pk)
    existing = {
        student.student_number: student
        for student in Student.objects.filter(college=college, student_number__in=list(valid))
    }
    now = timezone.now()
    to_create: list[Student] = []
    to_update: list[Student] = []
    changed_fields: set[str] = set()
    for number, values in valid.items():
        student = existing.get(number)
        if student is None:
            to_create.append(Student(college=college, **values))
            continue
        changes = {name for name, value in values.items() if getattr(student, name) != value}
        if not changes:
            result.unchanged += 1
            continue
        for name in changes:
            setattr(student, name, values[name])
        student.updated_at = now  # bulk_update skips auto_now
        changed_fields |= changes
        to_update.append(student)
    if to_create:
        created = Student.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        record_history_in_bulk(
            Student, [student.pk for student in created], history_type="+", user=actor
        )
    if to_update:
        Student.objects.bulk_update(
            to_update, fields=sorted(changed_fields | {"updated_at"}), batch_size=BATCH_SIZE
        )
        record_history_in_bulk(
            Student, [student.pk for student in to_update], history_type="~", user=actor
        )
    result.created, result.updated = len(to_create), len(to_update)
    return result


def read_student_csv(upload) -> list[dict]:
    """The rows of an uploaded CSV file (UTF-8, with or without a byte order mark, and
    a header row naming the fields), as ``validate_student_row`` takes them."""
    raw = upload.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d MB.") % {"size": MAX_CSV_BYTES // 1024 // 1024}
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("Save the file as UTF-8 CSV and upload it again.")) from None
    reader = csv.reader(io.StringIO(text))
    try:
        header = [name.strip() for name in next(reader)]
    except (StopIteration, csv.Error):
        raise ValidationError(_("The file is empty: give a header row, then the rows.")) from None
    unknown = [name for name in header if name not in STUDENT_FIELDS]
    if unknown:
        raise ValidationError(
            _("Unknown columns: %(columns)s. The columns are: %(known)s.")
            % {"columns": ", ".join(unknown), "known": ", ".join(STUDENT_FIELDS)}
        )
    if len(set(header)) != len(header):
        raise ValidationError(_("A column appears twice in the header row."))
    rows = []
    try:
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            if len(rows) == MAX_ROWS:
                raise ValidationError(_("At most %(count)d rows at a time.") % {"count": MAX_ROWS})
            rows.append(dict(zip(header, values, strict=False)))
    except csv.Error as error:
        raise ValidationError(
            _("The file is not valid CSV: %(error)s") % {"error": error}
        ) from None
    return rows


def _save_student(student: Student) -> Student:
    """Check and save one student; the caller holds its college's lock, so the number
    checked free stays free until the save (the constraint stands behind it)."""
    student.full_clean(validate_constraints=False)
    taken = Student.objects.filter(
        college_id=student.college_id, student_number=student.student_number
    ).exclude(pk=student.pk)
    if taken.exists():
        raise ValidationError(
            {"student_number": _("The college already has a student with this number.")}
        )
    try:
        with transaction.atomic():
            student.save()
    except IntegrityError:
        raise ValidationError(
            {"student_number": _("The college already has a student with this number.")}
        ) from None
    return student


def hide_personal_changes(entries: list[HistoryEntry], *, viewer, student: Student):
    """The student's history as ``viewer`` may read it: without the changes to personal
    details unless they see them (``sees_personal_details``); an entry left with no
    change to show is dropped, so that nobody learns that a phone number changed."""
    if sees_personal_details(viewer, student):
        return entries
    hidden = {str(Student._meta.get_field(name).verbose_name) for name in Student.PERSONAL_FIELDS}
    shown = []
    for entry in entries:
        changes = [change for change in entry.changes if change.field not in hidden]
        if entry.changes and not changes:
            continue
        shown.append(replace(entry, changes=changes))
    return shown


@transaction.atomic
def student_create(*, actor, college: Organization, **fields) -> Student:
    """Add one student to a college (its admins and staff)."""
    access.require(
        can_keep_students_for(actor, college),
        _("Only the college's admins and staff change its students."),
    )
    lock_row(Organization, college.pk)
    student = Student(college=college, **{k: v for k, v in fields.items() if k in STUDENT_FIELDS})
    return _save_student(student)


@transaction.atomic
def student_update(*, actor, student: Student, **fields) -> Student:
    """Change a student's record (the college's admins and staff)."""
    access.require(
        can_change_student(actor, student),
        _("Only the college's admins and staff change its students."),
    )
    lock_row(Organization, student.college_id)
    student = lock_row(Student, student.pk)
    for name in STUDENT_FIELDS:
        if name in fields:
            setattr(student, name, fields[name])
    return _save_student(student)
