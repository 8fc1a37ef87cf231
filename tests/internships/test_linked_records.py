"""A page names no linked record its reader could not open, and counts none either."""

from django.test import TestCase
from django.urls import reverse

from accounts.models import OrganizationKind, Role
from tests.factories import OrganizationFactory, make_agreement, member
from tests.people import People

from .helpers import make_base, make_placement


class TestLinkedRecords(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hr = member(cls.host, Role.STAFF, "hx_hr")

    def test_the_base_list_counts_only_the_placements_the_reader_sees(self):
        base = make_base(self.host, self.college, self.other_college)
        make_placement(self.host, self.college, status="published", practice_base=base)
        make_placement(self.host, self.college, practice_base=base)  # a draft
        make_placement(self.host, self.other_college, status="published", practice_base=base)
        counts = {}
        for user in (self.hr, self.alice, self.charlie):
            self.client.force_login(user)
            response = self.client.get(reverse("practice-base-list"))
            counts[user.username] = response.context["practice_bases"][0].placement_count
        self.assertEqual(counts, {"hx_hr": 3, "alice": 1, "charlie": 1})

    def test_a_placement_page_does_not_name_a_base_its_reader_cannot_see(self):
        base = make_base(self.host, self.other_college)
        base.name = "Eastlake-only base"
        base.save()
        placement = make_placement(self.host, self.college, status="published", practice_base=base)
        self.client.force_login(self.alice)
        response = self.client.get(placement.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Eastlake-only base")
        self.client.force_login(self.hr)
        self.assertContains(self.client.get(placement.get_absolute_url()), "Eastlake-only base")

    def test_a_base_page_does_not_name_an_agreement_its_reader_cannot_see(self):
        agreement = make_agreement(self.host, self.other_college, title="Eastlake deal")
        base = make_base(self.host, self.college)
        base.agreement = agreement
        base.save()
        self.client.force_login(self.alice)
        response = self.client.get(base.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, agreement.reference)
        self.client.force_login(self.hr)
        self.assertContains(self.client.get(base.get_absolute_url()), agreement.reference)
