"""Hostile or malformed input is a 400 or a form error next to its field, never a 500."""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from discovery.models import CooperationNeed
from tests.discovery.needs import DiscoveryPeople, make_interest, make_need


class TestHostileInput(DiscoveryPeople, TestCase):
    def setUp(self):
        self.api = APIClient()
        self.api.force_authenticate(self.alice)
        self.need = make_need(self.huaxin, direction="offer")

    def test_wild_api_bodies_are_400s(self):
        url = reverse("api:cooperation-need-list")
        good = {
            "direction": "need",
            "kind": "other",
            "title": "x",
            "valid_until": (timezone.localdate() + timedelta(days=3)).isoformat(),
        }
        for change in (
            {"direction": "both"},
            {"kind": ["x"]},
            {"title": "x" * 1000},
            {"valid_until": "9999-12-31"},
            {"valid_until": "yesterday"},
            {"headcount": -1},
            {"headcount": 10**20},
            {"amount": "1e400"},
            {"amount": "-5"},
            {"audience": ["martians"]},
            {"audience": "college"},
            {"owner": 2**70},
            {"owner": self.other_college.pk},
            {"description": "x" * 30_000},
            {"specialties": "x" * 600},
        ):
            with self.subTest(change=change):
                response = self.api.post(url, {**good, **change}, format="json")
                self.assertEqual(
                    response.status_code,
                    400
                    if "owner" not in change or change["owner"] != self.other_college.pk
                    else 403,
                    response.content,
                )
        self.assertEqual(CooperationNeed.objects.filter(owner=self.college).count(), 0)

    def test_wild_filters_are_400s_or_ignored(self):
        url = reverse("api:cooperation-need-list")
        for query in (
            {"updated_after": "not a date"},
            {"updated_after": "0001-01-01T00:00:00+14:00"},
            {"status": "nonsense"},
            {"direction": "x"},
            {"mine": "maybe"},
            {"ordering": "owner__password"},
            {"specialty": "x" * 500},
        ):
            with self.subTest(query=query):
                self.assertIn(self.api.get(url, query).status_code, (200, 400))
        interests = reverse("api:cooperation-interest-list")
        self.assertEqual(self.api.get(interests, {"need": "9" * 40}).status_code, 400)

    def test_wild_interest_bodies_are_400s(self):
        url = reverse("api:cooperation-interest-list")
        for body in (
            {"need": self.need.pk, "message": ""},
            {"need": self.need.pk, "message": "x" * 5000},
            {"need": "x", "message": "hi"},
            {"need": 2**70, "message": "hi"},
            {"need": [self.need.pk], "message": "hi"},
            {"message": "hi"},
        ):
            with self.subTest(body=body):
                self.assertEqual(self.api.post(url, body, format="json").status_code, 400)
        interest = make_interest(self.need, self.college, self.alice)
        messages = reverse("api:cooperation-interest-messages", args=[interest.pk])
        for body in ({}, {"message": ""}, {"message": ["a"]}, {"message": "x" * 5000}):
            with self.subTest(body=body):
                self.assertEqual(self.api.post(messages, body, format="json").status_code, 400)
        draft = reverse("api:cooperation-interest-draft-agreement", args=[interest.pk])
        for body in ({"effective_date": "9999-01-01"}, {"expiry_date": "x"}):
            with self.subTest(body=body):
                self.assertEqual(self.api.post(draft, body, format="json").status_code, 400)
        response = self.api.post(
            draft,
            {"effective_date": "2030-01-01", "expiry_date": "2029-01-01"},
            format="json",
        )
        self.assertEqual(response.status_code, 400)

    def test_page_forms_show_errors_next_to_fields(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("cooperation-need-create"),
            {
                "owner": self.college.pk,
                "direction": "need",
                "kind": "nonsense",
                "title": "",
                "headcount": "lots",
                "amount": "1e400",
                "valid_until": "2001-01-01",
                "audience": ["martians"],
            },
        )
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        for field in ("kind", "title", "headcount", "amount", "audience"):
            self.assertIn(field, form.errors)
        self.assertContains(response, "invalid-feedback")
        response = self.client.post(
            reverse("cooperation-need-create"),
            {
                "owner": self.college.pk,
                "direction": "need",
                "kind": "other",
                "title": "x",
                "valid_until": "2001-01-01",
            },
        )
        self.assertIn("valid_until", response.context["form"].errors)
        response = self.client.post(
            reverse("cooperation-need-create"),
            {
                "owner": self.huaxin.pk,  # not hers
                "direction": "need",
                "kind": "other",
                "title": "x",
                "valid_until": (timezone.localdate() + timedelta(days=3)).isoformat(),
            },
        )
        self.assertIn("owner", response.context["form"].errors)
        interest = make_interest(self.need, self.college, self.alice)
        reply = reverse("cooperation-interest-reply", args=[interest.pk])
        self.assertEqual(self.client.post(reply, {"message": ""}).status_code, 302)
        self.assertEqual(interest.messages.count(), 1)
        answer = reverse("cooperation-need-answer", args=[self.need.pk])
        self.assertIn(self.client.post(answer, {"organization": "x" * 50}).status_code, (400,))
