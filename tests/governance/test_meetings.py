"""Meetings through the services: the transition table, invitations, attendance with
proxies, the quorum at each boundary, minutes, and the reminders before a meeting."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from governance import jobs, services
from governance.models import Attendance, AttendanceStatus, Meeting, MeetingStatus
from portal.models import Notification
from portal.workflow import InvalidTransition
from tests.factories import UserFactory
from tests.helpers.locks import assert_lock_order
from tests.people import People

from .helpers import (
    TODAY,
    at,
    attend,
    make_board,
    make_meeting,
    make_resolution,
    seat,
    seat_many,
)

M = MeetingStatus
A = AttendanceStatus


class MeetingCase(People, TestCase):
    def setUp(self):
        self.board = make_board(self.college)
        self.members = seat_many(self.board, 4)
        self.meeting = make_meeting(self.board)


class TestTheTransitionTable(MeetingCase):
    def test_every_move_follows_the_table(self):
        moves = {
            M.HELD: lambda meeting: services.meeting_hold(actor=self.alice, meeting=meeting),
            M.CANCELLED: lambda meeting: services.meeting_cancel(
                actor=self.alice, meeting=meeting, reason="Flood"
            ),
        }
        for status in M.values:
            for target, move in moves.items():
                with self.subTest(status=status, target=target):
                    meeting = make_meeting(self.board, status=status)
                    if target in services.MEETING_TRANSITIONS[status]:
                        self.assertEqual(move(meeting).status, target)
                    else:
                        with self.assertRaises(InvalidTransition):
                            move(meeting)

    def test_a_meeting_is_held_once_it_has_started(self):
        later = make_meeting(self.board, day=TODAY + timedelta(days=1))
        with self.assertRaises(ValidationError):
            services.meeting_hold(actor=self.alice, meeting=later)

    def test_cancelling_needs_a_reason_and_tells_the_invited(self):
        with self.assertRaises(ValidationError):
            services.meeting_cancel(actor=self.alice, meeting=self.meeting, reason=" ")
        services.meeting_cancel(actor=self.alice, meeting=self.meeting, reason="Typhoon")
        self.assertEqual(
            Notification.objects.filter(title__startswith="Cancelled").count(), len(self.members)
        )

    def test_only_the_bodys_admins_move_a_meeting(self):
        for actor in (self.bob, self.charlie, self.members[0].user):
            with self.subTest(actor=actor.username), self.assertRaises(PermissionDenied):
                services.meeting_hold(actor=actor, meeting=self.meeting)


class TestScheduling(MeetingCase):
    def schedule(self, **fields):
        fields.setdefault("title", "Spring plenary")
        fields.setdefault("starts_at", at(TODAY + timedelta(days=10), 9))
        fields.setdefault("place", "Hall A")
        return services.meeting_schedule(actor=self.alice, board=self.board, **fields)

    def test_the_members_seated_on_the_day_with_a_portal_account_are_invited(self):
        gone = seat(self.board, UserFactory(username="gone"), left_on=TODAY)
        seat(self.board, name="Outside expert")  # no portal account: not notified
        meeting = self.schedule()
        self.assertEqual(set(services.invited(meeting)), {member.user for member in self.members})
        for member in self.members:
            self.assertEqual(member.user.notifications.count(), 1)
        self.assertFalse(gone.user.notifications.exists())

    def test_a_place_or_a_link_is_needed(self):
        with self.assertRaises(ValidationError):
            self.schedule(place="")
        self.assertEqual(self.schedule(place="", link="https://meet.example.org/x").place, "")

    def test_moving_a_meeting_tells_the_invited_other_changes_do_not(self):
        meeting = self.schedule()
        services.meeting_update(actor=self.alice, meeting=meeting, agenda="1. Budget")
        self.assertFalse(Notification.objects.filter(title__startswith="Moved").exists())
        services.meeting_update(
            actor=self.alice, meeting=meeting, starts_at=at(TODAY + timedelta(days=11), 9)
        )
        self.assertEqual(
            Notification.objects.filter(title__startswith="Moved").count(), len(self.members)
        )

    def test_only_a_scheduled_meeting_changes(self):
        self.meeting.status = M.HELD
        self.meeting.save()
        with self.assertRaises(InvalidTransition):
            services.meeting_update(actor=self.alice, meeting=self.meeting, title="X")

    def test_staff_cannot_schedule(self):
        with self.assertRaises(PermissionDenied):
            services.meeting_schedule(
                actor=self.bob, board=self.board, title="X", starts_at=at(TODAY), place="A"
            )


class TestAttendance(MeetingCase):
    def record(self, *rows, meeting=None):
        return services.meeting_record_attendance(
            actor=self.alice,
            meeting=meeting or self.meeting,
            rows=[
                {"member": member, "status": status, "proxy_holder": holder}
                for member, status, holder in rows
            ],
        )

    def test_present_by_proxy_and_absent_are_recorded(self):
        a, b, c, _d = self.members
        self.record((a, A.PRESENT, None), (b, A.PROXY, a), (c, A.ABSENT, None))
        self.assertEqual(
            sorted(Attendance.objects.values_list("member_id", "status", "proxy_holder_id")),
            sorted([(a.pk, A.PRESENT, None), (b.pk, A.PROXY, a.pk), (c.pk, A.ABSENT, None)]),
        )
        self.record((c, A.PRESENT, None))  # replaces what was recorded for c
        self.assertEqual(Attendance.objects.get(member=c).status, A.PRESENT)

    def test_the_proxy_holder_must_attend_in_person(self):
        a, b, c, _d = self.members
        for rows in (
            [(b, A.PROXY, a)],  # a not recorded
            [(a, A.ABSENT, None), (b, A.PROXY, a)],
            [(a, A.PROXY, c), (c, A.PRESENT, None), (b, A.PROXY, a)],  # a is a proxy too
        ):
            with self.subTest(rows=rows), self.assertRaises(ValidationError):
                self.record(*rows)
        self.assertFalse(Attendance.objects.exists())  # all rows or none

    def test_not_their_own_proxy_and_not_a_stranger(self):
        a, b, *_ = self.members
        other_board = make_board(self.college, name="Other")
        stranger = seat(other_board, UserFactory(username="stranger"))
        for rows in ([(a, A.PROXY, a)], [(stranger, A.PRESENT, None)]):
            with self.subTest(rows=rows), self.assertRaises(ValidationError):
                self.record(*rows)
        attend(self.meeting, [stranger])  # (directly: a stranger's row)
        with self.assertRaises(ValidationError):
            self.record((b, A.PROXY, stranger))

    def test_only_members_seated_on_the_day(self):
        later = seat(self.board, start=TODAY + timedelta(days=1))
        with self.assertRaises(ValidationError):
            self.record((later, A.PRESENT, None))

    def test_a_cancelled_meeting_or_approved_minutes_fix_the_record(self):
        fixed = make_meeting(self.board, status=M.HELD, minutes="Done.")
        fixed.minutes_approved_at = timezone.now()
        fixed.save()
        cancelled = make_meeting(self.board, status=M.CANCELLED)
        for meeting in (fixed, cancelled):
            with self.assertRaises(InvalidTransition):
                self.record((self.members[0], A.PRESENT, None), meeting=meeting)

    def test_once_voting_opens_at_the_meeting_the_attendance_is_fixed(self):
        a, *_ = self.members
        self.record((a, A.PRESENT, None))
        make_resolution(self.board, status="voting", meeting=self.meeting)
        with self.assertRaises(InvalidTransition):
            self.record((a, A.ABSENT, None))
        self.assertEqual(Attendance.objects.get(member=a).status, A.PRESENT)

    def test_recording_locks_the_meeting(self):
        self.assertEqual(
            assert_lock_order(lambda: self.record((self.members[0], A.PRESENT, None))),
            ["governance_meeting"],
        )


class TestQuorum(People, TestCase):
    def meeting_with(self, seated, present=0, by_proxy=0, absent=0, percent=50):
        board = make_board(self.college, quorum_percent=percent)
        members = seat_many(board, seated, users=False)
        meeting = make_meeting(board)
        attend(meeting, members[:present])
        if by_proxy:
            attend(meeting, members[present : present + by_proxy], A.PROXY, holder=members[0])
        attend(meeting, members[present + by_proxy : present + by_proxy + absent], A.ABSENT)
        return meeting

    def test_a_majority_needs_strictly_more_than_half(self):
        for seated, attending, met in ((10, 5, False), (10, 6, True), (9, 4, False), (9, 5, True)):
            with self.subTest(seated=seated, attending=attending):
                result = services.quorum(self.meeting_with(seated, attending))
                self.assertEqual((result.seated, result.attending), (seated, attending))
                self.assertIs(result.met, met)

    def test_another_share_is_strictly_more_than_it(self):
        self.assertFalse(services.quorum(self.meeting_with(10, 6, percent=60)).met)
        self.assertTrue(services.quorum(self.meeting_with(10, 7, percent=60)).met)

    def test_two_thirds_for_an_amendment_exactly_two_thirds_is_enough(self):
        for seated, attending, met in ((9, 6, True), (9, 5, False), (10, 7, True), (10, 6, False)):
            with self.subTest(seated=seated, attending=attending):
                meeting = self.meeting_with(seated, attending)
                self.assertIs(services.quorum(meeting, two_thirds=True).met, met)
        # The board's own rule, when stricter, still applies.
        self.assertFalse(services.quorum(self.meeting_with(9, 6, percent=75), two_thirds=True).met)

    def test_proxies_are_counted_once_absentees_not_at_all(self):
        result = services.quorum(self.meeting_with(10, present=3, by_proxy=3, absent=4))
        self.assertEqual((result.present, result.by_proxy, result.attending), (3, 3, 6))
        self.assertTrue(result.met)

    def test_no_seated_members_no_quorum(self):
        self.assertFalse(services.quorum(self.meeting_with(0)).met)

    def test_members_not_seated_on_the_day_do_not_count(self):
        meeting = self.meeting_with(4, present=3)
        member = meeting.attendance.first().member
        member.left_on = TODAY
        member.save()
        result = services.quorum(meeting)
        self.assertEqual((result.seated, result.attending), (3, 2))

    def test_quorum_runs_two_queries(self):
        meeting = self.meeting_with(10, 6)
        meeting = Meeting.objects.select_related("board").get(pk=meeting.pk)
        with self.assertNumQueries(2):
            services.quorum(meeting)


class TestMinutes(MeetingCase):
    def test_minutes_are_written_then_approved_and_then_fixed(self):
        with self.assertRaises(InvalidTransition):  # not held yet
            services.meeting_record_minutes(actor=self.alice, meeting=self.meeting, minutes="X")
        services.meeting_hold(actor=self.alice, meeting=self.meeting)
        with self.assertRaises(ValidationError):
            services.meeting_approve_minutes(actor=self.alice, meeting=self.meeting)
        written = services.meeting_record_minutes(
            actor=self.alice, meeting=self.meeting, minutes="Met."
        )
        self.assertEqual(
            services.meeting_actions(self.alice, written),
            {"record_attendance", "record_minutes", "approve_minutes"},
        )
        approved = services.meeting_approve_minutes(actor=self.alice, meeting=self.meeting)
        self.assertIsNotNone(approved.minutes_approved_at)
        self.assertEqual(
            Notification.objects.filter(title__startswith="Minutes approved").count(),
            len(self.members),
        )
        with self.assertRaises(InvalidTransition):
            services.meeting_record_minutes(actor=self.alice, meeting=self.meeting, minutes="Y")
        self.assertEqual(services.meeting_actions(self.alice, approved), set())

    def test_staff_cannot_approve(self):
        with self.assertRaises(PermissionDenied):
            services.meeting_approve_minutes(actor=self.bob, meeting=self.meeting)


class TestMeetingActions(MeetingCase):
    def test_what_the_admins_may_do_on_a_scheduled_meeting(self):
        self.assertEqual(
            services.meeting_actions(self.alice, self.meeting),
            {"edit", "cancel", "record_attendance", "hold"},
        )
        later = make_meeting(self.board, day=TODAY + timedelta(days=3))
        self.assertNotIn("hold", services.meeting_actions(self.alice, later))
        self.assertEqual(services.meeting_actions(self.members[0].user, self.meeting), set())


class TestMeetingReminders(MeetingCase):
    def run_job(self, today=TODAY):
        with self.captureOnCommitCallbacks(execute=True):
            return jobs.governance_daily(today)

    def test_the_invited_are_reminded_two_days_before_once(self):
        self.meeting.delete()
        soon = make_meeting(self.board, day=TODAY + timedelta(days=2), hour=9)
        make_meeting(self.board, day=TODAY + timedelta(days=3), hour=9, title="Later")
        make_meeting(self.board, day=TODAY + timedelta(days=1), status=M.CANCELLED)
        self.assertEqual(self.run_job()["meeting_reminders"], 1)
        self.assertEqual(self.run_job()["meeting_reminders"], 0)
        user = self.members[0].user
        self.assertEqual(
            list(user.notifications.values_list("title", flat=True)),
            [f"Reminder: Plenary session (Riverside council), {soon.starts_at:%Y-%m-%d} 09:00"],
        )

    def test_a_moved_meeting_is_reminded_again(self):
        self.meeting.starts_at = at(TODAY + timedelta(days=1), 9)
        self.meeting.save()
        self.run_job()
        services.meeting_update(
            actor=self.alice, meeting=self.meeting, starts_at=at(TODAY + timedelta(days=2), 9)
        )
        self.assertEqual(self.run_job()["meeting_reminders"], 1)
