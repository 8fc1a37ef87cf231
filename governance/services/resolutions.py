"""Resolutions and votes.

A resolution is drafted by the body's admins (on a meeting's agenda, or written, with
no meeting), put to the vote, and closed: the result is computed from the quorum and
the threshold, and the figures it was decided on are recorded. A passed amendment of
the articles adopts its version in the same transaction.

Locks, in the portal's order (articles → article version → … → resolution → vote):
casting a vote locks the resolution row before inserting the vote, and closing locks
the same row before counting. A vote and the close therefore queue: a vote committed
before the close is counted, and a vote that waited for the close finds the
resolution no longer open and is refused. Closing an amendment locks the articles and
the version first, as adopting them does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from portal import access
from portal.notifications import notify, rendered_later
from portal.workflow import InvalidTransition, check_transition, lock_row

from ..models import (
    Articles,
    ArticleVersion,
    Attendance,
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
    VoteChoice,
)
from .articles import version_adopt
from .meetings import quorum, seated_on
from .rules import (
    RESOLUTION_FIELDS,
    RESOLUTION_TRANSITIONS,
    board_member_for,
    body_admins,
    can_manage_body,
    threshold_for,
    voting_day,
)

LABEL = gettext_lazy("A resolution")


def _require_manager(actor, board: Board) -> None:
    access.require(
        can_manage_body(actor, board),
        _("Only the body's admins manage its boards, meetings and resolutions."),
    )


def _lock(resolution: Resolution) -> Resolution:
    return lock_row(
        Resolution, resolution.pk, "board", "board__partnership", "meeting", "article_version"
    )


def voters(resolution: Resolution):
    """The portal users among the members seated on the voting day."""
    return User.objects.filter(
        board_seats__in=seated_on(resolution.board, voting_day(resolution)), is_active=True
    ).distinct()


def _tell(recipients, template, resolution: Resolution, body: str = "") -> None:
    notify(
        recipients=recipients,
        title=format_lazy(template, title=resolution.title, board=resolution.board.name),
        body=body,
        url=resolution.get_absolute_url(),
    )


def _check(resolution: Resolution) -> None:
    """The meeting is the board's and not cancelled; an amendment names a proposed
    version of the body's own articles, and nothing else names a version."""
    errors: dict[str, str] = {}
    board = resolution.board
    meeting = resolution.meeting
    if meeting is not None:
        if meeting.board_id != board.pk:
            errors["meeting"] = _("Choose a meeting of this board.")
        elif meeting.status == MeetingStatus.CANCELLED:
            errors["meeting"] = _("This meeting was cancelled.")
    version = resolution.article_version
    if resolution.kind == ResolutionKind.ARTICLE_AMENDMENT:
        if version is None:
            errors["article_version"] = _("Name the version of the articles it would adopt.")
        else:
            document = version.document
            same_body = (document.organization_id, document.partnership_id) == (
                board.organization_id,
                board.partnership_id,
            )
            if not same_body:
                errors["article_version"] = _("Choose a version of this body's own articles.")
            elif version.status != VersionStatus.PROPOSED:
                errors["article_version"] = _(
                    "Only a proposed version can be adopted; this one is %(status)s."
                ) % {"status": version.get_status_display()}
    elif version is not None:
        errors["article_version"] = _("Only an amendment of the articles names a version.")
    if resolution.voting_closes_at and resolution.voting_closes_at <= timezone.now():
        errors["voting_closes_at"] = _("Voting must close in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def resolution_create(*, actor, board: Board, **fields) -> Resolution:
    """Draft a resolution of the board (the body's admins): on a meeting's agenda, or
    written (no meeting); an amendment of the articles names the proposed version it
    would adopt."""
    _require_manager(actor, board)
    resolution = Resolution(
        board=board, **{key: fields[key] for key in RESOLUTION_FIELDS if key in fields}
    )
    _check(resolution)
    resolution.full_clean(exclude=["board"])
    resolution.save()
    return resolution


@transaction.atomic
def resolution_update(*, actor, resolution: Resolution, **fields) -> Resolution:
    """Change a draft resolution."""
    resolution = _lock(resolution)
    _require_manager(actor, resolution.board)
    if resolution.status != ResolutionStatus.DRAFT:
        raise InvalidTransition(
            _("Only a draft resolution can change; this one is %(status)s.")
            % {"status": resolution.get_status_display()}
        )
    for key in RESOLUTION_FIELDS:
        if key in fields:
            setattr(resolution, key, fields[key])
    _check(resolution)
    resolution.full_clean(exclude=["board"])
    resolution.save()
    return resolution


@transaction.atomic
def resolution_open_voting(*, actor, resolution: Resolution, voting_closes_at=None) -> Resolution:
    """Draft → voting: the threshold is fixed from the kind (amendments two thirds of
    the seated members; appointments, budgets and plans a majority of them; ordinary
    resolutions a majority of the votes cast). A written resolution needs a closing
    time; every member seated on the day may vote on it, and no quorum applies. At a
    meeting, the members attending vote (by proxy where attendance says so). The
    voters are told."""
    meeting_id = Resolution.objects.values_list("meeting_id", flat=True).get(pk=resolution.pk)
    if meeting_id is not None:
        # The meeting first (the portal's order): attendance is fixed from now on, and
        # a change to it waits for this or is refused after it.
        lock_row(Meeting, meeting_id)
    resolution = _lock(resolution)
    _require_manager(actor, resolution.board)
    check_transition(
        resolution.status,
        ResolutionStatus.VOTING,
        RESOLUTION_TRANSITIONS,
        label=LABEL,
        choices=ResolutionStatus,
    )
    if voting_closes_at is not None:
        resolution.voting_closes_at = voting_closes_at
    if resolution.meeting_id is None and resolution.voting_closes_at is None:
        raise ValidationError(
            {"voting_closes_at": _("Say when voting on a written resolution closes.")}
        )
    _check(resolution)
    resolution.status = ResolutionStatus.VOTING
    resolution.threshold = threshold_for(resolution.kind)
    resolution.opened_at = timezone.now()
    resolution.full_clean(exclude=["board"])
    resolution.save()
    _tell(
        voters(resolution),
        gettext_lazy("Your vote: {title} ({board})"),
        resolution,
        body=resolution.text,
    )
    return resolution


def _voting_seat(actor, resolution: Resolution, member: BoardMember | None):
    """The seat the actor votes for, and whether by proxy; PermissionDenied for anyone
    else. At a meeting a member votes in person when attendance records them present,
    and for another member when attendance says they hold that member's proxy."""
    own = board_member_for(actor, resolution.board, voting_day(resolution))
    if own is None:
        raise PermissionDenied(_("Only the board's seated members vote."))
    if member is None or member.pk == own.pk:
        if (
            resolution.meeting_id
            and not Attendance.objects.filter(
                meeting_id=resolution.meeting_id, member_id=own.pk, status=AttendanceStatus.PRESENT
            ).exists()
        ):
            raise PermissionDenied(
                _("At a meeting, the members recorded as present vote in person.")
            )
        return own, False
    holds = resolution.meeting_id and Attendance.objects.filter(
        meeting_id=resolution.meeting_id,
        member_id=member.pk,
        status=AttendanceStatus.PROXY,
        proxy_holder_id=own.pk,
    )
    if not holds or not holds.exists():
        raise PermissionDenied(_("You hold no proxy for this member at this meeting."))
    return member, True


@transaction.atomic
def vote_cast(
    *, actor, resolution: Resolution, choice: str, member: BoardMember | None = None
) -> Vote:
    """A seated member's vote (for, against, abstain), by name: their own, or, with
    ``member``, the vote of a member whose proxy they hold at the meeting. Each member
    votes once. The resolution's row is locked before the vote is written, so the vote
    is either counted by the close or refused after it."""
    resolution = _lock(resolution)
    if resolution.status != ResolutionStatus.VOTING:
        raise InvalidTransition(
            _("Votes are taken while voting is open; this resolution is %(status)s.")
            % {"status": resolution.get_status_display()}
        )
    if resolution.voting_closes_at and resolution.voting_closes_at <= timezone.now():
        raise InvalidTransition(_("Voting on this resolution has closed."))
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": _("Vote for, against, or abstain.")})
    seat, by_proxy = _voting_seat(actor, resolution, member)
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                resolution=resolution, member=seat, choice=choice, by_proxy=by_proxy, cast_by=actor
            )
    except IntegrityError as error:  # the unique constraint: one vote per member
        raise ValidationError(
            {"member": _("%(name)s has already voted on this resolution.") % {"name": seat.name}}
        ) from error
    if by_proxy and seat.user_id:
        _tell(
            [seat.user],
            gettext_lazy("Your proxy voted on {title} ({board})"),
            resolution,
            body=VoteChoice(choice).label,
        )
    return vote


def threshold_met(threshold: str, *, seated: int, votes_for: int, votes_against: int) -> bool:
    """Whether the votes reach the threshold, in integers: a majority of the votes cast
    (for > against; abstentions are not votes cast), a majority of the seated members
    (for > seated / 2), or two thirds of them (for ≥ 2/3 of seated: exactly two thirds
    passes)."""
    if threshold == Threshold.VOTES_CAST:
        return votes_for > votes_against
    if threshold == Threshold.MEMBERS:
        return votes_for * 2 > seated
    if threshold == Threshold.TWO_THIRDS:
        return seated > 0 and votes_for * 3 >= seated * 2
    raise ValueError(threshold)


@dataclass(frozen=True)
class Tally:
    seated: int
    attending: int | None
    quorum_met: bool | None
    votes_for: int
    votes_against: int
    abstentions: int

    def passes(self, threshold: str) -> bool:
        if self.quorum_met is False:
            return False
        return threshold_met(
            threshold,
            seated=self.seated,
            votes_for=self.votes_for,
            votes_against=self.votes_against,
        )


def tally(resolution: Resolution) -> Tally:
    """The figures a result is decided on, as they stand: at a meeting, the seated and
    attending members of its day and whether the quorum is met (two thirds for an
    amendment); for a written resolution, the members seated today and no quorum."""
    votes = Vote.objects.filter(resolution_id=resolution.pk).aggregate(
        votes_for=Count("pk", filter=Q(choice=VoteChoice.FOR)),
        votes_against=Count("pk", filter=Q(choice=VoteChoice.AGAINST)),
        abstentions=Count("pk", filter=Q(choice=VoteChoice.ABSTAIN)),
    )
    if resolution.meeting_id:
        present = quorum(
            resolution.meeting, two_thirds=resolution.kind == ResolutionKind.ARTICLE_AMENDMENT
        )
        return Tally(present.seated, present.attending, present.met, **votes)
    seated = seated_on(resolution.board, voting_day(resolution)).count()
    return Tally(seated, None, None, **votes)


def _lock_for_close(resolution: Resolution) -> Resolution:
    """The resolution, locked; for an amendment, its articles and version first (the
    portal's order, the one adopting them takes)."""
    version_id = Resolution.objects.values_list("article_version_id", flat=True).get(
        pk=resolution.pk
    )
    if version_id is not None:
        document_id = (
            ArticleVersion.objects.filter(pk=version_id).values_list("document_id", flat=True).get()
        )
        lock_row(Articles, document_id)
        lock_row(ArticleVersion, version_id)
        # Adopting supersedes the version in force: take its lock now, in order, too.
        in_force = ArticleVersion.objects.filter(
            document_id=document_id, status=VersionStatus.IN_FORCE
        ).values_list("pk", flat=True)
        for pk in in_force:
            lock_row(ArticleVersion, pk)
    return _lock(resolution)


@transaction.atomic
def resolution_close_voting(*, actor, resolution: Resolution) -> Resolution:
    """Voting → passed or failed (the body's admins): counts the votes committed so
    far, records the seated and attending members, the votes for and against, the
    abstentions and whether the quorum was met, and decides — failed without a quorum,
    else by the threshold fixed at opening. On an advisory board a passed resolution is
    recorded as advice. A passed amendment adopts its version of the articles in this
    transaction (``version_adopt``): if that fails, nothing is closed. The voters and
    the body's admins are told the result."""
    resolution = _lock_for_close(resolution)
    _require_manager(actor, resolution.board)
    check_transition(
        resolution.status,
        ResolutionStatus.PASSED,
        RESOLUTION_TRANSITIONS,
        label=LABEL,
        choices=ResolutionStatus,
    )
    figures = tally(resolution)
    passed = figures.passes(resolution.threshold)
    resolution.seated = figures.seated
    resolution.attending = figures.attending
    resolution.quorum_met = figures.quorum_met
    resolution.votes_for = figures.votes_for
    resolution.votes_against = figures.votes_against
    resolution.abstentions = figures.abstentions
    resolution.status = ResolutionStatus.PASSED if passed else ResolutionStatus.FAILED
    resolution.advisory = passed and resolution.board.advisory
    resolution.closed_at = timezone.now()
    resolution.save()
    if passed and resolution.kind == ResolutionKind.ARTICLE_AMENDMENT:
        version_adopt(resolution=resolution, version=resolution.article_version)
    if resolution.advisory:
        template = gettext_lazy("Advice given: {title} ({board})")
    elif passed:
        template = gettext_lazy("Passed: {title} ({board})")
    else:
        template = gettext_lazy("Failed: {title} ({board})")
    counts = {
        "for": figures.votes_for,
        "against": figures.votes_against,
        "abstain": figures.abstentions,
    }
    body = rendered_later(
        lambda: _("For %(for)d, against %(against)d, abstentions %(abstain)d.") % counts
    )
    _tell([*voters(resolution), *body_admins(resolution.board)], template, resolution, body=body)
    return resolution


@transaction.atomic
def resolution_withdraw(*, actor, resolution: Resolution) -> Resolution:
    """Draft or voting → withdrawn (the body's admins); votes already cast stay on
    record but decide nothing. The voters are told when voting was open."""
    resolution = _lock(resolution)
    _require_manager(actor, resolution.board)
    was_voting = resolution.status == ResolutionStatus.VOTING
    check_transition(
        resolution.status,
        ResolutionStatus.WITHDRAWN,
        RESOLUTION_TRANSITIONS,
        label=LABEL,
        choices=ResolutionStatus,
    )
    resolution.status = ResolutionStatus.WITHDRAWN
    resolution.closed_at = timezone.now() if was_voting else None
    resolution.save()
    if was_voting:
        _tell(voters(resolution), gettext_lazy("Withdrawn: {title} ({board})"), resolution)
    return resolution
