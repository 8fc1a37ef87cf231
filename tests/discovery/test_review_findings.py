"""Found by review: a need's history is its owner's (and government's) to read, and an
interest names its draft agreement only to those who may open it."""

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from discovery.models import Interest
from partnerships.models import AgreementParty
from tests.factories import make_agreement

from .needs import DiscoveryPeople, make_need


class TestANeedsHistoryIsTheOwners(DiscoveryPeople, TestCase):
    def test_the_owner_and_government_read_it_the_audience_does_not(self):
        need = make_need(self.college)
        api = APIClient()
        for user, status in ((self.alice, 200), (self.olivia, 200), (self.erin, 404)):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                page = self.client.get(f"{need.get_absolute_url()}?tab=history")
                self.assertEqual(page.status_code, status)
                api.force_authenticate(user)
                url = reverse("api:cooperation-need-detail", args=[need.pk]) + "history/"
                self.assertEqual(api.get(url).status_code, status)
        self.client.force_login(self.erin)
        self.assertNotContains(self.client.get(need.get_absolute_url()), "?tab=history")


class TestAnInterestNamesOnlyAnAgreementOneMayOpen(DiscoveryPeople, TestCase):
    def test_a_side_dropped_from_the_draft_no_longer_sees_it(self):
        need = make_need(self.college)
        agreement = make_agreement(self.college, self.huaxin, title="Teacher posts")
        interest = Interest.objects.create(need=need, organization=self.huaxin, agreement=agreement)
        api = APIClient()
        url = reverse("api:cooperation-interest-detail", args=[interest.pk])
        api.force_authenticate(self.erin)
        self.assertEqual(api.get(url).json()["agreement"], agreement.pk)
        AgreementParty.objects.filter(agreement=agreement, organization=self.huaxin).delete()
        body = api.get(url).json()
        self.assertEqual((body["agreement"], body["agreement_reference"]), (None, None))
        listed = api.get(reverse("api:cooperation-interest-list")).json()["results"]
        self.assertEqual([row["agreement"] for row in listed], [None])
