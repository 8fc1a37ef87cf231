"""The demo data: seeded twice it stays the same, with the Riverside ↔ Lanting thread
turned into a draft agreement."""

import io

from django.core.management import call_command
from django.test import TestCase

from discovery.demo import INTERNSHIPS, LANTING, RIVERSIDE
from discovery.models import CooperationNeed, Interest, InterestMessage, NeedStatus


class TestDemo(TestCase):
    def test_seeding_twice_is_the_same(self):
        call_command("seed_demo", stdout=io.StringIO())
        counts = (
            CooperationNeed.objects.count(),
            Interest.objects.count(),
            InterestMessage.objects.count(),
        )
        call_command("seed_demo", stdout=io.StringIO())
        self.assertEqual(
            counts,
            (
                CooperationNeed.objects.count(),
                Interest.objects.count(),
                InterestMessage.objects.count(),
            ),
        )
        self.assertEqual(counts, (3, 1, 3))
        self.assertFalse(CooperationNeed.objects.exclude(status=NeedStatus.OPEN).exists())
        interest = Interest.objects.select_related("need__owner", "organization", "agreement").get()
        self.assertEqual(interest.need.title, INTERNSHIPS)
        self.assertEqual(interest.need.owner.name, LANTING)
        self.assertEqual(interest.organization.name, RIVERSIDE)
        self.assertEqual(
            {p.organization.name for p in interest.agreement.parties.all()}, {LANTING, RIVERSIDE}
        )
