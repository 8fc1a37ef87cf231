"""Records for the governance tests, made directly (the services are what is tested):
a college's council with every constituency open, members seated for a year, meetings
today, resolutions in any status, versions of the articles."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.models import Organization
from governance.models import (
    Articles,
    ArticleVersion,
    Attendance,
    AttendanceStatus,
    Board,
    BoardKind,
    BoardMember,
    BoardSeat,
    Constituency,
    Meeting,
    Resolution,
    VersionStatus,
)
from governance.services.rules import threshold_for
from tests.factories import UserFactory

TODAY = timezone.localdate()
TERM_START = TODAY - timedelta(days=365)
OPEN_SEATS = {constituency: (0, 40) for constituency in Constituency.values}


def make_board(body, *, seats=None, name="Riverside council", **fields) -> Board:
    """A board of an organization (or a partnership) with ``seats`` by constituency
    (every constituency, up to 40, unless told)."""
    where = {"organization": body} if isinstance(body, Organization) else {"partnership": body}
    fields.setdefault("kind", BoardKind.COUNCIL)
    board = Board.objects.create(name=name, **where, **fields)
    for constituency, (minimum, maximum) in (seats or OPEN_SEATS).items():
        BoardSeat.objects.create(
            board=board, constituency=constituency, minimum=minimum, maximum=maximum
        )
    return board


def seat(
    board: Board,
    user=None,
    *,
    name: str = "",
    constituency: str = Constituency.TEACHERS,
    start: date = TERM_START,
    years: int = 5,
    **fields,
) -> BoardMember:
    """A member seated on the board since ``start`` for ``years``."""
    return BoardMember.objects.create(
        board=board,
        user=user,
        name=name or (user.username if user else "Outside member"),
        constituency=constituency,
        term_start=start,
        term_end=start + relativedelta(years=years),
        **fields,
    )


def seat_many(board: Board, count: int, *, users: bool = True, prefix: str = "m", **fields):
    """``count`` members, each a new portal user unless ``users`` is false."""
    return [
        seat(
            board,
            UserFactory(username=f"{prefix}{board.pk}_{index}") if users else None,
            name=f"{prefix}{index}",
            **fields,
        )
        for index in range(count)
    ]


def at(day: date, hour: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def make_meeting(board: Board, *, day: date = TODAY, hour: int = 0, **fields) -> Meeting:
    fields.setdefault("title", "Plenary session")
    fields.setdefault("place", "Hall A")
    return Meeting.objects.create(board=board, starts_at=at(day, hour), **fields)


def attend(meeting: Meeting, members, status=AttendanceStatus.PRESENT, holder=None) -> None:
    for member in members:
        Attendance.objects.create(
            meeting=meeting, member=member, status=status, proxy_holder=holder
        )


def make_resolution(board: Board, *, status: str = "draft", **fields) -> Resolution:
    """A resolution; one in voting (or later) has its threshold fixed as opening would."""
    fields.setdefault("title", "Approve the annual plan")
    fields.setdefault("text", "The council approves the plan.")
    fields.setdefault("kind", "ordinary")
    if status != "draft":
        fields.setdefault("threshold", threshold_for(fields["kind"]))
        fields.setdefault("opened_at", timezone.now())
    return Resolution.objects.create(board=board, status=status, **fields)


def make_articles(body, title: str = "Articles of Riverside") -> Articles:
    where = {"organization": body} if isinstance(body, Organization) else {"partnership": body}
    return Articles.objects.create(title=title, **where)


def make_version(document: Articles, number: int, status=VersionStatus.PROPOSED, **fields):
    if status in (VersionStatus.ADOPTED, VersionStatus.IN_FORCE, VersionStatus.SUPERSEDED):
        fields.setdefault("adopted_at", timezone.now())
        fields.setdefault("in_force_from", TODAY - timedelta(days=400))
    return ArticleVersion.objects.create(document=document, number=number, status=status, **fields)
