"""What governance puts on the home page: votes open on the boards where the user holds a
seat, and the meetings they are invited to in the next two weeks; for a body's admins,
the minutes waiting for their approval and the boards out of line with their rules.

Each list is one query, capped at SHOWN, however many records there are."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import access, dashboard
from portal.roles import Role

from .models import (
    Board,
    BoardMember,
    Meeting,
    MeetingStatus,
    Resolution,
    ResolutionStatus,
    Vote,
)
from .services.boards import with_warning_count

SHOWN = 20
MEETINGS_AHEAD_DAYS = 14


def _seated_boards(user):
    return BoardMember.objects.seated().filter(user_id=user.pk).values("board_id")


@dashboard.waiting_on
def votes_open_for_you(user) -> list[dashboard.WaitingItem]:
    """Resolutions being voted on by boards where the user holds a seat, not yet voted
    for that seat. One query."""
    if not getattr(user, "is_authenticated", False):
        return []
    voted = Vote.objects.filter(resolution_id=OuterRef("pk"), member__user_id=user.pk)
    open_votes = (
        Resolution.objects.filter(status=ResolutionStatus.VOTING, board_id__in=_seated_boards(user))
        .exclude(Exists(voted))
        .select_related("board")
        .order_by("voting_closes_at", "pk")[:SHOWN]
    )
    return [
        dashboard.WaitingItem(
            label=_("Vote on “%(title)s” (%(board)s)")
            % {"title": resolution.title, "board": resolution.board.name},
            url=resolution.get_absolute_url(),
            category=_("Votes open for you"),
            due=timezone.localdate(resolution.voting_closes_at)
            if resolution.voting_closes_at
            else None,
        )
        for resolution in open_votes
    ]


@dashboard.waiting_on
def meetings_you_are_invited_to(user) -> list[dashboard.WaitingItem]:
    """Scheduled meetings in the next two weeks of boards where the user holds a seat.
    One query."""
    if not getattr(user, "is_authenticated", False):
        return []
    now = timezone.now()
    meetings = (
        Meeting.objects.filter(
            status=MeetingStatus.SCHEDULED,
            board_id__in=_seated_boards(user),
            starts_at__gte=now,
            starts_at__lte=now + timedelta(days=MEETINGS_AHEAD_DAYS),
        )
        .select_related("board")
        .order_by("starts_at", "pk")[:SHOWN]
    )
    return [
        dashboard.WaitingItem(
            label=_("Meeting “%(title)s” of %(board)s")
            % {"title": meeting.title, "board": meeting.board.name},
            url=meeting.get_absolute_url(),
            category=_("Meetings you are invited to"),
            due=timezone.localdate(meeting.starts_at),
        )
        for meeting in meetings
    ]


def _managed_boards(user) -> Q:
    """The boards whose body the user administers (``can_manage_body``): an
    organization they are admin of, or a partnership led by one. A superuser without
    such a membership is not asked to act on every body's boards."""
    admin_of = access.organization_ids(user, {Role.ADMIN})
    if not admin_of:
        return Q(pk__in=[])
    return Q(organization_id__in=admin_of) | Q(partnership__lead_id__in=admin_of)


@dashboard.waiting_on
def minutes_to_approve(user) -> list[dashboard.WaitingItem]:
    """Held meetings whose minutes are written but not yet approved, for the body's
    admins (who approve them). One query."""
    if not access.organization_ids(user, {Role.ADMIN}):
        return []
    meetings = (
        Meeting.objects.filter(
            status=MeetingStatus.HELD,
            minutes_approved_at__isnull=True,
            board__in=Board.objects.filter(_managed_boards(user)),
        )
        .exclude(minutes="")  # the service stores them stripped
        .select_related("board")
        .order_by("starts_at", "pk")[:SHOWN]
    )
    return [
        dashboard.WaitingItem(
            label=_("Approve the minutes of “%(title)s” (%(board)s, %(date)s)")
            % {
                "title": meeting.title,
                "board": meeting.board.name,
                "date": timezone.localdate(meeting.starts_at).isoformat(),
            },
            url=meeting.get_absolute_url(),
            category=_("Minutes to approve"),
        )
        for meeting in meetings
    ]


@dashboard.waiting_on
def boards_out_of_line(user) -> list[dashboard.WaitingItem]:
    """The boards the user administers that the board page warns about (fewer members
    than the rules ask, no enterprise seat, long terms, no plenary this year, a
    constituency under its minimum). The checks run in SQL: one query."""
    if not access.organization_ids(user, {Role.ADMIN}):
        return []
    boards = (
        with_warning_count(Board.objects.filter(_managed_boards(user)))
        .filter(warning_count__gt=0)
        .order_by("name", "pk")[:SHOWN]
    )
    return [
        dashboard.WaitingItem(
            label=ngettext(
                "%(board)s: %(count)d warning about its composition or meetings",
                "%(board)s: %(count)d warnings about its composition or meetings",
                board.warning_count,
            )
            % {"board": board.name, "count": board.warning_count},
            url=board.get_absolute_url(),
            category=_("Boards out of line with their rules"),
        )
        for board in boards
    ]
