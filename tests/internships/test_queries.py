"""The placement list (page and API) runs as many queries for 1 row as for 50; so does
a placement's page."""

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import OrganizationKind, Role
from tests.factories import OrganizationFactory, member
from tests.helpers.queries import assert_constant_queries, count_queries
from tests.people import People

from .helpers import make_base, make_placement


class TestPlacementQueries(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.host, Role.ADMIN, "hua")

    def add(self, count: int):
        for _ in range(count):
            make_placement(self.host, self.college, self.other_college)

    def test_the_list_page(self):
        self.add(1)
        self.client.force_login(self.hua)
        assert_constant_queries(self, lambda: self.client.get(reverse("placement-list")), self.add)

    def test_the_list_page_for_a_college(self):
        def add(count):
            for _ in range(count):
                make_placement(self.host, self.college, status="published")

        add(1)
        college_admin = member(self.college, Role.ADMIN, "rv_admin")
        self.client.force_login(college_admin)
        assert_constant_queries(self, lambda: self.client.get(reverse("placement-list")), add)

    def test_the_api_list(self):
        self.add(1)
        client = APIClient()
        client.force_authenticate(self.hua)
        assert_constant_queries(self, lambda: client.get(reverse("api:placement-list")), self.add)

    def test_the_placement_page(self):
        base = make_base(self.host, self.college)
        placement = make_placement(self.host, self.college, practice_base=base)
        self.client.force_login(self.hua)
        url = reverse("placement-detail", args=[placement.pk])
        self.client.get(url)
        small, _ = count_queries(lambda: self.client.get(url))
        for _ in range(20):
            make_placement(self.host, self.college, self.other_college, practice_base=base)
        placement.open_to_colleges.add(self.other_college)
        large, response = count_queries(lambda: self.client.get(url))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(small, large)
        self.assertLessEqual(large, 15)
