"""Votes, closes and seats under load, on PostgreSQL: a close counts exactly the votes
committed before it and none after; a member votes once even twice at once; the last
seat goes once; and every service locks in the portal's order."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import TestCase, TransactionTestCase
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from governance import services
from governance.models import (
    Constituency,
    Resolution,
    ResolutionStatus,
    VersionStatus,
    Vote,
    VoteChoice,
)
from portal.workflow import InvalidTransition
from tests.factories import OrganizationFactory, member
from tests.helpers.concurrency import requires_row_locks, run_concurrently
from tests.helpers.locks import assert_lock_order, locks_taken
from tests.people import People

from .helpers import (
    TODAY,
    attend,
    make_articles,
    make_board,
    make_meeting,
    make_resolution,
    make_version,
    seat,
    seat_many,
)

CHOICES = [VoteChoice.FOR, VoteChoice.AGAINST, VoteChoice.ABSTAIN]


@requires_row_locks
class TestVotesAndTheCloseAtOnce(TransactionTestCase):
    def setUp(self):
        self.college = OrganizationFactory(kind=OrganizationKind.COLLEGE, name="Riverside")
        self.alice = member(self.college, Role.ADMIN, "alice")
        self.board = make_board(self.college)
        self.members = seat_many(self.board, 21)

    def fresh(self, user):
        return get_user_model().objects.get(pk=user.pk)

    def vote_and_close_at_once(self):
        """Twenty members vote while the admin closes, all at the same moment."""
        resolution = make_resolution(self.board, status=ResolutionStatus.VOTING)
        alice = self.fresh(self.alice)
        voters = [(self.fresh(m.user), CHOICES[i % 3]) for i, m in enumerate(self.members[:20])]
        calls = [
            (
                lambda user=user, choice=choice: services.vote_cast(
                    actor=user, resolution=resolution, choice=choice
                )
            )
            for user, choice in voters
        ]
        calls.insert(
            10, lambda: services.resolution_close_voting(actor=alice, resolution=resolution)
        )
        results = run_concurrently(*calls, timeout=60)
        return resolution, results.pop(10), results

    def test_twenty_votes_and_a_close_count_exactly_the_votes_committed_before_it(self):
        for _round in range(3):  # the close lands at a different point each time
            resolution, closed, results = self.vote_and_close_at_once()
            self.assertIsInstance(closed, Resolution, closed)
            votes = [r for r in results if isinstance(r, Vote)]
            refused = [r for r in results if isinstance(r, InvalidTransition)]
            self.assertEqual(len(votes) + len(refused), 20, results)
            closed.refresh_from_db()
            rows = Vote.objects.filter(resolution=resolution)
            # Every vote that was accepted exists and was counted; none came after.
            self.assertEqual({v.pk for v in votes}, set(rows.values_list("pk", flat=True)))
            self.assertEqual(
                (closed.votes_for, closed.votes_against, closed.abstentions),
                tuple(rows.filter(choice=c).count() for c in CHOICES),
            )
            self.assertEqual(closed.seated, 21)
            self.assertIn(closed.status, {ResolutionStatus.PASSED, ResolutionStatus.FAILED})

    def test_a_member_voting_twice_at_once_votes_once(self):
        resolution = make_resolution(self.board, status=ResolutionStatus.VOTING)
        user = self.members[0].user
        results = run_concurrently(
            lambda: services.vote_cast(
                actor=self.fresh(user), resolution=resolution, choice=VoteChoice.FOR
            ),
            lambda: services.vote_cast(
                actor=self.fresh(user), resolution=resolution, choice=VoteChoice.AGAINST
            ),
        )
        self.assertEqual(sum(isinstance(r, Vote) for r in results), 1, results)
        self.assertEqual(sum(isinstance(r, ValidationError) for r in results), 1, results)
        self.assertEqual(Vote.objects.filter(resolution=resolution).count(), 1)

    def test_a_proxy_holder_and_nobody_else_at_once_vote_once_for_the_member(self):
        meeting = make_meeting(self.board)
        holder, represented = self.members[0], self.members[1]
        attend(meeting, [holder])
        attend(meeting, [represented], "proxy", holder=holder)
        resolution = make_resolution(self.board, status=ResolutionStatus.VOTING, meeting=meeting)
        results = run_concurrently(
            *(
                lambda: services.vote_cast(
                    actor=self.fresh(holder.user),
                    resolution=resolution,
                    choice=VoteChoice.FOR,
                    member=represented,
                )
                for _ in range(3)
            )
        )
        self.assertEqual(sum(isinstance(r, Vote) for r in results), 1, results)
        self.assertEqual(Vote.objects.filter(member=represented).count(), 1)


@requires_row_locks
class TestTheLastSeatAtOnce(TransactionTestCase):
    def setUp(self):
        self.college = OrganizationFactory(kind=OrganizationKind.COLLEGE, name="Riverside")
        self.alice = member(self.college, Role.ADMIN, "alice")
        self.board = make_board(self.college, seats={Constituency.ENTERPRISE: (0, 3)})
        seat_many(self.board, 2, users=False, constituency=Constituency.ENTERPRISE)

    def test_two_additions_for_the_last_seat_seat_one(self):
        def add(name):
            return lambda: services.member_add(
                actor=get_user_model().objects.get(pk=self.alice.pk),
                board=self.board,
                name=name,
                constituency=Constituency.ENTERPRISE,
                term_start=TODAY,
            )

        for _round in range(2):
            results = run_concurrently(add("Zhang Wei"), add("Liu Yang"))
            seated = self.board.members.filter(constituency=Constituency.ENTERPRISE)
            self.assertEqual(seated.filter(left_on__isnull=True).count(), 3, results)
            self.assertEqual(sum(isinstance(r, ValidationError) for r in results), 1, results)
            # Free the seat again for the next round.
            seated.filter(name__in=["Zhang Wei", "Liu Yang"]).update(left_on=TODAY)


@requires_row_locks
class TestGovernanceLockOrder(People, TestCase):
    def setUp(self):
        self.board = make_board(self.college)
        self.voter = seat(self.board, member(self.college, Role.VIEWER, "voter"))

    def test_voting_locks_the_resolution_and_closing_too(self):
        resolution = make_resolution(self.board, status=ResolutionStatus.VOTING)
        self.assertEqual(
            assert_lock_order(
                lambda: services.vote_cast(
                    actor=self.voter.user, resolution=resolution, choice=VoteChoice.FOR
                )
            ),
            ["governance_resolution"],
        )
        self.assertEqual(
            assert_lock_order(
                lambda: services.resolution_close_voting(actor=self.alice, resolution=resolution)
            ),
            ["governance_resolution"],
        )

    def test_closing_an_amendment_locks_the_articles_and_versions_before_the_resolution(self):
        document = make_articles(self.college)
        make_version(document, 1, VersionStatus.IN_FORCE)
        version = make_version(document, 2)
        resolution = make_resolution(
            self.board,
            status=ResolutionStatus.VOTING,
            kind="article_amendment",
            article_version=version,
        )
        services.vote_cast(actor=self.voter.user, resolution=resolution, choice=VoteChoice.FOR)
        tables = locks_taken(
            lambda: services.resolution_close_voting(actor=self.alice, resolution=resolution)
        )
        # Adopting locks its rows again; a row already held takes no new lock, so the
        # order that matters is that of each table's first lock.
        first = list(dict.fromkeys(tables))
        self.assertEqual(
            first, ["governance_articles", "governance_articleversion", "governance_resolution"]
        )
        held_before_resolution = tables[: tables.index("governance_resolution")]
        self.assertEqual(held_before_resolution.count("governance_articleversion"), 2)
        version.refresh_from_db()
        self.assertEqual(version.status, VersionStatus.IN_FORCE)

    def test_opening_and_withdrawing_lock_the_resolution(self):
        draft = make_resolution(self.board)
        self.assertEqual(
            assert_lock_order(
                lambda: services.resolution_open_voting(
                    actor=self.alice,
                    resolution=draft,
                    voting_closes_at=timezone.now() + timedelta(days=2),
                )
            ),
            ["governance_resolution"],
        )
        self.assertEqual(
            assert_lock_order(
                lambda: services.resolution_withdraw(actor=self.alice, resolution=draft)
            ),
            ["governance_resolution"],
        )

    def test_moving_a_meeting_locks_the_meeting(self):
        meeting = make_meeting(self.board)
        self.assertEqual(
            assert_lock_order(lambda: services.meeting_hold(actor=self.alice, meeting=meeting)),
            ["governance_meeting"],
        )
