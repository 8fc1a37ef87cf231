"""Governance on the home page: votes open for the user's seats and the meetings they
are invited to, for seated members only; the minutes to approve and the boards out of
line with their rules, for the body's admins only; each in a constant number of
queries."""

from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from governance import dashboard as panels
from governance.models import Board, Vote
from governance.services import board_warnings, with_warning_count
from tests.factories import OrganizationFactory, member
from tests.governance import test_boards
from tests.helpers.queries import assert_constant_queries
from tests.partnerships.test_permissions import make_partnership
from tests.people import People

from .helpers import TODAY, make_board, make_meeting, make_resolution, seat, seat_many


class GovernanceDashboardCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.director = member(cls.enterprise, Role.ADMIN, "hx_director")

    def setUp(self):
        self.board = make_board(self.college)
        self.seat = seat(self.board, self.director, constituency="enterprise")


class TestVotesOpen(GovernanceDashboardCase):
    def test_a_seated_member_sees_the_vote_until_voting(self):
        resolution = make_resolution(self.board, status="voting", title="Budget 2027")
        make_resolution(self.board, status="draft", title="Not yet open")
        labels = [item.label for item in panels.votes_open_for_you(self.director)]
        self.assertEqual(labels, ["Vote on “Budget 2027” (Riverside council)"])
        Vote.objects.create(resolution=resolution, member=self.seat, choice="for")
        self.assertEqual(panels.votes_open_for_you(self.director), [])

    def test_someone_without_a_seat_sees_nothing(self):
        make_resolution(self.board, status="voting")
        for user in (self.alice, self.charlie, self.olivia):
            self.assertEqual(panels.votes_open_for_you(user), [], user)


class TestMeetings(GovernanceDashboardCase):
    def test_meetings_in_the_next_two_weeks_of_the_users_boards(self):
        make_meeting(self.board, day=TODAY + timedelta(days=3), title="Spring plenary")
        make_meeting(self.board, day=TODAY + timedelta(days=30), title="Too far")
        make_meeting(self.board, day=TODAY + timedelta(days=5), title="Off", status="cancelled")
        labels = [item.label for item in panels.meetings_you_are_invited_to(self.director)]
        self.assertEqual(labels, ["Meeting “Spring plenary” of Riverside council"])
        self.assertEqual(panels.meetings_you_are_invited_to(self.charlie), [])


class TestTheHomePage(GovernanceDashboardCase):
    def test_the_home_page_lists_them_in_as_many_queries_for_1_as_for_20(self):
        self.client.force_login(self.director)
        make_resolution(self.board, status="voting", title="R0")
        self.client.get(reverse("home"))
        with CaptureQueriesContext(connection) as one:
            response = self.client.get(reverse("home"))
        self.assertContains(response, "Vote on “R0”")
        for index in range(1, 20):
            make_resolution(self.board, status="voting", title=f"R{index}")
            make_meeting(self.board, day=TODAY + timedelta(days=2), title=f"M{index}")
        with CaptureQueriesContext(connection) as many:
            self.client.get(reverse("home"))
        self.assertEqual(len(one), len(many))


class TestMinutesToApprove(GovernanceDashboardCase):
    def labels(self, user) -> list[str]:
        return [item.label for item in panels.minutes_to_approve(user)]

    def test_the_bodys_admins_see_minutes_written_but_not_approved(self):
        day = TODAY - timedelta(days=7)
        make_meeting(self.board, day=day, title="Spring plenary", status="held", minutes="Agreed.")
        make_meeting(self.board, day=day, title="No minutes yet", status="held")
        make_meeting(
            self.board,
            day=day,
            title="Approved",
            status="held",
            minutes="Agreed.",
            minutes_approved_at=timezone.now(),
        )
        make_meeting(self.board, day=day, title="Cancelled", status="cancelled", minutes="x")
        self.assertEqual(
            self.labels(self.alice),
            [f"Approve the minutes of “Spring plenary” (Riverside council, {day.isoformat()})"],
        )
        for user in (self.bob, self.victor, self.charlie, self.olivia, self.gary, self.director):
            self.assertEqual(self.labels(user), [], user)

    def test_a_partnerships_board_waits_on_the_leads_admins(self):
        partnership = make_partnership(self.college, self.enterprise)
        board = make_board(partnership, name="Industry college council")
        make_meeting(board, status="held", minutes="Agreed.", title="Founding meeting")
        self.assertEqual(len(self.labels(self.alice)), 1)
        self.assertEqual(self.labels(self.director), [])  # the member's admin, not the lead's


class TestBoardsOutOfLine(GovernanceDashboardCase):
    def items(self, user):
        return panels.boards_out_of_line(user)

    def test_the_bodys_admins_see_each_board_with_its_number_of_warnings(self):
        (item,) = self.items(self.alice)
        count = len(board_warnings(self.board))
        self.assertEqual(item.url, self.board.get_absolute_url())
        self.assertEqual(
            item.label, f"Riverside council: {count} warnings about its composition or meetings"
        )
        for user in (self.bob, self.victor, self.charlie, self.olivia, self.director):
            self.assertEqual(self.items(user), [], user)

    def test_a_board_in_line_with_its_rules_is_not_listed(self):
        seat_many(self.board, 20, users=False)
        make_meeting(self.board, day=TODAY - timedelta(days=30), status="held", kind="plenary")
        self.assertEqual(board_warnings(self.board), [])
        self.assertEqual(self.items(self.alice), [])

    def test_a_partnerships_boards_are_the_leads_admins(self):
        partnership = make_partnership(self.college, self.enterprise)
        make_board(partnership, name="Alliance council")
        self.assertEqual(
            [item.url for item in self.items(self.alice)],
            [board.get_absolute_url() for board in Board.objects.order_by("name", "pk")],
        )
        self.assertEqual(self.items(self.director), [])


class TestTheSqlCountAgreesWithTheWarnings(test_boards.TestWarnings):
    """Every boundary of the warnings' own tests, counted again in SQL."""

    def codes(self, board=None):
        codes = super().codes(board)
        board = board or self.board
        counted = with_warning_count(Board.objects.filter(pk=board.pk)).get().warning_count
        self.assertEqual(counted, len(codes), codes)
        return codes


class TestTheAdminsHomePage(GovernanceDashboardCase):
    def test_minutes_and_boards_cost_as_many_queries_for_1_as_for_30(self):
        make_meeting(self.board, status="held", minutes="Agreed.", title="Meeting 0")

        def add(count: int) -> None:
            for index in range(count):
                board = make_board(self.college, name=f"Board {index:02d}")
                make_meeting(board, status="held", minutes="Agreed.", title=f"Meeting {index + 1}")

        self.client.force_login(self.alice)
        assert_constant_queries(self, lambda: self.client.get(reverse("home")), add, rows=30)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Minutes to approve")
        self.assertContains(response, "Boards out of line with their rules")
        self.assertEqual(len(panels.minutes_to_approve(self.alice)), panels.SHOWN)
        self.assertEqual(len(panels.boards_out_of_line(self.alice)), panels.SHOWN)
