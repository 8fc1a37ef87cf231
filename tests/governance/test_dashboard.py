"""Governance on the home page: votes open for the user's seats and the meetings they
are invited to, for seated members only, in a constant number of queries."""

from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import OrganizationKind, Role
from governance import dashboard as panels
from governance.models import Vote
from tests.factories import OrganizationFactory, member
from tests.people import People

from .helpers import TODAY, make_board, make_meeting, make_resolution, seat


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
