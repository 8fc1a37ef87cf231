"""Query counts of every membership list (pages, CSV, API), the membership's page with
its payments and renewals, and the home page's memberships to renew: as many queries
for one row as for fifty."""

import itertools
from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from associations.models import MembershipRenewal
from tests.factories import OrganizationFactory
from tests.helpers.queries import assert_constant_queries
from tests.people import People

from .memberships import TODAY, AssociationPeople, make_membership, make_payment, make_type


class QueryCase(AssociationPeople, People, TestCase):
    def setUp(self):
        self.api = APIClient()
        self.first = make_membership(self.association, self.college, self.ordinary)
        self.counter = itertools.count()

    def add_memberships(self, count: int) -> None:
        """Memberships of new members, ending within 30 days (so they are to renew),
        each with a payment and a renewal."""
        for _ in range(count):
            member = OrganizationFactory(enterprise=True)
            membership = make_membership(
                self.association,
                member,
                self.council,
                start=TODAY - timedelta(days=300),
                end=TODAY + timedelta(days=next(self.counter) % 30),
            )
            make_payment(membership, recorded_by=self.sam)
            MembershipRenewal.objects.create(
                membership=membership,
                previous_end=membership.end_date - timedelta(days=365),
                new_end=membership.end_date,
                renewed_by=self.amy,
            )


class TestMembershipPageQueries(QueryCase):
    def test_the_list_page(self):
        for person in (self.amy, self.olivia):
            self.client.force_login(person)
            url = reverse("association-membership-list")
            assert_constant_queries(
                self, lambda u=url: self.client.get(u, {"page_size": 50}), self.add_memberships
            )

    def test_the_filtered_and_sorted_list_page_and_its_csv(self):
        self.client.force_login(self.amy)
        url = reverse("association-membership-list")
        query = {"status": "active", "ordering": "-end", "association": self.association.pk}
        assert_constant_queries(self, lambda: self.client.get(url, query), self.add_memberships)
        assert_constant_queries(
            self, lambda: self.client.get(url, {"export": "csv"}), self.add_memberships
        )

    def test_the_list_page_of_the_member(self):
        self.client.force_login(self.alice)
        url = reverse("association-membership-list")

        def add(count):
            for n in range(count):
                start = TODAY + timedelta(days=400 * (n + 1))
                make_membership(self.association, self.college, self.ordinary, start=start)

        assert_constant_queries(self, lambda: self.client.get(url), add)

    def test_the_membership_page_with_its_payments_and_renewals(self):
        self.client.force_login(self.alice)
        url = self.first.get_absolute_url()

        def add(count):
            for n in range(count):
                make_payment(self.first, recorded_by=[self.amy, self.sam][n % 2])
                MembershipRenewal.objects.create(
                    membership=self.first,
                    previous_end=self.first.end_date + timedelta(days=n),
                    new_end=self.first.end_date + timedelta(days=n + 1),
                    renewed_by=[self.amy, self.sam][n % 2],
                )

        assert_constant_queries(self, lambda: self.client.get(url), add)

    def test_the_types_page(self):
        self.client.force_login(self.vera)
        url = reverse("membership-type-list")

        def add(count):
            for n in range(count):
                membership_type = make_type(self.association, f"Type {n}")
                make_membership(
                    self.association, OrganizationFactory(college=True), membership_type
                )

        assert_constant_queries(self, lambda: self.client.get(url), add)

    def test_the_home_page_of_a_keeper(self):
        self.client.force_login(self.amy)
        assert_constant_queries(
            self, lambda: self.client.get(reverse("home")), self.add_memberships
        )

    def test_the_search_page(self):
        self.client.force_login(self.amy)
        url = reverse("search")

        def add(count):
            for _ in range(count):
                member = OrganizationFactory(college=True, name=f"Riverside {next(self.counter)}")
                make_membership(self.association, member, self.ordinary)

        assert_constant_queries(self, lambda: self.client.get(url, {"q": "Riverside"}), add)


class TestMembershipApiQueries(QueryCase):
    def test_the_memberships(self):
        for person in (self.amy, self.alice, self.olivia):
            self.api.force_authenticate(person)
            url = reverse("api:association-membership-list")
            assert_constant_queries(
                self, lambda u=url: self.api.get(u, {"page_size": 100}), self.add_memberships
            )

    def test_the_dues_payments(self):
        make_payment(self.first, recorded_by=self.amy)
        self.api.force_authenticate(self.amy)
        url = reverse("api:dues-payment-list")
        assert_constant_queries(
            self, lambda: self.api.get(url, {"page_size": 100}), self.add_memberships
        )

    def test_the_membership_types(self):
        self.api.force_authenticate(self.olivia)
        url = reverse("api:membership-type-list")

        def add(count):
            for n in range(count):
                association = OrganizationFactory(association=True)
                make_type(association, f"Type {n}")

        assert_constant_queries(self, lambda: self.api.get(url, {"page_size": 100}), add)

    def test_the_detail_with_its_renewals(self):
        self.api.force_authenticate(self.alice)
        url = reverse("api:association-membership-detail", args=[self.first.pk])

        def add(count):
            for n in range(1, count + 1):
                MembershipRenewal.objects.create(
                    membership=self.first,
                    previous_end=self.first.end_date + timedelta(days=n),
                    new_end=self.first.end_date + timedelta(days=n + 1),
                    renewed_by=[self.amy, self.sam][n % 2],
                )

        add(1)  # one renewal to start with: its people are fetched in one more query
        assert_constant_queries(self, lambda: self.api.get(url), add)
