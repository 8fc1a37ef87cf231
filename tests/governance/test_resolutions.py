"""Resolutions and votes through the services: the transition table, what an
amendment names, thresholds fixed by kind, who votes (in person, by proxy, once), the
result at each boundary, advice, adopting the articles, and the reminder before
voting closes."""

from datetime import timedelta
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from governance import jobs, services
from governance.models import (
    AttendanceStatus,
    BoardPowers,
    Resolution,
    ResolutionKind,
    ResolutionStatus,
    Threshold,
    VersionStatus,
    Vote,
    VoteChoice,
)
from portal.models import Notification
from portal.workflow import InvalidTransition
from tests.factories import UserFactory
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

R = ResolutionStatus
K = ResolutionKind
V = VoteChoice
SOON = timezone.now() + timedelta(days=3)


class ResolutionCase(People, TestCase):
    def setUp(self):
        self.board = make_board(self.college)
        self.members = seat_many(self.board, 9)
        self.users = [member.user for member in self.members]

    def written(self, status=R.VOTING, **fields):
        fields.setdefault("voting_closes_at", SOON)
        return make_resolution(self.board, status=status, **fields)

    def vote(self, resolution, user, choice=V.FOR, member=None):
        return services.vote_cast(actor=user, resolution=resolution, choice=choice, member=member)

    def votes(self, resolution, *, for_=0, against=0, abstain=0):
        users = iter(self.users)
        for choice, count in ((V.FOR, for_), (V.AGAINST, against), (V.ABSTAIN, abstain)):
            for _index in range(count):
                self.vote(resolution, next(users), choice)

    def close(self, resolution):
        return services.resolution_close_voting(actor=self.alice, resolution=resolution)


class TestTheTransitionTable(ResolutionCase):
    def test_every_move_follows_the_table(self):
        moves = {
            R.VOTING: lambda r: services.resolution_open_voting(actor=self.alice, resolution=r),
            R.PASSED: self.close,
            R.WITHDRAWN: lambda r: services.resolution_withdraw(actor=self.alice, resolution=r),
        }
        for status in R.values:
            for target, move in moves.items():
                with self.subTest(status=status, target=target):
                    resolution = self.written(status=status)
                    if target in services.RESOLUTION_TRANSITIONS[status]:
                        # Closing with no votes fails: passed and failed are one move.
                        self.assertIn(move(resolution).status, {target, R.FAILED})
                    else:
                        with self.assertRaises(InvalidTransition):
                            move(resolution)

    def test_only_the_bodys_admins_move_a_resolution(self):
        resolution = self.written(status=R.DRAFT)
        for actor in (self.bob, self.charlie, self.users[0]):
            with self.subTest(actor=actor.username), self.assertRaises(PermissionDenied):
                services.resolution_open_voting(actor=actor, resolution=resolution)

    def test_the_actions_offered_follow_the_table(self):
        draft = self.written(status=R.DRAFT)
        self.assertEqual(
            services.resolution_actions(self.alice, draft), {"edit", "open_voting", "withdraw"}
        )
        voting = self.written()
        self.assertEqual(
            services.resolution_actions(self.alice, voting), {"close_voting", "withdraw"}
        )
        self.assertEqual(services.resolution_actions(self.users[0], voting), {"vote"})
        self.vote(voting, self.users[0])
        self.assertEqual(services.resolution_actions(self.users[0], voting), set())
        self.assertEqual(services.resolution_actions(self.bob, voting), set())


class TestDrafting(ResolutionCase):
    def setUp(self):
        super().setUp()
        self.document = make_articles(self.college)
        self.proposed = make_version(self.document, 2)

    def create(self, **fields):
        fields.setdefault("title", "Adopt version 2")
        fields.setdefault("text", "The council adopts version 2 of the articles.")
        return services.resolution_create(actor=self.alice, board=self.board, **fields)

    def test_an_amendment_names_a_proposed_version_of_the_bodys_articles(self):
        created = self.create(kind=K.ARTICLE_AMENDMENT, article_version=self.proposed)
        self.assertEqual(created.status, R.DRAFT)
        draft = make_version(self.document, 3, VersionStatus.DRAFT)
        theirs = make_version(make_articles(self.other_college, "Eastlake"), 1)
        for version in (None, draft, theirs):
            with self.subTest(version=version), self.assertRaises(ValidationError) as raised:
                self.create(kind=K.ARTICLE_AMENDMENT, article_version=version)
            self.assertIn("article_version", raised.exception.message_dict)

    def test_nothing_else_names_a_version(self):
        with self.assertRaises(ValidationError):
            self.create(kind=K.ORDINARY, article_version=self.proposed)

    def test_the_meeting_is_the_boards_and_not_cancelled(self):
        other = make_meeting(make_board(self.college, name="Other"))
        cancelled = make_meeting(self.board, status="cancelled")
        for meeting in (other, cancelled):
            with self.subTest(meeting=meeting.pk), self.assertRaises(ValidationError):
                self.create(meeting=meeting)
        self.assertEqual(self.create(meeting=make_meeting(self.board)).board, self.board)

    def test_only_a_draft_changes(self):
        voting = self.written()
        with self.assertRaises(InvalidTransition):
            services.resolution_update(actor=self.alice, resolution=voting, title="X")
        draft = self.written(status=R.DRAFT)
        self.assertEqual(
            services.resolution_update(actor=self.alice, resolution=draft, title="Y").title, "Y"
        )


class TestOpeningTheVote(ResolutionCase):
    def test_the_threshold_is_fixed_by_kind(self):
        document = make_articles(self.college)
        expected = {
            K.ORDINARY: Threshold.VOTES_CAST,
            K.BUDGET: Threshold.MEMBERS,
            K.PLAN: Threshold.MEMBERS,
            K.APPOINTMENT: Threshold.MEMBERS,
            K.ARTICLE_AMENDMENT: Threshold.TWO_THIRDS,
        }
        for number, (kind, threshold) in enumerate(expected.items(), 1):
            with self.subTest(kind=kind):
                version = make_version(document, number) if kind == K.ARTICLE_AMENDMENT else None
                draft = self.written(status=R.DRAFT, kind=kind, article_version=version)
                opened = services.resolution_open_voting(actor=self.alice, resolution=draft)
                self.assertEqual((opened.status, opened.threshold), (R.VOTING, threshold))

    def test_a_written_resolution_needs_a_closing_time_and_its_voters_are_told(self):
        draft = make_resolution(self.board)
        with self.assertRaises(ValidationError):
            services.resolution_open_voting(actor=self.alice, resolution=draft)
        services.resolution_open_voting(actor=self.alice, resolution=draft, voting_closes_at=SOON)
        self.assertEqual(
            Notification.objects.filter(title__startswith="Your vote").count(), len(self.users)
        )

    def test_an_amendment_whose_version_is_no_longer_proposed_does_not_open(self):
        version = make_version(make_articles(self.college), 2)
        draft = self.written(status=R.DRAFT, kind=K.ARTICLE_AMENDMENT, article_version=version)
        version.status = VersionStatus.WITHDRAWN
        version.save()
        with self.assertRaises(ValidationError):
            services.resolution_open_voting(actor=self.alice, resolution=draft)


class TestWhoVotes(ResolutionCase):
    def test_a_seated_member_votes_once_by_name(self):
        resolution = self.written()
        vote = self.vote(resolution, self.users[0], V.AGAINST)
        self.assertEqual(
            (vote.member, vote.choice, vote.by_proxy), (self.members[0], V.AGAINST, False)
        )
        self.assertEqual(vote.cast_by, self.users[0])
        with self.assertRaises(ValidationError) as raised:
            self.vote(resolution, self.users[0], V.FOR)
        self.assertIn("already voted", str(raised.exception))
        self.assertEqual(Vote.objects.get().choice, V.AGAINST)

    def test_a_non_member_cannot_vote(self):
        resolution = self.written()
        other_board = make_board(self.college, name="Other")
        elsewhere = seat(other_board, UserFactory(username="elsewhere")).user
        for outsider in (self.alice, self.bob, self.olivia, elsewhere):
            with self.subTest(user=outsider.username), self.assertRaises(PermissionDenied):
                self.vote(resolution, outsider)
        self.assertFalse(Vote.objects.exists())

    def test_a_member_who_left_cannot_vote(self):
        self.members[0].left_on = TODAY
        self.members[0].save()
        with self.assertRaises(PermissionDenied):
            self.vote(self.written(), self.users[0])

    def test_no_vote_outside_voting_or_after_it_closed(self):
        for status in (R.DRAFT, R.PASSED, R.FAILED, R.WITHDRAWN):
            with self.subTest(status=status), self.assertRaises(InvalidTransition):
                self.vote(self.written(status=status), self.users[0])
        late = self.written()
        Resolution.objects.filter(pk=late.pk).update(
            voting_closes_at=timezone.now() - timedelta(minutes=1)
        )
        with self.assertRaises(InvalidTransition):
            self.vote(late, self.users[0])

    def test_a_choice_is_for_against_or_abstain(self):
        with self.assertRaises(ValidationError):
            self.vote(self.written(), self.users[0], "maybe")


class TestVotingAtAMeeting(ResolutionCase):
    def setUp(self):
        super().setUp()
        self.meeting = make_meeting(self.board)
        a, b, c, d, *_ = self.members
        attend(self.meeting, [a, b])
        attend(self.meeting, [c], AttendanceStatus.PROXY, holder=a)
        attend(self.meeting, [d], AttendanceStatus.ABSENT)
        self.resolution = make_resolution(self.board, status=R.VOTING, meeting=self.meeting)

    def test_the_proxy_holder_votes_for_the_member_they_represent(self):
        a, b, c, *_ = self.members
        self.vote(self.resolution, a.user)
        vote = self.vote(self.resolution, a.user, V.AGAINST, member=c)
        self.assertEqual((vote.member, vote.by_proxy, vote.cast_by), (c, True, a.user))
        self.assertEqual(c.user.notifications.filter(title__startswith="Your proxy").count(), 1)
        with self.assertRaises(ValidationError):
            self.vote(self.resolution, a.user, member=c)  # once
        with self.assertRaises(PermissionDenied):
            self.vote(self.resolution, b.user, member=c)  # b holds no proxy of c

    def test_who_gave_a_proxy_or_was_absent_does_not_vote_in_person(self):
        _a, _b, c, d, e, *_ = self.members
        for member in (c, d, e):  # e: no attendance recorded
            with self.subTest(member=member.name), self.assertRaises(PermissionDenied):
                self.vote(self.resolution, member.user)

    def test_the_votable_seats_of_a_proxy_holder(self):
        a, _b, c, *_ = self.members
        self.assertEqual(
            {m.pk for m in services.votable_members(a.user, self.resolution)}, {a.pk, c.pk}
        )
        # Their own seat comes first.
        self.assertEqual(services.votable_members(a.user, self.resolution)[0].pk, a.pk)


class TestThresholdArithmetic(TestCase):
    def test_each_threshold_at_its_boundary(self):
        cases = [
            # threshold, seated, for, against, met
            (Threshold.VOTES_CAST, 9, 3, 3, False),  # a tie fails
            (Threshold.VOTES_CAST, 9, 3, 2, True),
            (Threshold.VOTES_CAST, 9, 1, 0, True),  # abstentions do not count
            (Threshold.MEMBERS, 10, 5, 0, False),  # half is not a majority
            (Threshold.MEMBERS, 10, 6, 4, True),
            (Threshold.MEMBERS, 9, 5, 4, True),
            (Threshold.MEMBERS, 9, 4, 0, False),
            (Threshold.TWO_THIRDS, 9, 6, 3, True),  # exactly two thirds passes
            (Threshold.TWO_THIRDS, 9, 5, 0, False),
            (Threshold.TWO_THIRDS, 10, 7, 0, True),
            (Threshold.TWO_THIRDS, 10, 6, 0, False),
            (Threshold.TWO_THIRDS, 21, 14, 7, True),
            (Threshold.TWO_THIRDS, 21, 13, 0, False),
            (Threshold.TWO_THIRDS, 0, 0, 0, False),
        ]
        for threshold, seated, votes_for, against, met in cases:
            with self.subTest(threshold=threshold, seated=seated, votes_for=votes_for):
                self.assertIs(
                    services.threshold_met(
                        threshold, seated=seated, votes_for=votes_for, votes_against=against
                    ),
                    met,
                )


class TestClosing(ResolutionCase):
    def test_a_majority_of_votes_cast_abstentions_not_counted(self):
        passed = self.written()
        self.votes(passed, for_=2, against=1, abstain=6)
        passed = self.close(passed)
        self.assertEqual(passed.status, R.PASSED)
        self.assertEqual(
            (passed.seated, passed.attending, passed.quorum_met),
            (9, None, None),  # written: every seated member votes, no quorum
        )
        self.assertEqual((passed.votes_for, passed.votes_against, passed.abstentions), (2, 1, 6))
        tie = self.written()
        self.votes(tie, for_=3, against=3, abstain=3)
        self.assertEqual(self.close(tie).status, R.FAILED)

    def test_a_majority_of_members_counts_abstentions_as_not_for(self):
        for votes_for, status in ((4, R.FAILED), (5, R.PASSED)):  # 9 seated
            with self.subTest(votes_for=votes_for):
                resolution = self.written(kind=K.BUDGET)
                self.votes(resolution, for_=votes_for, abstain=9 - votes_for)
                self.assertEqual(self.close(resolution).status, status)

    def test_two_thirds_of_members_exactly_two_thirds_passes(self):
        version = make_version(make_articles(self.college), 2)
        failing = self.written(kind=K.ARTICLE_AMENDMENT, article_version=version)
        self.votes(failing, for_=5, against=1)
        self.assertEqual(self.close(failing).status, R.FAILED)
        version.refresh_from_db()
        self.assertEqual(version.status, VersionStatus.PROPOSED)
        passing = self.written(kind=K.ARTICLE_AMENDMENT, article_version=version)
        self.votes(passing, for_=6, against=3)
        self.assertEqual(self.close(passing).status, R.PASSED)

    def test_without_a_quorum_a_meeting_resolution_fails_whatever_the_votes(self):
        meeting = make_meeting(self.board)
        attend(meeting, self.members[:4])  # 4 of 9
        resolution = make_resolution(self.board, status=R.VOTING, meeting=meeting)
        self.votes(resolution, for_=4)
        closed = self.close(resolution)
        self.assertEqual(
            (closed.status, closed.quorum_met, closed.seated, closed.attending),
            (R.FAILED, False, 9, 4),
        )
        attend(meeting, self.members[4:5])  # 5 of 9: a quorum
        again = make_resolution(self.board, status=R.VOTING, meeting=meeting)
        self.votes(again, for_=3, against=2)
        self.assertEqual((self.close(again).status, again.quorum_met), (R.PASSED, None))
        again.refresh_from_db()
        self.assertTrue(again.quorum_met)

    def test_a_proxy_vote_is_counted_once(self):
        meeting = make_meeting(self.board)
        a, b, c, *_ = self.members
        attend(meeting, [a, b, *self.members[3:6]])
        attend(meeting, [c], AttendanceStatus.PROXY, holder=a)
        resolution = make_resolution(self.board, status=R.VOTING, meeting=meeting)
        self.vote(resolution, a.user)
        self.vote(resolution, a.user, member=c)
        self.vote(resolution, b.user, V.AGAINST)
        closed = self.close(resolution)
        self.assertEqual((closed.attending, closed.votes_for, closed.votes_against), (6, 2, 1))

    def test_on_an_advisory_board_a_passed_resolution_is_advice(self):
        self.board.powers = BoardPowers.ADVISES
        self.board.save()
        advice = self.written()
        self.votes(advice, for_=1)
        advice = self.close(advice)
        self.assertEqual((advice.status, advice.advisory), (R.PASSED, True))
        self.assertTrue(Notification.objects.filter(title__startswith="Advice given").exists())
        failed = self.close(self.written())
        self.assertEqual((failed.status, failed.advisory), (R.FAILED, False))

    def test_the_voters_and_the_bodys_admins_are_told_the_result(self):
        resolution = self.written()
        self.votes(resolution, for_=1)
        self.close(resolution)
        told = set(
            Notification.objects.filter(title__startswith="Passed").values_list(
                "recipient__username", flat=True
            )
        )
        self.assertEqual(told, {u.username for u in self.users} | {"alice"})


class TestAdoptingTheArticles(ResolutionCase):
    def setUp(self):
        super().setUp()
        self.document = make_articles(self.college)
        self.old = make_version(self.document, 1, VersionStatus.IN_FORCE)
        self.new = make_version(self.document, 2)
        self.resolution = self.written(kind=K.ARTICLE_AMENDMENT, article_version=self.new)

    def test_a_passed_amendment_puts_its_version_in_force_in_the_same_step(self):
        self.votes(self.resolution, for_=6)
        self.close(self.resolution)
        self.new.refresh_from_db()
        self.old.refresh_from_db()
        self.assertEqual(self.new.status, VersionStatus.IN_FORCE)
        self.assertEqual(self.new.adopted_by, self.resolution)
        self.assertEqual(self.old.status, VersionStatus.SUPERSEDED)

    def test_if_adopting_fails_nothing_is_closed(self):
        self.votes(self.resolution, for_=6)
        self.new.status = VersionStatus.WITHDRAWN
        self.new.save()
        with self.assertRaises(InvalidTransition):
            self.close(self.resolution)
        self.resolution.refresh_from_db()
        self.assertEqual(self.resolution.status, R.VOTING)
        self.assertIsNone(self.resolution.votes_for)

    def test_closing_calls_version_adopt_with_the_resolution_and_version(self):
        self.votes(self.resolution, for_=6)
        with mock.patch("governance.services.resolutions.version_adopt") as adopt:
            self.close(self.resolution)
        adopt.assert_called_once()
        self.assertEqual(adopt.call_args.kwargs["version"], self.new)
        self.assertEqual(adopt.call_args.kwargs["resolution"].pk, self.resolution.pk)


class TestWithdrawing(ResolutionCase):
    def test_withdrawing_a_vote_in_progress_tells_the_voters_and_keeps_the_votes(self):
        resolution = self.written()
        self.votes(resolution, for_=2)
        withdrawn = services.resolution_withdraw(actor=self.alice, resolution=resolution)
        self.assertEqual(withdrawn.status, R.WITHDRAWN)
        self.assertEqual(Vote.objects.filter(resolution=resolution).count(), 2)
        self.assertEqual(
            Notification.objects.filter(title__startswith="Withdrawn").count(), len(self.users)
        )
        with self.assertRaises(InvalidTransition):
            self.vote(resolution, self.users[5])


class TestVotingReminders(ResolutionCase):
    def run_job(self):
        with self.captureOnCommitCallbacks(execute=True):
            return jobs.governance_daily(TODAY)

    def test_members_yet_to_vote_are_reminded_once_before_voting_closes(self):
        closing = self.written(voting_closes_at=timezone.now() + timedelta(hours=20))
        self.written(voting_closes_at=timezone.now() + timedelta(days=3), title="Later")
        self.vote(closing, self.users[0])
        self.assertEqual(self.run_job()["voting_reminders"], 1)
        self.assertEqual(self.run_job()["voting_reminders"], 0)
        reminded = Notification.objects.filter(title__startswith="Voting closes")
        self.assertEqual(
            set(reminded.values_list("recipient_id", flat=True)),
            {user.pk for user in self.users[1:]},
        )
