"""The transition tables and who may do what: read by services, pages and the API."""

from __future__ import annotations

from accounts.models import Organization, OrganizationKind
from portal import access
from portal.roles import Role

from ..models import Placement, PlacementStatus, PracticeBase, PracticeBaseStatus, Student

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
    return {
        grant.organization_id
        for grant in access.grants(user).values()
        if grant.kind == OrganizationKind.COLLEGE and grant.role in roles
    }


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


def student_actions(user, student: Student) -> set[str]:
    """``edit``, for the college's admins and staff."""
    return {"edit"} if can_change_student(user, student) else set()
