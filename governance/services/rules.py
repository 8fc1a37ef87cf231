"""Governance transition tables and who may do what: read by services, pages and the
API.

The body's organization's admins (for a partnership's body, the lead organization's
admins) manage its boards, meetings and resolutions; a seated board member who is a
portal user votes."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from portal import access
from portal.roles import Role

from ..models import (
    AttendanceStatus,
    Board,
    BoardMember,
    Meeting,
    MeetingStatus,
    Resolution,
    ResolutionKind,
    ResolutionStatus,
    Threshold,
    VersionStatus,
    Vote,
)
from ..models.bodies import BodyRecord

VERSION_TRANSITIONS: dict[str, frozenset[str]] = {
    VersionStatus.DRAFT: frozenset({VersionStatus.PROPOSED, VersionStatus.WITHDRAWN}),
    VersionStatus.PROPOSED: frozenset(
        {VersionStatus.DRAFT, VersionStatus.ADOPTED, VersionStatus.WITHDRAWN}
    ),
    # Superseded at once when a later version is already in force (overtaken).
    VersionStatus.ADOPTED: frozenset({VersionStatus.IN_FORCE, VersionStatus.SUPERSEDED}),
    VersionStatus.IN_FORCE: frozenset({VersionStatus.SUPERSEDED}),
    VersionStatus.SUPERSEDED: frozenset(),
    VersionStatus.WITHDRAWN: frozenset(),
}

MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.SCHEDULED: frozenset({MeetingStatus.HELD, MeetingStatus.CANCELLED}),
    MeetingStatus.HELD: frozenset(),
    MeetingStatus.CANCELLED: frozenset(),
}

RESOLUTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ResolutionStatus.DRAFT: frozenset({ResolutionStatus.VOTING, ResolutionStatus.WITHDRAWN}),
    ResolutionStatus.VOTING: frozenset(
        {ResolutionStatus.PASSED, ResolutionStatus.FAILED, ResolutionStatus.WITHDRAWN}
    ),
    ResolutionStatus.PASSED: frozenset(),
    ResolutionStatus.FAILED: frozenset(),
    ResolutionStatus.WITHDRAWN: frozenset(),
}

# The threshold each kind of resolution needs (fixed when voting opens).
KIND_THRESHOLDS: dict[str, str] = {
    ResolutionKind.ORDINARY: Threshold.VOTES_CAST,
    ResolutionKind.BUDGET: Threshold.MEMBERS,
    ResolutionKind.PLAN: Threshold.MEMBERS,
    ResolutionKind.APPOINTMENT: Threshold.MEMBERS,
    ResolutionKind.ARTICLE_AMENDMENT: Threshold.TWO_THIRDS,
}

BOARD_FIELDS = ("name", "kind", "powers", "term_years", "quorum_percent", "description")
MEMBER_FIELDS = (
    "user",
    "name",
    "represents",
    "constituency",
    "position",
    "term_start",
    "term_end",
)
MEETING_FIELDS = ("title", "kind", "starts_at", "place", "link", "agenda")
RESOLUTION_FIELDS = ("title", "text", "kind", "meeting", "article_version", "voting_closes_at")


def threshold_for(kind: str) -> str:
    return KIND_THRESHOLDS[kind]


def admin_organization_id(record: BodyRecord) -> int:
    """The organization whose admins manage the body's records: the college (or other
    organization) itself, or the partnership's lead."""
    if record.organization_id:
        return record.organization_id
    return record.partnership.lead_id


def body_admins(record: BodyRecord):
    """The people who manage the body's records: whom to tell of what needs doing."""
    return User.objects.acting_for([admin_organization_id(record)], roles={Role.ADMIN})


def can_manage_body(user, record: BodyRecord) -> bool:
    """The body's organization's admins (for a partnership, the lead's), or a
    superuser. ``record`` is a board or the articles (anything with the body)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return admin_organization_id(record) in access.organization_ids(user, {Role.ADMIN})


def board_member_for(user, board: Board, on: date | None = None) -> BoardMember | None:
    """The user's seat on the board, if they are seated on the day (today by default)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return BoardMember.objects.seated(on).filter(board_id=board.pk, user_id=user.pk).first()


def voting_day(resolution: Resolution) -> date:
    """The day whose seated members vote: the meeting's, or today for a written
    resolution."""
    if resolution.meeting_id:
        return timezone.localdate(resolution.meeting.starts_at)
    return timezone.localdate()


def votable_members(user, resolution: Resolution) -> list[BoardMember]:
    """The seats the user may still vote for on the resolution now: their own (at a
    meeting, when attendance records them present) and, at a meeting, those whose
    proxy they hold. Empty unless voting is open."""
    if resolution.status != ResolutionStatus.VOTING:
        return []
    own = board_member_for(user, resolution.board, voting_day(resolution))
    if own is None:
        return []
    if resolution.meeting_id:
        rows = resolution.meeting.attendance.filter(
            Q(member_id=own.pk, status=AttendanceStatus.PRESENT)
            | Q(proxy_holder_id=own.pk, status=AttendanceStatus.PROXY)
        )
        candidates = [row.member for row in rows.select_related("member")]
    else:
        candidates = [own]
    voted = set(
        Vote.objects.filter(resolution_id=resolution.pk).values_list("member_id", flat=True)
    )
    # Their own seat first, then the proxies they hold by name.
    candidates.sort(key=lambda member: (member.pk != own.pk, member.name))
    return [member for member in candidates if member.pk not in voted]


def version_actions(user, version) -> set[str]:
    """The body's admins: ``edit`` a draft, and the steps the version's status allows
    (``propose``, ``reopen``, ``withdraw``)."""
    if not can_manage_body(user, version.document):
        return set()
    allowed = VERSION_TRANSITIONS[version.status]
    actions = set()
    if version.editable:
        actions.add("edit")
    if VersionStatus.PROPOSED in allowed:
        actions.add("propose")
    if VersionStatus.DRAFT in allowed:
        actions.add("reopen")
    if VersionStatus.WITHDRAWN in allowed:
        actions.add("withdraw")
    return actions


def sees_votes(user, resolution: Resolution) -> bool:
    """Votes by name are the board's and government's to read: the body's admins, the
    board's members (a seat, past or present) and government."""
    if access.sees_everything(user) or can_manage_body(user, resolution.board):
        return True
    return BoardMember.objects.filter(board_id=resolution.board_id, user_id=user.pk).exists()


def board_actions(user, board: Board) -> set[str]:
    """``edit``, ``add_member``, ``schedule_meeting`` and ``draft_resolution``: the
    body's admins."""
    if not can_manage_body(user, board):
        return set()
    return {"edit", "add_member", "schedule_meeting", "draft_resolution"}


def meeting_actions(user, meeting: Meeting) -> set[str]:
    """The body's admins: ``edit``, ``hold`` and ``cancel`` a scheduled meeting;
    ``record_attendance`` until the minutes are approved; ``record_minutes`` and
    ``approve_minutes`` once it is held."""
    if not can_manage_body(user, meeting.board):
        return set()
    actions: set[str] = set()
    if meeting.status == MeetingStatus.SCHEDULED:
        actions |= {"edit", "cancel", "record_attendance"}
        if meeting.starts_at <= timezone.now():
            actions.add("hold")
    elif meeting.status == MeetingStatus.HELD and meeting.minutes_approved_at is None:
        actions |= {"record_attendance", "record_minutes"}
        if meeting.minutes.strip():
            actions.add("approve_minutes")
    return actions


def resolution_actions(user, resolution: Resolution) -> set[str]:
    """The body's admins: ``edit``, ``open_voting`` and ``withdraw`` a draft;
    ``close_voting`` and ``withdraw`` while voting. A seated member: ``vote`` while
    there is a seat they may still vote for (``votable_members``)."""
    actions: set[str] = set()
    if can_manage_body(user, resolution.board):
        allowed = RESOLUTION_TRANSITIONS[resolution.status]
        if resolution.status == ResolutionStatus.DRAFT:
            actions.add("edit")
        if ResolutionStatus.VOTING in allowed:
            actions.add("open_voting")
        if ResolutionStatus.PASSED in allowed:
            actions.add("close_voting")
        if ResolutionStatus.WITHDRAWN in allowed:
            actions.add("withdraw")
    if votable_members(user, resolution):
        actions.add("vote")
    return actions
