"""Teacher secondments (教师企业实践): recorded and changed by the college's admins, and
the count of each teacher's days in enterprises that the 2016 teacher practice rules
ask of specialty teachers (six months every five years, counted as 180 days).

The portal keeps no register of teachers: a teacher is known by the staff number their
college gives them (``teacher_number``) on the secondments recorded for them, and their
name and whether they teach a specialty are read from their most recent secondment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, OrganizationKind, User
from portal import access
from portal.notifications import notify
from portal.roles import Role
from portal.workflow import lock_row

from ..models import SECONDMENT_DAYS_REQUIRED, SECONDMENT_WINDOW_YEARS, Secondment

SECONDMENT_FIELDS = (
    "teacher_name",
    "teacher_number",
    "specialty_teacher",
    "start_date",
    "end_date",
    "days",
    "activities",
)
ALL_ROLES = frozenset(Role.values)


def _not_found() -> str:
    return _("No such record, or not one you can see.")


def _only_admins() -> str:
    return _("Only the college's admins record its teachers' secondments.")


def secondment_colleges(user, roles: Iterable[str] = (Role.ADMIN,)) -> set[int]:
    """The colleges in which the user holds one of ``roles``: by default those whose
    secondments they record (admins); with ``ALL_ROLES``, those whose teachers' days
    they read."""
    return access.organization_ids(user, roles, kinds={OrganizationKind.COLLEGE})


def teacher_days_colleges(user) -> set[int]:
    """The colleges whose teachers' days the user reads: every member's, viewers too."""
    return secondment_colleges(user, ALL_ROLES)


def can_record_secondments_for(user, college: Organization) -> bool:
    """Only a college's admins (not its staff) record its teachers' secondments."""
    if college.kind != OrganizationKind.COLLEGE or not college.is_active:
        return False
    return bool(getattr(user, "is_superuser", False)) or college.pk in secondment_colleges(user)


def can_change_secondment(user, secondment: Secondment) -> bool:
    return bool(getattr(user, "is_superuser", False)) or (
        secondment.college_id in secondment_colleges(user)
    )


def secondment_actions(user, secondment: Secondment) -> set[str]:
    """``edit``, for the college's admins."""
    return {"edit"} if can_change_secondment(user, secondment) else set()


def _check_host(host: Organization | None) -> None:
    """The host is an active enterprise. Any other organization reads as one that does
    not exist, as an id the caller cannot see does in the API."""
    if host is None or host.kind != OrganizationKind.ENTERPRISE or not host.is_active:
        raise ValidationError({"host": _not_found()})


def _tell_host(secondment: Secondment) -> None:
    notify(
        recipients=User.objects.acting_for([secondment.host_id], roles=[Role.ADMIN]),
        title=format_lazy(
            gettext_lazy("{college} recorded a teacher secondment at {host}: {teacher}"),
            college=secondment.college.name,
            host=secondment.host.name,
            teacher=secondment.teacher_name,
        ),
        url=secondment.get_absolute_url(),
    )


@transaction.atomic
def secondment_create(*, actor, college: Organization, host: Organization, **fields) -> Secondment:
    """Record a teacher's secondment at an enterprise (the college's admins); the host
    enterprise's admins are told.

    Nothing is locked: a new secondment shares no invariant with other rows (a
    teacher's days are a sum read when needed, not a stored total)."""
    access.require(can_record_secondments_for(actor, college), _only_admins())
    _check_host(host)
    secondment = Secondment(
        college=college,
        host=host,
        **{k: v for k, v in fields.items() if k in SECONDMENT_FIELDS},
    )
    secondment.full_clean()
    secondment.save()
    _tell_host(secondment)
    return secondment


@transaction.atomic
def secondment_update(
    *, actor, secondment: Secondment, host: Organization | None = None, **fields
) -> Secondment:
    """Change a secondment (the college's admins). A new host's admins are told.

    The row is locked so that two admins' edits apply one after the other, each on
    what the other saved, and History records each change in the order it happened."""
    secondment = lock_row(Secondment, secondment.pk, "college", "host")
    access.require(can_change_secondment(actor, secondment), _only_admins())
    moved = host is not None and host.pk != secondment.host_id
    if moved:
        _check_host(host)
        secondment.host = host
    for name in SECONDMENT_FIELDS:
        if name in fields:
            setattr(secondment, name, fields[name])
    secondment.full_clean()
    secondment.save()
    if moved:
        _tell_host(secondment)
    return secondment


# --- days in enterprises -----------------------------------------------------------


@dataclass(frozen=True)
class TeacherDays:
    """One teacher's days in enterprises over the five years up to ``until``."""

    college_id: int
    college_name: str
    teacher_number: str
    teacher_name: str
    specialty_teacher: bool
    days: int
    since: date
    until: date

    @property
    def required(self) -> int:
        return SECONDMENT_DAYS_REQUIRED

    @property
    def short_of_days(self) -> bool:
        """A specialty teacher under 180 days; other teachers owe none."""
        return self.specialty_teacher and self.days < SECONDMENT_DAYS_REQUIRED

    @property
    def days_missing(self) -> int:
        return max(SECONDMENT_DAYS_REQUIRED - self.days, 0) if self.specialty_teacher else 0


def secondment_window(today: date) -> tuple[date, date]:
    """The five years up to and including ``today``: [today - 5 years, today]. A
    29 February five years back becomes the 28th."""
    year = today.year - SECONDMENT_WINDOW_YEARS
    try:
        since = today.replace(year=year)
    except ValueError:
        since = today.replace(year=year, day=28)
    return since, today


def teacher_days(
    college_ids: Iterable[int],
    today: date,
    *,
    teacher_number: str | None = None,
    short_only: bool = False,
) -> list[TeacherDays]:
    """Each teacher of the colleges (one per college and staff number), with their days
    in enterprises over the window of ``secondment_window(today)``; by college name,
    then staff number. One query, however many teachers.

    A secondment counts, all its days, when its start date lies in the window: one that
    started before it counts for nothing (even if it ran on into the window), one that
    started in it counts whole (even if it runs on past today), and one not yet started
    counts for nothing. Counting by start date keeps each secondment wholly in or out,
    as the days recorded on it are not spread over its dates. A teacher whose
    secondments all fall before the window is listed with 0 days.

    ``short_only``: only the specialty teachers under 180 days (see
    ``teachers_short_of_days``).
    """
    since, until = secondment_window(today)
    ids = list(college_ids)
    if not ids:
        return []
    latest = Secondment.objects.filter(
        college_id=OuterRef("college_id"), teacher_number=OuterRef("teacher_number")
    ).order_by("-start_date", "-pk")
    rows = Secondment.objects.filter(college_id__in=ids)
    if teacher_number is not None:
        rows = rows.filter(teacher_number=teacher_number)
    rows = (
        rows.order_by()
        .values("college_id", "college__name", "teacher_number")
        .annotate(
            days_in_window=Coalesce(
                Sum("days", filter=Q(start_date__gte=since, start_date__lte=until)),
                Value(0),
                output_field=IntegerField(),
            ),
            latest_name=Subquery(latest.values("teacher_name")[:1]),
            latest_specialty=Subquery(latest.values("specialty_teacher")[:1]),
        )
        .order_by("college__name", "college_id", "teacher_number")
    )
    if short_only:
        rows = rows.filter(latest_specialty=True, days_in_window__lt=SECONDMENT_DAYS_REQUIRED)
    return [
        TeacherDays(
            college_id=row["college_id"],
            college_name=row["college__name"],
            teacher_number=row["teacher_number"],
            teacher_name=row["latest_name"],
            specialty_teacher=bool(row["latest_specialty"]),
            days=row["days_in_window"],
            since=since,
            until=until,
        )
        for row in rows
    ]


def teachers_short_of_days(college_ids: Iterable[int], today: date) -> list[TeacherDays]:
    """The colleges' specialty teachers with fewer than 180 days in enterprises over the
    last five years (exactly 180 is enough). One query."""
    return teacher_days(college_ids, today, short_only=True)
