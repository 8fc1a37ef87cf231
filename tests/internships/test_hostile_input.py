"""Input that once answered 500 in internships, found reading the change: each is now a
clear error next to its field, or a committed change answered as such."""

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import OrganizationKind, Role
from internships.models import PracticeBaseCollege, Student
from tests.factories import OrganizationFactory, member
from tests.people import People

from .helpers import form_data, make_base, make_placement
from .students import student_row


class HostileInputCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.host, Role.ADMIN, "hx_hua")


class TestHostileInput(HostileInputCase):
    def test_a_placement_edit_with_a_start_in_year_9999_is_a_field_error(self):
        placement = make_placement(self.host, self.college)
        self.client.force_login(self.hua)
        response = self.client.post(
            reverse("placement-edit", args=[placement.pk]),
            {**form_data(), "start_date": "9999-11-01", "open_to_colleges": [self.college.pk]},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("start_date", response.context["form"].errors)

    def test_a_college_that_takes_itself_off_a_base_is_answered_not_crashed(self):
        other = OrganizationFactory(kind=OrganizationKind.COLLEGE, name="Lakeside College")
        base = make_base(self.host, self.college, other)
        api = APIClient()
        api.force_authenticate(self.bob)
        response = api.patch(
            reverse("api:practice-base-detail", args=[base.pk]),
            {"colleges": [other.pk]},
            format="json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertFalse(
            PracticeBaseCollege.objects.filter(
                practice_base=base, organization=self.college
            ).exists()
        )

    def test_a_nul_character_in_a_bulk_row_is_an_error_by_index(self):
        api = APIClient()
        api.force_authenticate(self.alice)
        response = api.post(
            reverse("api:student-bulk-upsert"),
            {"rows": [student_row("N00001"), student_row("N00002", name="a\u0000b")]},
            format="json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["created"], 1)
        self.assertEqual([(e["index"], e["field"]) for e in body["errors"]], [(1, "name")])
        self.assertEqual(Student.objects.filter(student_number="N00002").count(), 0)

    def test_too_many_related_ids_is_a_field_error(self):
        api = APIClient()
        api.force_authenticate(self.hua)
        response = api.post(
            reverse("api:practice-base-list"),
            {
                "name": "Base",
                "host": self.host.pk,
                "address": "1 Road",
                "stations": 10,
                "colleges": [self.college.pk] * 201,
            },
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("colleges", response.json())
