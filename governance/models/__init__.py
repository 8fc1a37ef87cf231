"""Governance: a body's articles of association in versions, its boards with seats by
constituency, their meetings, resolutions and votes. One module per part; everything is
importable from here."""

from .articles import (
    ARTICLE_TEXT,
    FIXED_STATUSES,
    MAX_ARTICLES,
    Article,
    Articles,
    ArticleVersion,
    VersionStatus,
)
from .boards import (
    DEFAULT_TERM_YEARS,
    Board,
    BoardKind,
    BoardMember,
    BoardPowers,
    BoardSeat,
    Constituency,
    Position,
)
from .bodies import BODY_PATHS
from .meetings import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Resolution,
    ResolutionKind,
    ResolutionStatus,
    Threshold,
    Vote,
    VoteChoice,
)

__all__ = [
    "ARTICLE_TEXT",
    "BODY_PATHS",
    "DEFAULT_TERM_YEARS",
    "FIXED_STATUSES",
    "MAX_ARTICLES",
    "Article",
    "ArticleVersion",
    "Articles",
    "Attendance",
    "AttendanceStatus",
    "Board",
    "BoardKind",
    "BoardMember",
    "BoardPowers",
    "BoardSeat",
    "Constituency",
    "Meeting",
    "MeetingKind",
    "MeetingStatus",
    "Position",
    "Resolution",
    "ResolutionKind",
    "ResolutionStatus",
    "Threshold",
    "VersionStatus",
    "Vote",
    "VoteChoice",
]
