"""The student list (page and API) runs as many queries for 1 row as for 50."""

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from tests.helpers.queries import assert_constant_queries
from tests.people import People

from .students import make_student


class TestStudentQueries(People, TestCase):
    def add(self, count: int):
        start = getattr(self, "_next", 0)
        for index in range(start, start + count):
            make_student(self.college, f"Q{index:04d}")
        self._next = start + count

    def test_the_list_page(self):
        self.add(1)
        self.client.force_login(self.alice)
        assert_constant_queries(self, lambda: self.client.get(reverse("student-list")), self.add)

    def test_the_api_list(self):
        self.add(1)
        client = APIClient()
        client.force_authenticate(self.alice)
        assert_constant_queries(self, lambda: client.get(reverse("api:student-list")), self.add)

    def test_the_api_list_for_government(self):
        self.add(1)
        client = APIClient()
        client.force_authenticate(self.olivia)
        assert_constant_queries(self, lambda: client.get(reverse("api:student-list")), self.add)
