"""Meetings of a board: scheduled, then held or cancelled; attendance (present, by
proxy, absent) and minutes; and the quorum, computed from attendance.

Locks, in the portal's order: the meeting row alone (its board is read, not locked).
Attendance is written under the meeting's lock, so two people recording it at once
queue and the second sees the first's rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from portal import access
from portal.notifications import notify
from portal.workflow import InvalidTransition, check_transition, lock_row

from ..models import (
    Attendance,
    AttendanceStatus,
    Board,
    BoardMember,
    Meeting,
    MeetingStatus,
    ResolutionStatus,
)
from .rules import MEETING_FIELDS, MEETING_TRANSITIONS, body_admins, can_manage_body

LABEL = gettext_lazy("A meeting")


def meeting_day(meeting: Meeting) -> date:
    return timezone.localdate(meeting.starts_at)


def seated_on(board: Board, day: date):
    return BoardMember.objects.seated(day).filter(board_id=board.pk)


def invited(meeting: Meeting):
    """The portal users among the members seated on the meeting's day."""
    return User.objects.filter(
        board_seats__in=seated_on(meeting.board, meeting_day(meeting)), is_active=True
    ).distinct()


def _require_manager(actor, board: Board) -> None:
    access.require(
        can_manage_body(actor, board),
        _("Only the body's admins manage its boards, meetings and resolutions."),
    )


def _lock(meeting: Meeting) -> Meeting:
    return lock_row(Meeting, meeting.pk, "board", "board__partnership")


def _tell_invited(meeting: Meeting, template, body: str = "") -> None:
    notify(
        recipients=invited(meeting),
        title=format_lazy(
            template,
            title=meeting.title,
            board=meeting.board.name,
            when=timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
        ),
        body=body,
        url=meeting.get_absolute_url(),
    )


def _check_place(meeting: Meeting) -> None:
    if not meeting.place.strip() and not meeting.link.strip():
        raise ValidationError({"place": _("Give a place or an online link.")})


@transaction.atomic
def meeting_schedule(*, actor, board: Board, **fields) -> Meeting:
    """Schedule a meeting of the board (the body's admins), at a place or an online
    link; the members seated on its day who are portal users are invited (told)."""
    _require_manager(actor, board)
    meeting = Meeting(board=board, **{key: fields[key] for key in MEETING_FIELDS if key in fields})
    meeting.full_clean(exclude=["board"])
    _check_place(meeting)
    meeting.save()
    _tell_invited(
        meeting, gettext_lazy("Invitation: {title} ({board}), {when}"), body=meeting.agenda
    )
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **fields) -> Meeting:
    """Change a scheduled meeting; the invited are told when its time or place moves."""
    meeting = _lock(meeting)
    _require_manager(actor, meeting.board)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise InvalidTransition(
            _("Only a scheduled meeting can change; this one is %(status)s.")
            % {"status": meeting.get_status_display()}
        )
    before = (meeting.starts_at, meeting.place, meeting.link)
    for key in MEETING_FIELDS:
        if key in fields:
            setattr(meeting, key, fields[key])
    meeting.full_clean(exclude=["board"])
    _check_place(meeting)
    meeting.save()
    if (meeting.starts_at, meeting.place, meeting.link) != before:
        _tell_invited(meeting, gettext_lazy("Moved: {title} ({board}) is now {when}"))
    return meeting


@transaction.atomic
def meeting_hold(*, actor, meeting: Meeting) -> Meeting:
    """Scheduled → held, once it has started."""
    meeting = _lock(meeting)
    _require_manager(actor, meeting.board)
    check_transition(
        meeting.status, MeetingStatus.HELD, MEETING_TRANSITIONS, label=LABEL, choices=MeetingStatus
    )
    if meeting.starts_at > timezone.now():
        raise ValidationError({"starts_at": _("A meeting is held once it has started.")})
    meeting.status = MeetingStatus.HELD
    meeting.save()
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """Scheduled → cancelled, with a reason; the invited are told."""
    meeting = _lock(meeting)
    _require_manager(actor, meeting.board)
    check_transition(
        meeting.status,
        MeetingStatus.CANCELLED,
        MEETING_TRANSITIONS,
        label=LABEL,
        choices=MeetingStatus,
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"cancel_reason": _("Say why.")})
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason
    meeting.full_clean(exclude=["board"])
    meeting.save()
    _tell_invited(meeting, gettext_lazy("Cancelled: {title} ({board}), {when}"), body=reason)
    return meeting


def _require_open_record(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise InvalidTransition(_("This meeting was cancelled."))
    if meeting.minutes_approved_at is not None:
        raise InvalidTransition(_("The minutes are approved; the record of this meeting is fixed."))


@transaction.atomic
def meeting_record_attendance(
    *, actor, meeting: Meeting, rows: Iterable[Mapping]
) -> list[Attendance]:
    """Record who attended, all rows or none: each row is ``member``, ``status``
    (present, proxy, absent) and, for a proxy, ``proxy_holder``. Only members seated on
    the meeting's day; a proxy is held by another seated member of the board who is
    present (after these rows). Rows replace what was recorded for their members.
    Allowed until the minutes are approved (not on a cancelled meeting)."""
    meeting = _lock(meeting)
    _require_manager(actor, meeting.board)
    _require_open_record(meeting)
    voted = meeting.resolutions.filter(
        status__in=(ResolutionStatus.VOTING, ResolutionStatus.PASSED, ResolutionStatus.FAILED)
    )
    if voted.exists():
        # Votes are counted against the attendance: once voting opens it is fixed
        # (opening takes the meeting's lock too, so the two cannot cross).
        raise InvalidTransition(
            _("Voting has opened on a resolution at this meeting: its attendance is fixed.")
        )
    seated = {member.pk: member for member in seated_on(meeting.board, meeting_day(meeting))}
    final = {row.member_id: row for row in Attendance.objects.filter(meeting=meeting)}
    errors: list[str] = []
    touched = []
    for row in rows:
        member, status = row.get("member"), row.get("status")
        holder = row.get("proxy_holder")
        if member is None or member.pk not in seated:
            errors.append(_("Only the members seated on the meeting's day attend."))
            continue
        if status not in AttendanceStatus.values:
            errors.append(_("%(name)s: choose present, by proxy or absent.") % {"name": member})
            continue
        record = final.get(member.pk) or Attendance(meeting=meeting, member_id=member.pk)
        record.status = status
        by_proxy = holder is not None and status == AttendanceStatus.PROXY
        record.proxy_holder_id = holder.pk if by_proxy else None
        final[member.pk] = record
        touched.append(record)
    for record in final.values():
        if record.status != AttendanceStatus.PROXY:
            continue
        name = seated.get(record.member_id, record.member_id)
        holder = final.get(record.proxy_holder_id)
        if record.proxy_holder_id is None:
            errors.append(_("%(name)s: name the member who holds the proxy.") % {"name": name})
        elif record.proxy_holder_id == record.member_id:
            errors.append(_("%(name)s cannot hold their own proxy.") % {"name": name})
        elif record.proxy_holder_id not in seated:
            errors.append(
                _("%(name)s: the proxy holder must be a seated member of this board.")
                % {"name": name}
            )
        elif holder is None or holder.status != AttendanceStatus.PRESENT:
            errors.append(
                _("%(name)s: the proxy holder, %(holder)s, must be present.")
                % {"name": name, "holder": seated[record.proxy_holder_id]}
            )
    if errors:
        raise ValidationError({"attendance": errors})
    for record in touched:
        record.save()
    return touched


@dataclass(frozen=True)
class Quorum:
    """Attendance against the board's rule: more than ``percent`` % of the seated
    members attend (present or by proxy, each member once); for an amendment of the
    articles also at least two thirds."""

    seated: int
    present: int
    by_proxy: int
    percent: int
    two_thirds: bool

    @property
    def attending(self) -> int:
        return self.present + self.by_proxy

    @property
    def met(self) -> bool:
        # Integers only: 50 % needs strictly more than half, two thirds exactly two thirds.
        if self.seated == 0:
            return False
        share = self.attending * 100 > self.seated * self.percent
        if self.two_thirds:
            return share and self.attending * 3 >= self.seated * 2
        return share


def quorum(meeting: Meeting, *, two_thirds: bool = False) -> Quorum:
    """The meeting's quorum, live from its attendance (two queries): members seated on
    its day, and those of them present or represented by proxy. Each member counts
    once, whoever holds their proxy. ``two_thirds`` for an amendment of the articles,
    whose quorum is also at least two thirds of the seated members."""
    day = meeting_day(meeting)
    seated = seated_on(meeting.board, day)
    counts = Attendance.objects.filter(meeting_id=meeting.pk, member__in=seated).aggregate(
        present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
        by_proxy=Count("pk", filter=Q(status=AttendanceStatus.PROXY)),
    )
    return Quorum(
        seated=seated.count(),
        present=counts["present"],
        by_proxy=counts["by_proxy"],
        percent=meeting.board.quorum_percent,
        two_thirds=two_thirds,
    )


@transaction.atomic
def meeting_record_minutes(*, actor, meeting: Meeting, minutes: str) -> Meeting:
    """Write the minutes of a held meeting, until they are approved; the body's admins
    are told that minutes wait for approval."""
    meeting = _lock(meeting)
    _require_manager(actor, meeting.board)
    _require_open_record(meeting)
    if meeting.status != MeetingStatus.HELD:
        raise InvalidTransition(_("Minutes are written once the meeting is held."))
    meeting.minutes = (minutes or "").strip()
    meeting.full_clean(exclude=["board"])
    meeting.save()
    notify(
        recipients=body_admins(meeting.board).exclude(pk=actor.pk),
        title=format_lazy(gettext_lazy("Minutes to approve: {title}"), title=meeting.title),
        url=meeting.get_absolute_url(),
    )
    return meeting


@transaction.atomic
def meeting_approve_minutes(*, actor, meeting: Meeting) -> Meeting:
    """Approve the minutes of a held meeting (the body's admins); the meeting's record
    (attendance, minutes) is then fixed, and the invited are told."""
    meeting = _lock(meeting)
    _require_manager(actor, meeting.board)
    _require_open_record(meeting)
    if meeting.status != MeetingStatus.HELD:
        raise InvalidTransition(_("Minutes are approved once the meeting is held."))
    if not meeting.minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes first.")})
    meeting.minutes_approved_at = timezone.now()
    meeting.save()
    _tell_invited(meeting, gettext_lazy("Minutes approved: {title} ({board}), {when}"))
    return meeting
