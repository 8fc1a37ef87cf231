"""The secondment list (page and API) and the teachers' days (page and API) run as many
queries for 1 row as for 50."""

from datetime import date

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from tests.helpers.queries import assert_constant_queries
from tests.people import People

from .secondments import HostEnterprises, make_secondment


class TestSecondmentQueries(HostEnterprises, People, TestCase):
    def add(self, count: int):
        """``count`` more secondments, each of a teacher of its own."""
        start = getattr(self, "_next", 0)
        for index in range(start, start + count):
            make_secondment(
                self.college, self.host, teacher_number=f"Q{index:04d}", start_date=date(2025, 1, 1)
            )
        self._next = start + count

    def api(self, user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    def test_the_list_page(self):
        self.add(1)
        self.client.force_login(self.alice)
        assert_constant_queries(self, lambda: self.client.get(reverse("secondment-list")), self.add)

    def test_the_api_list(self):
        self.add(1)
        client = self.api(self.alice)
        assert_constant_queries(self, lambda: client.get(reverse("api:secondment-list")), self.add)

    def test_the_api_list_for_the_host_and_for_government(self):
        self.add(1)
        for person in (self.hua, self.olivia):
            client = self.api(person)
            assert_constant_queries(
                self, lambda c=client: c.get(reverse("api:secondment-list")), self.add
            )

    def test_the_teachers_days_page(self):
        self.add(1)
        self.client.force_login(self.alice)
        assert_constant_queries(
            self, lambda: self.client.get(reverse("secondment-teacher-days")), self.add
        )

    def test_the_teachers_days_api(self):
        self.add(1)
        client = self.api(self.alice)
        assert_constant_queries(
            self, lambda: client.get(reverse("api:secondment-teacher-days")), self.add
        )

    def test_the_home_page_of_a_college_admin(self):
        self.add(1)
        self.client.force_login(self.alice)
        assert_constant_queries(self, lambda: self.client.get(reverse("home")), self.add)
