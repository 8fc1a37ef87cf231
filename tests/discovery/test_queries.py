"""Query counts: the list (page, CSV and API) and a need's page run as many queries
for 1 row, thread or message as for 50."""

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from discovery.models import InterestMessage
from tests.discovery.needs import DiscoveryPeople, make_interest, make_need
from tests.factories import OrganizationFactory, member
from tests.helpers.queries import assert_constant_queries


class TestQueryCounts(DiscoveryPeople, TestCase):
    def setUp(self):
        self.need = make_need(self.college)

    def more_needs(self, count):
        for n in range(count):
            make_need(OrganizationFactory(), title=f"Need {n}")

    def test_the_list_page_and_its_csv(self):
        self.client.force_login(self.erin)
        url = reverse("cooperation-need-list")
        assert_constant_queries(self, lambda: self.client.get(url), self.more_needs)
        assert_constant_queries(self, lambda: self.client.get(url + "?export=csv"), self.more_needs)

    def test_the_api_lists(self):
        api = APIClient()
        api.force_authenticate(self.alice)
        url = reverse("api:cooperation-need-list")
        assert_constant_queries(self, lambda: api.get(url), self.more_needs)
        make_interest(self.need, self.huaxin, self.ed)

        def more_threads(count):
            for n in range(count):
                organization = OrganizationFactory()
                make_interest(self.need, organization, member(organization), f"Message {n}")

        url = reverse("api:cooperation-interest-list")
        assert_constant_queries(self, lambda: api.get(url), more_threads)

    def test_the_need_page_with_many_messages_and_threads(self):
        interest = make_interest(self.need, self.huaxin, self.ed)
        self.client.force_login(self.alice)
        url = reverse("cooperation-need-detail", args=[self.need.pk])

        def more_messages(count):
            for n in range(count):
                InterestMessage.objects.create(
                    interest=interest,
                    organization=self.college if n % 2 else self.huaxin,
                    author=self.bob if n % 2 else self.ed,
                    body=f"Message {n}",
                )

        assert_constant_queries(self, lambda: self.client.get(url), more_messages)

        def more_threads(count):
            for n in range(count):
                organization = OrganizationFactory()
                make_interest(self.need, organization, member(organization), f"Thread {n}")

        assert_constant_queries(self, lambda: self.client.get(url), more_threads)
