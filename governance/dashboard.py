"""What governance puts on the home page: votes open on the boards where the user holds a
seat, and the meetings they are invited to in the next two weeks."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import dashboard

from .models import BoardMember, Meeting, MeetingStatus, Resolution, ResolutionStatus, Vote

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
