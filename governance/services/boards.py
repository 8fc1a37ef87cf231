"""Boards and their members.

A board is set up with its seats by constituency; members are added to a seat of their
constituency. The maximum holds under a lock on the board row: every change to who sits
on a board locks the board first, then counts (the portal's order: board → board
member), so two additions for the last seat queue and the second is refused."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, OrganizationKind
from partnerships.models import Partnership
from portal import access
from portal.notifications import notify
from portal.workflow import InvalidTransition, lock_row

from ..models import (
    Board,
    BoardKind,
    BoardMember,
    BoardSeat,
    Constituency,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from .rules import BOARD_FIELDS, MEMBER_FIELDS, can_manage_body

# Seats given as {constituency: (minimum, maximum)}.
Seats = Mapping[str, tuple[int, int]]

# The benchmarks the board page warns against (for college councils they are the
# 2014 rules' own).
MIN_MEMBERS = 21
MAX_TERM_YEARS = 5
PLENARY_EVERY_MONTHS = 12
# Cited by its official title, in every language.
RULES_2014 = "《普通高等学校理事会规程（试行）》(2014)"


def term_end_for(board: Board, term_start: date) -> date:
    """The end of a full term starting on the day (Feb 29 falls back to Feb 28)."""
    return term_start + relativedelta(years=board.term_years)


# --- boards ---------------------------------------------------------------------------


def _require_body_admin(actor, record) -> None:
    access.require(
        can_manage_body(actor, record),
        _("Only the body's admins manage its boards, meetings and resolutions."),
    )


def _clean_seats(seats: Seats) -> list[BoardSeat]:
    rows, errors = [], []
    for constituency, (minimum, maximum) in seats.items():
        if constituency not in Constituency.values:
            errors.append(_("“%(value)s” is not a constituency.") % {"value": constituency})
            continue
        label = Constituency(constituency).label
        if maximum < 1 or minimum < 0:
            errors.append(_("%(c)s: at least one seat, and no negative minimum.") % {"c": label})
        elif minimum > maximum:
            errors.append(
                _("%(c)s: the minimum (%(min)d) is more than the maximum (%(max)d).")
                % {"c": label, "min": minimum, "max": maximum}
            )
        rows.append(BoardSeat(constituency=constituency, minimum=minimum, maximum=maximum))
    if errors:
        raise ValidationError({"seats": errors})
    return rows


@transaction.atomic
def board_create(
    *,
    actor,
    organization: Organization | None = None,
    partnership: Partnership | None = None,
    seats: Seats,
    **fields,
) -> Board:
    """Set up a board of a body (an organization, or a partnership) with its seats by
    constituency (``{constituency: (minimum, maximum)}``, minimum ≤ maximum): the
    body's admins."""
    board = Board(
        organization=organization,
        partnership=partnership,
        **{key: fields[key] for key in BOARD_FIELDS if key in fields},
    )
    if (organization is None) == (partnership is None):
        raise ValidationError({"organization": _("Choose a college or a partnership.")})
    _require_body_admin(actor, board)
    if not seats:
        raise ValidationError({"seats": _("Give the board its seats by constituency.")})
    rows = _clean_seats(seats)
    board.full_clean()
    board.save()
    for row in rows:
        row.board = board
    BoardSeat.objects.bulk_create(rows)
    return board


@transaction.atomic
def board_update(*, actor, board: Board, seats: Seats | None = None, **fields) -> Board:
    """Change the board's terms and, when ``seats`` is given, replace its seats. A
    constituency keeps a seat row while members sit in it, and its maximum never falls
    below the members seated there today (they would otherwise be over the limit)."""
    board = lock_row(Board, board.pk, "partnership")
    _require_body_admin(actor, board)
    for key in BOARD_FIELDS:
        if key in fields:
            setattr(board, key, fields[key])
    board.full_clean()
    board.save()
    if seats is not None:
        rows = _clean_seats(seats)
        wanted = {row.constituency: row for row in rows}
        filled = _peak_by_constituency(board)
        errors = []
        for constituency, count in filled.items():
            row = wanted.get(constituency)
            label = Constituency(constituency).label
            if count and row is None:
                errors.append(
                    _("%(c)s: %(n)d member(s) sit in this constituency; keep its seats.")
                    % {"c": label, "n": count}
                )
            elif row is not None and count > row.maximum:
                errors.append(
                    _(
                        "%(c)s: %(n)d member(s) sit at once, now or in terms to come, more "
                        "than a maximum of %(max)d."
                    )
                    % {"c": label, "n": count, "max": row.maximum}
                )
        if errors:
            raise ValidationError({"seats": errors})
        BoardSeat.objects.filter(board=board).exclude(constituency__in=wanted).delete()
        for row in rows:
            BoardSeat.objects.update_or_create(
                board=board,
                constituency=row.constituency,
                defaults={"minimum": row.minimum, "maximum": row.maximum},
            )
    return board


def seats_filled(board: Board, on: date | None = None) -> list[dict]:
    """Each constituency's seats: ``constituency``, ``label``, ``minimum``, ``maximum``
    and ``filled`` (members seated on the day, today by default), in one query."""
    day = on or timezone.localdate()
    seated = Q(
        board__members__constituency=F("constituency"),
        board__members__term_start__lte=day,
        board__members__term_end__gte=day,
        board__members__left_on__isnull=True,
    )
    rows = (
        BoardSeat.objects.filter(board_id=board.pk)
        .annotate(filled=Count("board__members", filter=seated))
        .order_by("constituency")
        .values("constituency", "minimum", "maximum", "filled")
    )
    return [{**row, "label": Constituency(row["constituency"]).label} for row in rows]


# --- members --------------------------------------------------------------------------


def _peak_by_constituency(board: Board) -> dict[str, int]:
    """For each constituency, the most members who sit at once from today on (those
    seated now and those whose terms are still to come): what a new maximum must hold.
    One query."""
    today = timezone.localdate()
    members = list(
        BoardMember.objects.filter(board_id=board.pk, left_on__isnull=True, term_end__gte=today)
    )
    by_constituency: dict[str, list[BoardMember]] = {}
    for member in members:
        by_constituency.setdefault(member.constituency, []).append(member)
    return {
        constituency: _peak_overlap(group, today, max(m.term_end for m in group))
        for constituency, group in by_constituency.items()
    }


def _peak_overlap(members: list[BoardMember], start: date, end: date) -> int:
    """How many of the members sit at once, at the busiest moment of [start, end]."""
    starts = {start} | {m.term_start for m in members if start <= m.term_start <= end}
    return max(
        (sum(1 for m in members if m.term_start <= day <= m.term_end) for day in starts),
        default=0,
    )


def _check_seat(board: Board, member: BoardMember) -> None:
    """Refuse a member beyond the constituency's maximum at any moment of their term,
    and a term longer than the board's. Call with the board row locked."""
    errors: dict[str, list[str]] = {}
    if member.term_end > term_end_for(board, member.term_start):
        errors.setdefault("term_end", []).append(
            _("A term on this board lasts at most %(years)d year(s).") % {"years": board.term_years}
        )
    seat = BoardSeat.objects.filter(board_id=board.pk, constituency=member.constituency).first()
    if seat is None:
        errors.setdefault("constituency", []).append(
            _("This board has no seats for %(c)s.") % {"c": Constituency(member.constituency).label}
        )
    elif member.term_end >= member.term_start:
        others = list(
            BoardMember.objects.filter(
                board_id=board.pk,
                constituency=member.constituency,
                left_on__isnull=True,
                term_start__lte=member.term_end,
                term_end__gte=member.term_start,
            ).exclude(pk=member.pk)
        )
        if _peak_overlap(others, member.term_start, member.term_end) >= seat.maximum:
            errors.setdefault("constituency", []).append(
                _("All %(max)d seat(s) for %(c)s are filled for this term.")
                % {"max": seat.maximum, "c": Constituency(member.constituency).label}
            )
    if errors:
        raise ValidationError(errors)


def _check_user(board: Board, member: BoardMember) -> None:
    if member.user_id is None:
        return
    taken = BoardMember.objects.filter(
        board_id=board.pk, user_id=member.user_id, left_on__isnull=True
    ).exclude(pk=member.pk)
    if taken.exists():
        raise ValidationError({"user": _("This person already holds a seat on this board.")})


def _save_member(member: BoardMember) -> None:
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as error:  # the same person seated a moment ago
        raise ValidationError(
            {"user": _("This person already holds a seat on this board.")}
        ) from error


def _tell_member(member: BoardMember, template, board: Board, body: str = "") -> None:
    if member.user_id is None:
        return
    notify(
        recipients=[member.user],
        title=format_lazy(template, board=board.name),
        body=body,
        url=board.get_absolute_url(),
    )


@transaction.atomic
def member_add(*, actor, board: Board, **fields) -> BoardMember:
    """Seat a member (a portal user, or an outside member by name) in a constituency
    of the board: the body's admins. The term ends a full term after it starts unless
    told; a longer term is refused, and so is a member beyond the constituency's
    maximum at any moment of their term (counted under the board's lock). A portal user
    holds at most one seat per board. The user is told."""
    board = lock_row(Board, board.pk, "partnership")
    _require_body_admin(actor, board)
    member = BoardMember(board=board, **{k: fields[k] for k in MEMBER_FIELDS if k in fields})
    if member.user_id and not member.name:
        member.name = member.user.get_full_name() or member.user.username
    if member.term_start and not member.term_end:
        member.term_end = term_end_for(board, member.term_start)
    member.full_clean(exclude=["board"])
    _check_user(board, member)
    _check_seat(board, member)
    _save_member(member)
    _tell_member(member, gettext_lazy("You have a seat on {board}"), board)
    return member


@transaction.atomic
def member_update(*, actor, member: BoardMember, **fields) -> BoardMember:
    """Correct a member's details, constituency, position or term (the same checks
    as adding them); not once they have left."""
    board_id = BoardMember.objects.filter(pk=member.pk).values_list("board_id", flat=True).get()
    board = lock_row(Board, board_id, "partnership")
    member = lock_row(BoardMember, member.pk, "user")
    _require_body_admin(actor, board)
    if member.left_on is not None:
        raise InvalidTransition(_("This member has left the board; their record stays as it was."))
    for key in MEMBER_FIELDS:
        if key in fields:
            setattr(member, key, fields[key])
    if "term_start" in fields and "term_end" not in fields:
        member.term_end = term_end_for(board, member.term_start)
    member.full_clean(exclude=["board"])
    _check_user(board, member)
    _check_seat(board, member)
    _save_member(member)
    return member


@transaction.atomic
def member_leave(*, actor, member: BoardMember, left_on: date | None = None) -> BoardMember:
    """Record that a member left the board (today unless told); their seat is free from
    then on. The member is told."""
    board_id = BoardMember.objects.filter(pk=member.pk).values_list("board_id", flat=True).get()
    board = lock_row(Board, board_id, "partnership")
    member = lock_row(BoardMember, member.pk, "user")
    _require_body_admin(actor, board)
    if member.left_on is not None:
        raise InvalidTransition(_("This member has already left the board."))
    member.left_on = left_on or timezone.localdate()
    member.full_clean(exclude=["board"])
    member.save()
    _tell_member(member, gettext_lazy("Your seat on {board} has ended"), board)
    return member


# --- warnings -------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardWarning:
    code: str
    message: str


def is_college_council(board: Board) -> bool:
    """A college's council: where the 2014 rules for college councils apply."""
    return (
        board.kind == BoardKind.COUNCIL
        and board.organization_id is not None
        and board.organization.kind == OrganizationKind.COLLEGE
    )


def _longest_term(today: date) -> timedelta:
    """The longest a term may run: five years from today (leap days counted)."""
    return term_end_for(Board(term_years=MAX_TERM_YEARS), today) - today


def _plenaries_since(today: date):
    """Plenary meetings held in the twelve months up to today."""
    since = timezone.make_aware(
        datetime.combine(today - relativedelta(months=PLENARY_EVERY_MONTHS), time.min)
    )
    return Meeting.objects.filter(
        kind=MeetingKind.PLENARY, status=MeetingStatus.HELD, starts_at__gte=since
    )


def board_warnings(board: Board, today: date | None = None) -> list[BoardWarning]:
    """Where the board is out of line with good practice: fewer than 21 seated
    members; no industry-association or enterprise members; a term (the board's, or a
    seated member's) beyond five years; no plenary meeting held in the last twelve
    months; a constituency under its minimum. Every board is measured; for a college's
    council the messages cite the 2014 rules they come from."""
    today = today or timezone.localdate()
    cite = is_college_council(board)

    def warn(code: str, message: str, cites: bool = True) -> BoardWarning:
        if cite and cites:
            message = _("%(message)s (%(rules)s)") % {"message": message, "rules": RULES_2014}
        return BoardWarning(code, message)

    seated = BoardMember.objects.seated(today).filter(board_id=board.pk)
    counts = seated.aggregate(
        total=Count("pk"),
        industry=Count(
            "pk",
            filter=Q(constituency__in=[Constituency.ASSOCIATION, Constituency.ENTERPRISE]),
        ),
    )
    longest = max(
        ((member.term_end - member.term_start) for member in seated.only("term_start", "term_end")),
        default=timedelta(0),
    )
    warnings = []
    if counts["total"] < MIN_MEMBERS:
        warnings.append(
            warn(
                "too_few_members",
                _("The board has %(n)d seated member(s); a council should have at least %(min)d.")
                % {"n": counts["total"], "min": MIN_MEMBERS},
            )
        )
    if counts["industry"] == 0:
        warnings.append(
            warn("no_industry", _("No member represents an industry association or enterprise."))
        )
    if board.term_years > MAX_TERM_YEARS or longest > _longest_term(today):
        warnings.append(
            warn(
                "long_terms",
                _("Terms run beyond %(years)d years; a term should last at most %(years)d.")
                % {"years": MAX_TERM_YEARS},
            )
        )
    if not _plenaries_since(today).filter(board_id=board.pk).exists():
        warnings.append(
            warn(
                "no_plenary",
                _("No plenary meeting was held in the last %(months)d months.")
                % {"months": PLENARY_EVERY_MONTHS},
            )
        )
    for row in seats_filled(board, today):
        if row["filled"] < row["minimum"]:
            warnings.append(
                warn(
                    "under_minimum",
                    _("%(c)s: %(n)d seated, fewer than the minimum of %(min)d.")
                    % {"c": row["label"], "n": row["filled"], "min": row["minimum"]},
                    cites=False,
                )
            )
    return warnings


def _count(rows, by: str) -> Coalesce:
    """How many of ``rows`` (a correlated queryset) there are, as a subquery; 0 for none."""
    counted = rows.order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _flag(condition) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def with_warning_count(boards, today: date | None = None):
    """The boards annotated with ``warning_count``: how many warnings
    ``board_warnings`` gives each, counted in SQL, so that a list of boards (the home
    page's) costs one query however many there are. Each check is ``board_warnings``'s
    own, on the same thresholds; tests hold the two to the same answers."""
    today = today or timezone.localdate()
    seated = BoardMember.objects.seated(today).filter(board_id=OuterRef("pk"))
    industry = seated.filter(constituency__in=[Constituency.ASSOCIATION, Constituency.ENTERPRISE])
    long_term = seated.alias(length=F("term_end") - F("term_start")).filter(
        length__gt=_longest_term(today)
    )
    filled = BoardMember.objects.seated(today).filter(
        board_id=OuterRef("board_id"), constituency=OuterRef("constituency")
    )
    under_minimum = BoardSeat.objects.filter(board_id=OuterRef("pk")).filter(
        minimum__gt=_count(filled, "board_id")
    )
    return boards.alias(seated_for_warnings=_count(seated, "board_id")).annotate(
        warning_count=_flag(Q(seated_for_warnings__lt=MIN_MEMBERS))
        + _flag(~Exists(industry))
        + _flag(Q(term_years__gt=MAX_TERM_YEARS) | Exists(long_term))
        + _flag(~Exists(_plenaries_since(today).filter(board_id=OuterRef("pk"))))
        + _count(under_minimum, "board_id")
    )
