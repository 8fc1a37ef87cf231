"""Nominations: a college nominates its students to a placement open to it; the host
shortlists, offers or rejects; the college records the student's answer, the gates
before starting, and starts; both sides evaluate, then it completes.

Locks, in the portal's order: the placement (its ``filled_slots``), then the student
(so that two placements with overlapping dates are never held at once), then the
nomination. Each step locks before it reads what it writes, checks the status against
``NOMINATION_TRANSITIONS`` and whose step it is, writes, and tells the other side
(emails go out after the commit).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import User
from portal import access
from portal.models import Attachment
from portal.notifications import notify
from portal.workflow import InvalidTransition, check_transition, lock_row

from .. import compliance
from ..models import (
    BASE_RATING_CRITERIA,
    EVALUATION_CRITERIA,
    HOLDING_STATUSES,
    OPEN_STATUSES,
    SLOT_STATUSES,
    Evaluation,
    EvaluatorRole,
    Nomination,
    NominationStatus,
    Placement,
    PlacementStatus,
    Student,
    StudentStatus,
)
from .rules import (
    EVALUATION_STATUSES,
    GATE_FIELDS,
    GATE_STATUSES,
    NOMINATION_TRANSITIONS,
    NOMINATION_VERBS,
    can_evaluate,
    may_take_step,
    nominating_colleges,
)

# How many students one request may nominate at once.
MAX_NOMINATIONS_AT_ONCE = 200
LABEL = gettext_lazy("A nomination")


def _tell(organization_ids: Iterable[int], title, *, url: str, body: str = "") -> None:
    notify(
        recipients=User.objects.acting_for(set(organization_ids)), title=title, body=body, url=url
    )


def _overlapping_hold(student: Student, placement: Placement, *, exclude_pk=None):
    """The student's accepted or started nomination whose placement's dates overlap."""
    holds = Nomination.objects.filter(
        student_id=student.pk,
        status__in=HOLDING_STATUSES,
        placement__start_date__lte=placement.end_date,
        placement__end_date__gte=placement.start_date,
    ).select_related("placement")
    if exclude_pk:
        holds = holds.exclude(pk=exclude_pk)
    return holds.first()


def _overlap_message(student: Student, other: Nomination) -> str:
    return _("%(name)s already holds “%(title)s” (%(start)s – %(end)s), whose dates overlap.") % {
        "name": student.name,
        "title": other.placement.title,
        "start": other.placement.start_date.isoformat(),
        "end": other.placement.end_date.isoformat(),
    }


def _student_errors(student: Student, placement: Placement) -> list[str]:
    """The student's status and the student rules (first year, age), as they stand."""
    errors = []
    if student.status != StudentStatus.ENROLLED:
        errors.append(
            _("%(name)s is not enrolled (%(status)s).")
            % {"name": student.name, "status": student.get_status_display()}
        )
    return errors + [
        f"{student.name}: {message}" for message in compliance.student_findings(student, placement)
    ]


def eligibility_errors(student: Student, placement: Placement) -> list[str]:
    """Why the student cannot be nominated to the placement (empty if they can)."""
    errors = _student_errors(student, placement)
    other = _overlapping_hold(student, placement)
    if other is not None:
        errors.append(_overlap_message(student, other))
    return errors


def _require_still_eligible(nomination: Nomination) -> None:
    """The student rules again, at accepting and at starting: the college's record may
    have changed since the nomination (a birth date corrected, a student withdrawn)."""
    errors = _student_errors(nomination.student, nomination.placement)
    if errors:
        raise ValidationError({"student": errors})


@transaction.atomic
def nomination_create(
    *, actor, placement: Placement, students: Sequence[Student], note: str = ""
) -> list[Nomination]:
    """Nominate students of one of the actor's colleges to a published placement open to
    that college. All or nothing: any student who may not be nominated (first year or
    under 16 for an on-the-job internship, not enrolled, already nominated, holding an
    overlapping placement) refuses the lot, every reason listed under ``students``."""
    students = list({student.pk: student for student in students}.values())
    if not students:
        raise ValidationError({"students": _("Choose at least one student.")})
    if len(students) > MAX_NOMINATIONS_AT_ONCE:
        raise ValidationError(
            {"students": _("At most %(n)d students at a time.") % {"n": MAX_NOMINATIONS_AT_ONCE}}
        )
    placement = lock_row(Placement, placement.pk, "host")
    colleges = {student.college_id for student in students}
    if len(colleges) > 1:
        raise ValidationError({"students": _("Nominate the students of one college at a time.")})
    college_id = colleges.pop()
    access.require(
        college_id in nominating_colleges(actor),
        _("Only a college's admins and staff nominate its students."),
    )
    if placement.status != PlacementStatus.PUBLISHED:
        raise InvalidTransition(
            _("Nominations are taken only while a placement is published; this one is %(status)s.")
            % {"status": placement.get_status_display()}
        )
    if college_id not in placement.audience_ids():
        # The placement is not open to this college: as if it did not exist.
        raise ValidationError({"placement": _("No such record, or not one you can see.")})
    locked = (
        Student.objects.select_for_update(of=("self",))
        .filter(pk__in=[student.pk for student in students])
        .order_by("pk")
    )
    locked = list(locked)
    already = set(
        Nomination.objects.filter(
            placement_id=placement.pk,
            student_id__in=[student.pk for student in locked],
            status__in=OPEN_STATUSES,
        ).values_list("student_id", flat=True)
    )
    errors = []
    for student in locked:
        if student.pk in already:
            errors.append(_("%(name)s is already nominated to it.") % {"name": student.name})
        errors += eligibility_errors(student, placement)
    if errors:
        raise ValidationError({"students": errors})
    nominations = [
        Nomination(
            placement=placement,
            student=student,
            college_id=college_id,
            note=note,
            nominated_by=actor,
        )
        for student in locked
    ]
    for nomination in nominations:
        nomination.full_clean(exclude=["placement", "student", "college"])
    try:
        with transaction.atomic():
            for nomination in nominations:
                nomination.save()
    except IntegrityError as error:  # a nomination made between our check and our write
        raise ValidationError(
            {"students": _("One of these students was just nominated to it.")}
        ) from error
    _tell(
        [placement.host_id],
        format_lazy(
            gettext_lazy("{count} student(s) nominated to “{title}”"),
            count=len(nominations),
            title=placement.title,
        ),
        url=placement.get_absolute_url() + "?tab=nominations",
    )
    return nominations


def _lock(nomination: Nomination) -> tuple[Placement, Nomination]:
    """Lock the placement, the student, then the nomination (the portal's order)."""
    placement_id, student_id = (
        Nomination.objects.filter(pk=nomination.pk).values_list("placement_id", "student_id").get()
    )
    placement = lock_row(Placement, placement_id, "host")
    lock_row(Student, student_id)
    nomination = lock_row(Nomination, nomination.pk, "student", "college")
    nomination.placement = placement
    return placement, nomination


def _check_step(actor, nomination: Nomination, verb: str) -> str:
    target, side = NOMINATION_VERBS[verb]
    check_transition(
        nomination.status, target, NOMINATION_TRANSITIONS, label=LABEL, choices=NominationStatus
    )
    access.require(may_take_step(actor, nomination, side))
    return target


def _title(template: str, nomination: Nomination):
    return format_lazy(
        gettext_lazy(template), name=nomination.student.name, title=nomination.placement.title
    )


def _consent(
    nomination: Nomination, attachment: Attachment | None, field: str
) -> Attachment | None:
    """An attachment of this very nomination, or a field error naming ``field``."""
    if attachment is None:
        return None
    on_it = attachment.object_id == nomination.pk and (
        attachment.content_type_id == ContentType.objects.get_for_model(Nomination).pk
    )
    if not on_it:
        raise ValidationError({field: _("Choose a file attached to this nomination.")})
    return attachment


@transaction.atomic
def nomination_move(*, actor, nomination: Nomination, verb: str, reason: str = "") -> Nomination:
    """The host's ``shortlist`` / ``offer`` / ``reject`` and the college's ``withdraw`` /
    ``decline``: a status change, with a reason for the last three. A rejected or
    withdrawn acceptance frees its slot."""
    placement, nomination = _lock(nomination)
    target = _check_step(actor, nomination, verb)
    reason = (reason or "").strip()
    ends = target in (
        NominationStatus.REJECTED,
        NominationStatus.WITHDRAWN,
        NominationStatus.DECLINED,
    )
    if ends and target != NominationStatus.DECLINED and not reason:
        raise ValidationError({"reason": _("Say why.")})
    if nomination.status in SLOT_STATUSES:
        Placement.objects.filter(pk=placement.pk).update(filled_slots=F("filled_slots") - 1)
    nomination.status = target
    if ends:
        nomination.reason = reason
        nomination.ended_at = timezone.now()
    nomination.full_clean(exclude=["placement", "student", "college"])
    nomination.save()
    url = nomination.get_absolute_url()
    if verb in ("shortlist", "offer", "reject"):
        titles = {
            "shortlist": gettext_noop("{name} was shortlisted for “{title}”"),
            "offer": gettext_noop("{name} was offered “{title}”: record the answer"),
            "reject": gettext_noop("{name} was not taken for “{title}”"),
        }
        _tell([nomination.college_id], _title(titles[verb], nomination), url=url, body=reason)
    else:
        titles = {
            "withdraw": gettext_noop("{name} was withdrawn from “{title}”"),
            "decline": gettext_noop("{name} declined “{title}”"),
        }
        _tell([placement.host_id], _title(titles[verb], nomination), url=url, body=reason)
    return nomination


@transaction.atomic
def nomination_accept(*, actor, nomination: Nomination, consent: Attachment | None) -> Nomination:
    """Offered → accepted: the college records the student's yes, with their signed
    consent attached to the nomination. Takes one of the placement's slots (refused
    when none is left) and refuses a student already holding a placement whose dates
    overlap."""
    placement, nomination = _lock(nomination)
    _check_step(actor, nomination, "accept")
    consent = _consent(nomination, consent, "consent")
    if consent is None:
        raise ValidationError(
            {"consent": _("Attach the student's signed consent and choose it here.")}
        )
    _require_still_eligible(nomination)
    if placement.filled_slots >= placement.slots:
        raise InvalidTransition(
            _("No slot left: all %(slots)d slots of “%(title)s” are taken.")
            % {"slots": placement.slots, "title": placement.title}
        )
    other = _overlapping_hold(nomination.student, placement, exclude_pk=nomination.pk)
    if other is not None:
        raise ValidationError({"student": _overlap_message(nomination.student, other)})
    Placement.objects.filter(pk=placement.pk).update(filled_slots=F("filled_slots") + 1)
    nomination.status = NominationStatus.ACCEPTED
    nomination.student_consent = consent
    nomination.accepted_at = timezone.now()
    nomination.save()
    _tell(
        [placement.host_id],
        _title(gettext_noop("{name} accepted “{title}”"), nomination),
        url=nomination.get_absolute_url(),
    )
    return nomination


@transaction.atomic
def nomination_record_gates(*, actor, nomination: Nomination, **fields) -> Nomination:
    """Record what must be in place before starting (``GATE_FIELDS``): either side's
    admins and staff, while the nomination is offered or accepted. Documents are
    attachments of the nomination."""
    _placement, nomination = _lock(nomination)
    access.require(may_take_step(actor, nomination, "either"))
    if nomination.status not in GATE_STATUSES:
        raise InvalidTransition(
            _(
                "The gates are recorded once an offer is made and before starting; "
                "this nomination is %(status)s."
            )
            % {"status": nomination.get_status_display()}
        )
    for name in ("tripartite_scan", "guardian_consent"):
        if name in fields:
            fields[name] = _consent(nomination, fields[name], name)
    for name in GATE_FIELDS:
        if name in fields:
            setattr(nomination, name, fields[name])
    nomination.full_clean(exclude=["placement", "student", "college"])
    nomination.save()
    return nomination


@transaction.atomic
def nomination_start(*, actor, nomination: Nomination) -> Nomination:
    """Accepted → started, once every gate is in place; refused listing every missing
    item at once (``compliance.GATES``)."""
    placement, nomination = _lock(nomination)
    _check_step(actor, nomination, "start")
    _require_still_eligible(nomination)
    compliance.require_gates(nomination)
    nomination.status = NominationStatus.STARTED
    nomination.started_at = timezone.now()
    nomination.save()
    _tell(
        [placement.host_id],
        _title(gettext_noop("{name} starts “{title}”"), nomination),
        url=nomination.get_absolute_url(),
    )
    return nomination


def owed_evaluation_roles(nomination: Nomination) -> list[str]:
    """The roles whose evaluation is still owed before completing: the guide's, the
    teacher's (also when the teacher has not rated the practice base the internship
    was at). Reads ``nomination.evaluations.all()``: prefetch it for many rows."""
    done = {evaluation.role: evaluation for evaluation in nomination.evaluations.all()}
    owed = [role for role in EvaluatorRole if role not in done]
    teacher = done.get(EvaluatorRole.TEACHER)
    if (
        teacher
        and nomination.placement.practice_base_id
        and any(getattr(teacher, name) is None for name in BASE_RATING_CRITERIA)
    ):
        owed.append(EvaluatorRole.TEACHER)
    return owed


def missing_evaluations(nomination: Nomination) -> list[str]:
    """The evaluations still owed before completing, as messages."""
    done = {evaluation.role for evaluation in nomination.evaluations.all()}
    return [
        _("The %(role)s's evaluation is missing.") % {"role": EvaluatorRole(role).label.lower()}
        if role not in done
        else _("The tracking teacher has not rated the practice base.")
        for role in owed_evaluation_roles(nomination)
    ]


@transaction.atomic
def nomination_complete(*, actor, nomination: Nomination) -> Nomination:
    """Started → completed, once the enterprise guide and the tracking teacher have
    both evaluated (and the teacher has rated the practice base, if there is one)."""
    placement, nomination = _lock(nomination)
    _check_step(actor, nomination, "complete")
    missing = missing_evaluations(nomination)
    if missing:
        raise ValidationError({"evaluations": missing})
    nomination.status = NominationStatus.COMPLETED
    nomination.completed_at = timezone.now()
    nomination.save()
    _tell(
        [placement.host_id, nomination.college_id],
        _title(gettext_noop("{name} completed “{title}”"), nomination),
        url=nomination.get_absolute_url(),
    )
    return nomination


@transaction.atomic
def evaluation_record(*, actor, nomination: Nomination, role: str, **fields) -> Evaluation:
    """Record (or correct) the guide's or the teacher's evaluation of a started
    internship: scores of 1 to 5 on ``EVALUATION_CRITERIA`` and comments; the teacher's
    also rates the practice base (``BASE_RATING_CRITERIA``) when there is one."""
    if role not in EvaluatorRole.values:
        raise ValidationError({"role": _("Choose the enterprise guide or the tracking teacher.")})
    _placement, nomination = _lock(nomination)
    access.require(can_evaluate(actor, nomination, role))
    if nomination.status not in EVALUATION_STATUSES:
        raise InvalidTransition(
            _("Evaluations are recorded while the internship runs; this nomination is %(status)s.")
            % {"status": nomination.get_status_display()}
        )
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .filter(nomination=nomination, role=role)
        .first()
    ) or Evaluation(nomination=nomination, role=role)
    names = ["evaluator_name", *EVALUATION_CRITERIA, "comments"]
    if role == EvaluatorRole.TEACHER:
        names += BASE_RATING_CRITERIA
    for name in names:
        if name in fields:
            setattr(evaluation, name, fields[name])
    if role == EvaluatorRole.TEACHER and nomination.placement.practice_base_id:
        missing = {
            name: _("Rate the practice base.")
            for name in BASE_RATING_CRITERIA
            if getattr(evaluation, name) is None
        }
        if missing:
            raise ValidationError(missing)
    evaluation.recorded_by = actor
    evaluation.full_clean(exclude=["nomination"])
    evaluation.save()
    return evaluation


def placement_nominations_end(*, placement: Placement, reason: str) -> list[int]:
    """On a cancelled placement, end every nomination not yet started (rejected, with
    the reason) and free their slots. Called by ``placement_cancel`` under the
    placement's lock; returns the colleges to tell."""
    ending = Nomination.objects.select_for_update(of=("self",)).filter(
        placement_id=placement.pk,
        status__in=[s for s in OPEN_STATUSES if s != NominationStatus.STARTED],
    )
    colleges = set()
    freed = 0
    now = timezone.now()
    for nomination in ending.order_by("pk"):
        colleges.add(nomination.college_id)
        freed += nomination.status in SLOT_STATUSES
        nomination.status = NominationStatus.REJECTED
        nomination.reason = reason
        nomination.ended_at = now
        nomination.save()
    if freed:
        Placement.objects.filter(pk=placement.pk).update(filled_slots=F("filled_slots") - freed)
        placement.refresh_from_db(fields=["filled_slots"])
    return sorted(colleges)


def has_started_interns(placement: Placement) -> bool:
    return Nomination.objects.filter(
        placement_id=placement.pk, status=NominationStatus.STARTED
    ).exists()
