"""Boards and their members through the services: who sets them up, seats by
constituency (the maximum refused), terms, one seat per person, the seats filled and
the warnings at their boundaries."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from accounts.models import OrganizationKind, Role
from governance import services
from governance.models import Board, BoardKind, Constituency, MeetingStatus
from governance.services.boards import RULES_2014
from partnerships.models import Partnership
from portal.models import Notification
from portal.workflow import InvalidTransition
from tests.factories import OrganizationFactory, UserFactory, member
from tests.helpers.locks import assert_lock_order
from tests.people import People

from .helpers import TERM_START, TODAY, at, make_board, make_meeting, seat, seat_many

C = Constituency


class BoardCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hx_admin = member(cls.enterprise, Role.ADMIN, "hx_admin")
        cls.partnership = Partnership.objects.create(
            name="Smart manufacturing industry college", kind="industry_college", lead=cls.college
        )
        cls.root = UserFactory(username="root", is_superuser=True)

    def add(self, board, actor=None, **fields):
        fields.setdefault("name", "Li Na")
        fields.setdefault("constituency", C.TEACHERS)
        fields.setdefault("term_start", TODAY)
        return services.member_add(actor=actor or self.alice, board=board, **fields)


class TestSettingUpABoard(BoardCase):
    def create(self, actor=None, **fields):
        fields.setdefault("organization", self.college)
        fields.setdefault("seats", {C.ENTERPRISE: (2, 5), C.TEACHERS: (1, 3)})
        return services.board_create(
            actor=actor or self.alice, name="Council", kind=BoardKind.COUNCIL, **fields
        )

    def test_the_bodys_admins_set_up_a_board_with_its_seats(self):
        board = self.create()
        self.assertEqual(board.term_years, 5)
        self.assertEqual(board.quorum_percent, 50)
        self.assertEqual(
            sorted(board.seats.values_list("constituency", "minimum", "maximum")),
            [(C.ENTERPRISE, 2, 5), (C.TEACHERS, 1, 3)],
        )

    def test_staff_another_college_and_government_cannot(self):
        for actor in (self.bob, self.charlie, self.gary):
            with self.subTest(actor=actor.username), self.assertRaises(PermissionDenied):
                self.create(actor=actor)
        self.assertFalse(Board.objects.exists())

    def test_a_superuser_can(self):
        self.assertEqual(self.create(actor=self.root).organization, self.college)

    def test_a_partnerships_board_is_set_up_by_the_leads_admins(self):
        board = self.create(organization=None, partnership=self.partnership)
        self.assertEqual(board.partnership, self.partnership)
        with self.assertRaises(PermissionDenied):
            self.create(organization=None, partnership=self.partnership, actor=self.hx_admin)

    def test_a_minimum_above_the_maximum_is_refused(self):
        with self.assertRaises(ValidationError) as raised:
            self.create(seats={C.ENTERPRISE: (4, 3)})
        self.assertIn("seats", raised.exception.message_dict)
        self.create(seats={C.ENTERPRISE: (3, 3)})

    def test_no_seats_or_an_unknown_constituency_is_refused(self):
        for seats in ({}, {"pirates": (0, 2)}, {C.ENTERPRISE: (0, 0)}):
            with self.subTest(seats=seats), self.assertRaises(ValidationError):
                self.create(seats=seats)

    def test_one_body_exactly(self):
        with self.assertRaises(ValidationError):
            self.create(partnership=self.partnership)


class TestChangingABoard(BoardCase):
    def setUp(self):
        self.board = make_board(self.college, seats={C.ENTERPRISE: (0, 5), C.TEACHERS: (0, 5)})

    def test_seats_are_replaced(self):
        services.board_update(
            actor=self.alice, board=self.board, seats={C.GOVERNMENT: (1, 2)}, name="New"
        )
        self.board.refresh_from_db()
        self.assertEqual(self.board.name, "New")
        self.assertEqual(
            list(self.board.seats.values_list("constituency", flat=True)), ["government"]
        )

    def test_a_maximum_below_the_members_seated_is_refused(self):
        seat_many(self.board, 3, users=False, constituency=C.ENTERPRISE)
        with self.assertRaises(ValidationError):
            services.board_update(
                actor=self.alice, board=self.board, seats={C.ENTERPRISE: (0, 2), C.TEACHERS: (0, 5)}
            )
        with self.assertRaises(ValidationError):
            services.board_update(actor=self.alice, board=self.board, seats={C.TEACHERS: (0, 5)})
        services.board_update(
            actor=self.alice, board=self.board, seats={C.ENTERPRISE: (0, 3)}
        )  # teachers had nobody seated: dropping it is fine

    def test_members_whose_terms_are_still_to_come_count_too(self):
        later = TODAY + timedelta(days=90)
        seat_many(self.board, 2, users=False, constituency=C.ENTERPRISE, start=later)
        for seats in ({C.ENTERPRISE: (0, 1), C.TEACHERS: (0, 5)}, {C.TEACHERS: (0, 5)}):
            with self.subTest(seats=seats), self.assertRaises(ValidationError):
                services.board_update(actor=self.alice, board=self.board, seats=seats)
        services.board_update(actor=self.alice, board=self.board, seats={C.ENTERPRISE: (0, 2)})

    def test_staff_cannot(self):
        with self.assertRaises(PermissionDenied):
            services.board_update(actor=self.bob, board=self.board, name="X")


class TestMembers(BoardCase):
    def setUp(self):
        self.board = make_board(self.college, seats={C.ENTERPRISE: (0, 2), C.TEACHERS: (0, 5)})

    def test_a_term_runs_the_boards_term_unless_told(self):
        added = self.add(self.board)
        self.assertEqual(added.term_end, TODAY + relativedelta(years=5))
        self.board.term_years = 3
        self.board.save()
        other = self.add(self.board, name="Wang Fang", term_start=TERM_START)
        self.assertEqual(other.term_end, TERM_START + relativedelta(years=3))

    def test_a_term_longer_than_the_boards_is_refused_a_full_term_is_not(self):
        with self.assertRaises(ValidationError) as raised:
            self.add(self.board, term_end=TODAY + relativedelta(years=5, days=1))
        self.assertIn("term_end", raised.exception.message_dict)
        self.add(self.board, term_end=TODAY + relativedelta(years=5))

    def test_a_member_beyond_the_constituencys_maximum_is_refused(self):
        self.add(self.board, name="A", constituency=C.ENTERPRISE)
        self.add(self.board, name="B", constituency=C.ENTERPRISE)
        with self.assertRaises(ValidationError) as raised:
            self.add(self.board, name="C", constituency=C.ENTERPRISE)
        self.assertIn("All 2 seat(s)", str(raised.exception))
        self.assertEqual(self.board.members.filter(constituency=C.ENTERPRISE).count(), 2)

    def test_members_who_left_or_sit_at_other_times_leave_the_seat_free(self):
        gone = seat(self.board, constituency=C.ENTERPRISE)
        services.member_leave(actor=self.alice, member=gone)
        # Seated for two years, then over: a later term does not meet it.
        seat(
            self.board,
            constituency=C.ENTERPRISE,
            start=TODAY - relativedelta(years=4),
            years=2,
        )
        # Two members whose terms never meet count as one seat at a time.
        seat(self.board, constituency=C.ENTERPRISE, start=TODAY, years=1)
        seat(self.board, constituency=C.ENTERPRISE, start=TODAY + relativedelta(years=2), years=1)
        self.add(self.board, constituency=C.ENTERPRISE)
        with self.assertRaises(ValidationError):
            self.add(self.board, name="Third", constituency=C.ENTERPRISE)

    def test_a_constituency_without_seats_is_refused(self):
        with self.assertRaises(ValidationError) as raised:
            self.add(self.board, constituency=C.STUDENTS)
        self.assertIn("constituency", raised.exception.message_dict)

    def test_a_portal_user_holds_one_seat_per_board_and_is_told(self):
        dana = UserFactory(username="dana", first_name="Dana", last_name="Li")
        added = self.add(self.board, user=dana, name="")
        self.assertEqual(added.name, "Dana Li")
        self.assertTrue(Notification.objects.filter(recipient=dana).exists())
        with self.assertRaises(ValidationError) as raised:
            self.add(self.board, user=dana, constituency=C.ENTERPRISE)
        self.assertIn("user", raised.exception.message_dict)
        self.add(make_board(self.college, name="Other"), user=dana)  # another board is fine

    def test_the_database_refuses_a_second_seat_too(self):
        dana = UserFactory(username="dana")
        seat(self.board, dana)
        with self.assertRaises(IntegrityError), transaction.atomic():
            seat(self.board, dana, constituency=C.ENTERPRISE)

    def test_only_the_bodys_admins_add(self):
        with self.assertRaises(PermissionDenied):
            self.add(self.board, actor=self.bob)
        with self.assertRaises(PermissionDenied):
            self.add(self.board, actor=self.charlie)

    def test_moving_a_member_into_a_full_constituency_is_refused(self):
        seat_many(self.board, 2, users=False, constituency=C.ENTERPRISE)
        teacher = seat(self.board)
        with self.assertRaises(ValidationError):
            services.member_update(actor=self.alice, member=teacher, constituency=C.ENTERPRISE)
        updated = services.member_update(actor=self.alice, member=teacher, position="secretary")
        self.assertEqual(updated.position, "secretary")

    def test_leaving_frees_the_seat_and_tells_the_member(self):
        dana = UserFactory(username="dana")
        leaving = seat(self.board, dana, constituency=C.ENTERPRISE)
        seat(self.board, constituency=C.ENTERPRISE)
        services.member_leave(actor=self.alice, member=leaving)
        self.assertEqual(dana.notifications.count(), 1)
        self.add(self.board, constituency=C.ENTERPRISE)
        with self.assertRaises(InvalidTransition):
            services.member_leave(actor=self.alice, member=leaving)
        with self.assertRaises(InvalidTransition):
            services.member_update(actor=self.alice, member=leaving, name="X")


class TestSeatsFilled(BoardCase):
    def test_each_constituency_counts_its_seated_members_in_one_query(self):
        board = make_board(self.college, seats={C.ENTERPRISE: (1, 4), C.TEACHERS: (2, 5)})
        seat_many(board, 3, users=False, constituency=C.ENTERPRISE)
        seat(board, left_on=TODAY, constituency=C.TEACHERS)  # left
        seat(board, start=TODAY + timedelta(days=1), constituency=C.TEACHERS)  # not yet
        with self.assertNumQueries(1):
            rows = services.seats_filled(board)
        self.assertEqual(
            [(r["constituency"], r["minimum"], r["maximum"], r["filled"]) for r in rows],
            [(C.ENTERPRISE, 1, 4, 3), (C.TEACHERS, 2, 5, 0)],
        )
        self.assertEqual(str(rows[0]["label"]), "Enterprise")


class TestWarnings(BoardCase):
    def setUp(self):
        self.board = make_board(self.college, seats={C.ENTERPRISE: (1, 40), C.TEACHERS: (0, 40)})
        make_meeting(self.board, day=TODAY - timedelta(days=30), status=MeetingStatus.HELD)

    def codes(self, board=None):
        return [warning.code for warning in services.board_warnings(board or self.board)]

    def test_twenty_members_warn_twenty_one_do_not(self):
        seat_many(self.board, 1, users=False, constituency=C.ENTERPRISE)
        seat_many(self.board, 19, users=False, prefix="t")
        self.assertEqual(self.codes(), ["too_few_members"])
        seat(self.board)
        self.assertEqual(self.codes(), [])

    def test_a_college_council_cites_the_2014_rules_other_boards_do_not(self):
        (warning,) = [w for w in services.board_warnings(self.board) if w.code == "too_few_members"]
        self.assertIn(RULES_2014, warning.message)
        self.assertIn("21", warning.message)
        alliance = make_board(self.partnership, kind=BoardKind.ALLIANCE_COUNCIL)
        messages = [w.message for w in services.board_warnings(alliance)]
        self.assertTrue(messages)
        self.assertFalse(any(RULES_2014 in message for message in messages))

    def test_no_industry_or_enterprise_member(self):
        seat_many(self.board, 21, users=False)
        self.assertIn("no_industry", self.codes())
        self.assertIn("under_minimum", self.codes())
        board = make_board(self.college, name="B", seats={C.ASSOCIATION: (0, 2)})
        seat(board, constituency=C.ASSOCIATION)
        self.assertNotIn("no_industry", self.codes(board))

    def test_terms_beyond_five_years(self):
        seat_many(self.board, 1, users=False, constituency=C.ENTERPRISE)
        seat_many(self.board, 20, users=False, prefix="t")
        self.board.term_years = 6
        self.board.save()
        self.assertEqual(self.codes(), ["long_terms"])
        self.board.term_years = 5
        self.board.save()
        self.assertEqual(self.codes(), [])
        seat(self.board, years=6)  # a member's term set before the board's was shortened
        self.assertEqual(self.codes(), ["long_terms"])

    def test_no_plenary_meeting_held_in_the_last_twelve_months(self):
        seat_many(self.board, 1, users=False, constituency=C.ENTERPRISE)
        seat_many(self.board, 20, users=False, prefix="t")
        self.board.meetings.update(starts_at=at(TODAY - relativedelta(months=12)))
        self.assertEqual(self.codes(), [])
        self.board.meetings.update(starts_at=at(TODAY - relativedelta(months=12, days=1)))
        self.assertEqual(self.codes(), ["no_plenary"])
        # Recent, but cancelled, or not plenary: still no plenary held.
        make_meeting(self.board, status=MeetingStatus.CANCELLED)
        make_meeting(self.board, status=MeetingStatus.HELD, kind="committee")
        self.assertEqual(self.codes(), ["no_plenary"])

    def test_a_constituency_under_its_minimum(self):
        seat_many(self.board, 21, users=False)
        (warning,) = [w for w in services.board_warnings(self.board) if w.code == "under_minimum"]
        self.assertIn("Enterprise: 0 seated", warning.message)


class TestBoardActions(BoardCase):
    def test_the_bodys_admins_manage_others_do_nothing(self):
        board = make_board(self.college)
        self.assertEqual(
            services.board_actions(self.alice, board),
            {"edit", "add_member", "schedule_meeting", "draft_resolution"},
        )
        for user in (self.bob, self.victor, self.charlie, self.olivia):
            self.assertEqual(services.board_actions(user, board), set())
        partnership_board = make_board(self.partnership)
        self.assertTrue(services.board_actions(self.alice, partnership_board))
        self.assertFalse(services.board_actions(self.hx_admin, partnership_board))

    def test_board_member_for_finds_the_seat_only_while_seated(self):
        board = make_board(self.college)
        dana = UserFactory(username="dana")
        self.assertIsNone(services.board_member_for(dana, board))
        held = seat(board, dana)
        self.assertEqual(services.board_member_for(dana, board), held)
        self.assertIsNone(services.board_member_for(dana, board, on=TERM_START - timedelta(days=1)))


class TestBoardLockOrder(BoardCase):
    def setUp(self):
        self.board = make_board(self.college)

    def test_adding_locks_the_board(self):
        self.assertEqual(assert_lock_order(lambda: self.add(self.board)), ["governance_board"])

    def test_changing_and_leaving_lock_the_board_then_the_member(self):
        held = seat(self.board)
        expected = ["governance_board", "governance_boardmember"]
        self.assertEqual(
            assert_lock_order(
                lambda: services.member_update(actor=self.alice, member=held, name="X")
            ),
            expected,
        )
        self.assertEqual(
            assert_lock_order(lambda: services.member_leave(actor=self.alice, member=held)),
            expected,
        )
