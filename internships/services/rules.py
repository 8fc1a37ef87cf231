"""The transition tables and who may do what: read by services, pages and the API."""

from __future__ import annotations

from accounts.models import Organization, OrganizationKind
from portal import access
from portal.roles import Role

from ..models import (
    EvaluatorRole,
    Nomination,
    NominationStatus,
    Placement,
    PlacementStatus,
    PracticeBase,
    PracticeBaseStatus,
    Student,
)

PRACTICE_BASE_TRANSITIONS: dict[str, frozenset[str]] = {
    PracticeBaseStatus.PROPOSED: frozenset({PracticeBaseStatus.ACTIVE, PracticeBaseStatus.CLOSED}),
    PracticeBaseStatus.ACTIVE: frozenset({PracticeBaseStatus.SUSPENDED, PracticeBaseStatus.CLOSED}),
    PracticeBaseStatus.SUSPENDED: frozenset({PracticeBaseStatus.ACTIVE, PracticeBaseStatus.CLOSED}),
    PracticeBaseStatus.CLOSED: frozenset(),
}

PLACEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    PlacementStatus.DRAFT: frozenset({PlacementStatus.PUBLISHED, PlacementStatus.CANCELLED}),
    PlacementStatus.PUBLISHED: frozenset({PlacementStatus.CLOSED, PlacementStatus.CANCELLED}),
    PlacementStatus.CLOSED: frozenset(),
    PlacementStatus.CANCELLED: frozenset(),
}
# A placement's terms change only while it is a draft: colleges nominate against what
# was published.
EDITABLE_PLACEMENT_STATUSES = frozenset({PlacementStatus.DRAFT})

PRACTICE_BASE_FIELDS = (
    "name",
    "address",
    "specialties",
    "stations",
    "safety_officer_name",
    "safety_officer_phone",
    "agreement",
    "description",
)
PLACEMENT_FIELDS = (
    "title",
    "internship_type",
    "practice_base",
    "specialties",
    "slots",
    "city",
    "address",
    "start_date",
    "end_date",
    "hours_per_day",
    "days_per_week",
    "night_shifts",
    "overtime",
    "monthly_pay",
    "regular_wage",
    "pay_cycle_days",
    "student_fee",
    "insurance_paid_by",
    "venue_kind",
    "via_agency",
    "guide_name",
    "guide_title",
    "guide_phone",
    "host_staff_count",
    "same_post_staff_count",
    "open_to",
    "description",
)
BASE_HOST_KINDS = frozenset({OrganizationKind.ENTERPRISE, OrganizationKind.COLLEGE})


def _acts_for(user, organization_id: int, roles=access.WRITE_ROLES) -> bool:
    return user.is_superuser or organization_id in access.organization_ids(user, roles)


# --- practice bases ----------------------------------------------------------------


def can_create_base_for(user, host: Organization) -> bool:
    return _acts_for(user, host.pk)


def can_edit_base(user, base: PracticeBase) -> bool:
    """Admins and staff of the host or of a college it serves."""
    return access.can_change(user, base)


def can_move_base(user, base: PracticeBase) -> bool:
    """Only the host's admins activate, suspend or close a base."""
    return _acts_for(user, base.host_id, {Role.ADMIN})


def practice_base_actions(user, base: PracticeBase) -> set[str]:
    """``edit`` (host or college admins and staff, until closed) and the status verbs
    ``activate`` / ``suspend`` / ``close`` the table allows (host admins)."""
    actions: set[str] = set()
    if base.status != PracticeBaseStatus.CLOSED and can_edit_base(user, base):
        actions.add("edit")
    if can_move_base(user, base):
        verbs = {
            PracticeBaseStatus.ACTIVE: "activate",
            PracticeBaseStatus.SUSPENDED: "suspend",
            PracticeBaseStatus.CLOSED: "close",
        }
        actions |= {verbs[target] for target in PRACTICE_BASE_TRANSITIONS[base.status]}
    return actions


BASE_VERB_STATUS = {
    "activate": PracticeBaseStatus.ACTIVE,
    "suspend": PracticeBaseStatus.SUSPENDED,
    "close": PracticeBaseStatus.CLOSED,
}


# --- placements --------------------------------------------------------------------


def can_post_for(user, host: Organization) -> bool:
    """Admins and staff of an enterprise post its placements."""
    return host.kind == OrganizationKind.ENTERPRISE and _acts_for(user, host.pk)


def can_change_placement(user, placement: Placement) -> bool:
    return _acts_for(user, placement.host_id)


def placement_actions(user, placement: Placement) -> set[str]:
    """What the user may do now: ``edit`` a draft, ``publish`` it, ``close`` a published
    one, ``cancel`` either (the host's admins and staff)."""
    if not can_change_placement(user, placement):
        return set()
    allowed = PLACEMENT_TRANSITIONS[placement.status]
    actions = set()
    if placement.status in EDITABLE_PLACEMENT_STATUSES:
        actions.add("edit")
    if PlacementStatus.PUBLISHED in allowed:
        actions.add("publish")
    if PlacementStatus.CLOSED in allowed:
        actions.add("close")
    if PlacementStatus.CANCELLED in allowed:
        actions.add("cancel")
    return actions


# --- students ----------------------------------------------------------------------

STUDENT_FIELDS = (
    "student_number",
    "name",
    "specialty",
    "class_name",
    "enrolment_year",
    "date_of_birth",
    "phone",
    "email",
    "guardian_name",
    "guardian_phone",
    "status",
)


def student_colleges(user, roles=access.WRITE_ROLES) -> set[int]:
    """The colleges whose students the user keeps (admins and staff, by default)."""
    return access.organization_ids(user, roles, kinds={OrganizationKind.COLLEGE})


def can_keep_students_for(user, college: Organization) -> bool:
    """Admins and staff of a college create and change its students."""
    return college.kind == OrganizationKind.COLLEGE and _acts_for(user, college.pk)


def can_change_student(user, student: Student) -> bool:
    return _acts_for(user, student.college_id)


def sees_personal_details(user, student: Student) -> bool:
    """Only members of the student's own college (any role) see the personal details;
    government oversight and everyone else do not. No query: memberships are cached."""
    return bool(getattr(user, "is_superuser", False)) or student.college_id in (
        access.organization_ids(user)
    )


# What a host enterprise sees of a student nominated to its placements: enough to
# know whom it is choosing (the number tells two of the same name apart), nothing of
# the college's own record (class, status, history) or the personal details.
HOST_HIDDEN_STUDENT_FIELDS = ("class_name", "status")


def sees_student_record(user, student: Student) -> bool:
    """The student's own college and government oversight see the college's record;
    a host sees only a nominated student's name, number, specialty, year and college."""
    return access.sees_everything(user) or student.college_id in access.organization_ids(user)


def student_actions(user, student: Student) -> set[str]:
    """``edit``, for the college's admins and staff."""
    return {"edit"} if can_change_student(user, student) else set()


# --- nominations -------------------------------------------------------------------

N = NominationStatus
NOMINATION_TRANSITIONS: dict[str, frozenset[str]] = {
    N.NOMINATED: frozenset({N.SHORTLISTED, N.OFFERED, N.REJECTED, N.WITHDRAWN}),
    N.SHORTLISTED: frozenset({N.OFFERED, N.REJECTED, N.WITHDRAWN}),
    N.OFFERED: frozenset({N.ACCEPTED, N.DECLINED, N.REJECTED, N.WITHDRAWN}),
    N.ACCEPTED: frozenset({N.STARTED, N.REJECTED, N.WITHDRAWN}),
    N.STARTED: frozenset({N.COMPLETED}),
    N.COMPLETED: frozenset(),
    N.DECLINED: frozenset(),
    N.REJECTED: frozenset(),
    N.WITHDRAWN: frozenset(),
}

# Each verb: the status it moves to and whose step it is ("host": the enterprise's
# admins and staff; "college": the nominating college's; "either").
NOMINATION_VERBS: dict[str, tuple[str, str]] = {
    "shortlist": (N.SHORTLISTED, "host"),
    "offer": (N.OFFERED, "host"),
    "reject": (N.REJECTED, "host"),
    "withdraw": (N.WITHDRAWN, "college"),
    "accept": (N.ACCEPTED, "college"),
    "decline": (N.DECLINED, "college"),
    "start": (N.STARTED, "college"),
    "complete": (N.COMPLETED, "either"),
}
# Gates and evaluations are recorded in these statuses.
GATE_STATUSES = frozenset({N.OFFERED, N.ACCEPTED})
EVALUATION_STATUSES = frozenset({N.STARTED})
GATE_FIELDS = (
    "tripartite_signed_on",
    "tripartite_scan",
    "guardian_consent",
    "insurer",
    "policy_number",
    "policy_start",
    "policy_end",
    "policy_paid_by",
    "tracking_teacher_name",
    "tracking_teacher_phone",
    "guide_name",
)


def nominating_colleges(user) -> set[int]:
    """The colleges whose students the user may nominate (admins and staff)."""
    return student_colleges(user)


def is_host_side(user, nomination: Nomination) -> bool:
    return _acts_for(user, nomination.placement.host_id)


def is_college_side(user, nomination: Nomination) -> bool:
    return _acts_for(user, nomination.college_id)


def may_take_step(user, nomination: Nomination, side: str) -> bool:
    if side == "host":
        return is_host_side(user, nomination)
    if side == "college":
        return is_college_side(user, nomination)
    return is_host_side(user, nomination) or is_college_side(user, nomination)


def can_evaluate(user, nomination: Nomination, role: str) -> bool:
    """The guide's evaluation is the host's to record, the teacher's the college's."""
    if role == EvaluatorRole.GUIDE:
        return is_host_side(user, nomination)
    return is_college_side(user, nomination)


def nomination_actions(user, nomination: Nomination) -> set[str]:
    """The verbs the user may take now (``NOMINATION_VERBS``), plus ``gates`` while the
    gates can be recorded and ``evaluate_guide`` / ``evaluate_teacher`` while started."""
    allowed = NOMINATION_TRANSITIONS[nomination.status]
    actions = {
        verb
        for verb, (target, side) in NOMINATION_VERBS.items()
        if target in allowed and may_take_step(user, nomination, side)
    }
    if nomination.status in GATE_STATUSES and may_take_step(user, nomination, "either"):
        actions.add("gates")
    if nomination.status in EVALUATION_STATUSES:
        for role in EvaluatorRole:
            if can_evaluate(user, nomination, role):
                actions.add(f"evaluate_{role}")
    return actions
