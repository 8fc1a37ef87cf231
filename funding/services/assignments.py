"""Reviewers assigned by the program's admins: one application at a time or spread
evenly over a program, never to an officer who declared a tie to the applicant; and the
daily reminders of the reviews due soon or overdue."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from accounts.models import User
from portal import access
from portal.daily import one_record
from portal.dates import check_date_in_range
from portal.notifications import notify
from portal.reminders import send_once
from portal.workflow import InvalidTransition, lock_row

from ..models import (
    ApplicationStatus,
    ConflictOfInterest,
    FundApplication,
    FundProgram,
    ProgramStatus,
    Review,
    ReviewAssignment,
)
from .rules import ASSIGNABLE, can_decide, department_officers, has_conflict

REVIEW_DUE_REMINDER_DAYS = 3
MAX_SPREAD_REVIEWERS = 50
# Spreading covers the applications waiting for or under review, not those back with
# the applicant.
SPREAD_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


def review_url(application: FundApplication) -> str:
    return reverse("fund-review-create", args=[application.pk])


def _require_admin(actor, program: FundProgram) -> None:
    access.require(
        can_decide(actor, program), _("Reviewers are assigned by the program's department admins.")
    )


def _check_due_date(due_date: date | None) -> None:
    if due_date is None:
        raise ValidationError({"due_date": _("Give the date the review is due by.")})
    check_date_in_range(due_date, field="due_date")
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("Give a date from today on.")})


def _require_open(application: FundApplication) -> None:
    if application.status not in ASSIGNABLE:
        raise InvalidTransition(
            _("%(reference)s is %(status)s: its reviewers no longer change.")
            % {"reference": application.reference, "status": application.get_status_display()}
        )


def _tell_assigned(reviewer: User, applications: Sequence[FundApplication], due_date) -> None:
    if len(applications) == 1:
        title = format_lazy(
            gettext_lazy("Review {reference} by {date}"),
            reference=applications[0].reference,
            date=due_date.isoformat(),
        )
        url = review_url(applications[0])
    else:
        title = format_lazy(
            ngettext_lazy(
                "{count} application to review by {date}",
                "{count} applications to review by {date}",
                "count",
            ),
            count=len(applications),
            date=due_date.isoformat(),
        )
        url = reverse("fund-review-queue")
    notify(recipients=[reviewer], title=title, url=url)


@transaction.atomic
def assignment_create(
    *, actor, application: FundApplication, reviewer: User | None, due_date: date
) -> ReviewAssignment:
    """Ask an officer of the department to review the application by a date. ``None``
    stands for a person the caller named but who is not there: it is answered like
    anyone outside the department, so that the answer tells nothing of who exists."""
    application = lock_row(FundApplication, application.pk, "program", "applicant")
    _require_admin(actor, application.program)
    access.require(
        not has_conflict(actor, application.applicant_id),
        _("You declared a tie to the applicant, so another admin assigns its reviewers."),
    )
    _require_open(application)
    officers = department_officers(application.program)
    if reviewer is None or not officers.filter(pk=reviewer.pk).exists():
        raise ValidationError(
            {"reviewer": _("Choose an admin or staff member of the program's department.")}
        )
    if has_conflict(reviewer, application.applicant_id):
        raise ValidationError(
            {
                "reviewer": _(
                    "%(name)s declared a conflict of interest with %(applicant)s, so they "
                    "may not review its applications."
                )
                % {
                    "name": reviewer.get_full_name() or reviewer.username,
                    "applicant": application.applicant.name,
                }
            }
        )
    if application.assignments.filter(reviewer=reviewer).exists():
        raise ValidationError({"reviewer": _("This officer is already assigned to it.")})
    _check_due_date(due_date)
    assignment = ReviewAssignment(
        application=application, reviewer=reviewer, assigned_by=actor, due_date=due_date
    )
    assignment.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as error:  # the same assignment made at the same moment
        raise ValidationError({"reviewer": _("This officer is already assigned to it.")}) from error
    _tell_assigned(reviewer, [application], due_date)
    return assignment


@transaction.atomic
def assignment_remove(*, actor, assignment: ReviewAssignment) -> None:
    """Take an assignment back, while its reviewer has not reviewed the application."""
    application = lock_row(FundApplication, assignment.application_id, "program")
    assignment = lock_row(ReviewAssignment, assignment.pk, "reviewer")
    _require_admin(actor, application.program)
    _require_open(application)
    if Review.objects.filter(application=application, reviewer=assignment.reviewer_id).exists():
        raise ValidationError(
            _("%(name)s has reviewed it already: the assignment stays on record.")
            % {"name": assignment.reviewer.get_full_name() or assignment.reviewer.username}
        )
    assignment.delete()
    notify(
        recipients=[assignment.reviewer],
        title=format_lazy(
            gettext_lazy("You no longer need to review {reference}"),
            reference=application.reference,
        ),
        url=application.get_absolute_url(),
    )


@dataclass
class SpreadResult:
    created: list[ReviewAssignment]
    # Applications that still have fewer reviewers than asked (too few without a tie).
    short: list[FundApplication]


def _spread_order(load: Counter, reviewers: Sequence[User]) -> list[User]:
    """The fewest-assigned first; among equals, the first username in order."""
    return sorted(reviewers, key=lambda reviewer: (load[reviewer.pk], reviewer.username))


@transaction.atomic
def assignments_spread(
    *,
    actor,
    program: FundProgram,
    reviewers: Sequence[User],
    per_application: int,
    due_date: date,
) -> SpreadResult:
    """Give each submitted or under-review application of the program
    ``per_application`` reviewers, counting those it has, from ``reviewers``: each time
    the one with the fewest assignments in the program so far (then by username), never
    one with a tie to the applicant or who already reviewed it. The same call gives the
    same assignments; one run at a time per program (its row is locked, then the
    applications)."""
    program = lock_row(FundProgram, program.pk)
    _require_admin(actor, program)
    if program.status == ProgramStatus.DRAFT:
        raise InvalidTransition(
            _("%(reference)s is a draft: it has no applications to review yet.")
            % {"reference": program.reference}
        )
    reviewers = list({reviewer.pk: reviewer for reviewer in reviewers}.values())
    errors = {}
    officers = set(department_officers(program).values_list("pk", flat=True))
    if not reviewers:
        errors["reviewers"] = _("Choose at least one reviewer.")
    elif len(reviewers) > MAX_SPREAD_REVIEWERS:
        errors["reviewers"] = _("Choose at most %(count)d reviewers.") % {
            "count": MAX_SPREAD_REVIEWERS
        }
    elif any(reviewer.pk not in officers for reviewer in reviewers):
        errors["reviewers"] = _("Choose admins or staff members of the program's department.")
    if (
        isinstance(per_application, bool)
        or not isinstance(per_application, int)
        or not 1 <= per_application <= max(len(reviewers), 1)
    ):
        errors["per_application"] = _(
            "Between 1 and the number of reviewers chosen (%(count)d)."
        ) % {"count": len(reviewers)}
    try:
        _check_due_date(due_date)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)

    applications = list(
        FundApplication.objects.select_for_update(of=("self",))
        .filter(program=program, status__in=SPREAD_STATUSES)
        .order_by("submitted_at", "pk")
    )
    ids = [application.pk for application in applications]
    existing = list(
        ReviewAssignment.objects.filter(application__program=program).values_list(
            "application_id", "reviewer_id"
        )
    )
    assigned = {(application_id, reviewer_id) for application_id, reviewer_id in existing}
    per_count = Counter(application_id for application_id, _reviewer in existing)
    load = Counter(reviewer_id for _application, reviewer_id in existing)
    pks = [reviewer.pk for reviewer in reviewers]
    ties = set(
        ConflictOfInterest.objects.filter(
            officer_id__in=pks, organization_id__in={a.applicant_id for a in applications}
        ).values_list("officer_id", "organization_id")
    )
    reviewed = set(
        Review.objects.filter(application_id__in=ids, reviewer_id__in=pks).values_list(
            "application_id", "reviewer_id"
        )
    )
    created: list[ReviewAssignment] = []
    short: list[FundApplication] = []
    for application in applications:
        needed = per_application - per_count[application.pk]
        if needed <= 0:
            continue
        candidates = [
            reviewer
            for reviewer in _spread_order(load, reviewers)
            if (application.pk, reviewer.pk) not in assigned
            and (reviewer.pk, application.applicant_id) not in ties
            and (application.pk, reviewer.pk) not in reviewed
        ]
        for reviewer in candidates[:needed]:
            load[reviewer.pk] += 1
            created.append(
                ReviewAssignment(
                    application=application,
                    reviewer=reviewer,
                    assigned_by=actor,
                    due_date=due_date,
                )
            )
        if len(candidates) < needed:
            short.append(application)
    # The due date was checked above; the rest is ids this function chose.
    created = ReviewAssignment.objects.bulk_create(created)
    by_reviewer: dict[int, list[FundApplication]] = {}
    for assignment in created:
        by_reviewer.setdefault(assignment.reviewer_id, []).append(assignment.application)
    for reviewer in reviewers:
        if reviewer.pk in by_reviewer:
            _tell_assigned(reviewer, by_reviewer[reviewer.pk], due_date)
    return SpreadResult(created=created, short=short)


# --- reminders ----------------------------------------------------------------------


def assignments_daily(today: date) -> dict[str, int]:
    """Remind assigned reviewers who have not reviewed yet: once when the review is due
    within three days, once when it is overdue."""
    report = {"due_reminders": 0, "overdue_reminders": 0}
    reviewed = Review.objects.filter(
        application=OuterRef("application"), reviewer=OuterRef("reviewer")
    )
    waiting = (
        ReviewAssignment.objects.filter(application__status=ApplicationStatus.UNDER_REVIEW)
        .filter(~Exists(reviewed))
        .select_related("application", "reviewer")
    )
    soon = waiting.filter(
        due_date__gte=today, due_date__lte=today + timedelta(days=REVIEW_DUE_REMINDER_DAYS)
    )
    for row in soon:
        with one_record(report, row):
            if send_once(
                f"review-assignment:{row.pk}:due:{row.due_date}",
                lambda r=row: _remind(r, overdue=False),
            ):
                report["due_reminders"] += 1
    for row in waiting.filter(due_date__lt=today):
        with one_record(report, row):
            if send_once(
                f"review-assignment:{row.pk}:overdue:{row.due_date}",
                lambda r=row: _remind(r, overdue=True),
            ):
                report["overdue_reminders"] += 1
    return report


def _remind(assignment: ReviewAssignment, *, overdue: bool) -> None:
    template = (
        gettext_lazy("Overdue since {date}: your review of {reference}")
        if overdue
        else gettext_lazy("Due on {date}: your review of {reference}")
    )
    notify(
        recipients=[assignment.reviewer],
        title=format_lazy(
            template,
            date=assignment.due_date.isoformat(),
            reference=assignment.application.reference,
        ),
        url=review_url(assignment.application),
    )
