"""What a secondment must be, and input that must answer a clear error, never a 500:
each is a 400 (API) or a form error (pages) next to its field."""

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from internships import services
from internships.models import Secondment
from tests.helpers.concurrency import requires_row_locks
from tests.helpers.locks import locks_taken
from tests.people import People

from .secondments import HostEnterprises, api_data, form_data, make_secondment


class TestSecondmentApiValidation(HostEnterprises, People, TestCase):
    def setUp(self):
        self.api = APIClient()
        self.api.force_authenticate(self.alice)
        self.url = reverse("api:secondment-list")

    def refused(self, **overrides) -> dict:
        data = {**api_data(self.college, self.host), **overrides}
        response = self.api.post(self.url, data)
        self.assertEqual(response.status_code, 400, response.content)
        self.assertFalse(Secondment.objects.exists())
        return response.json()

    def test_more_days_than_the_dates_span_is_a_field_error(self):
        # 3 March to 5 March spans three days
        body = self.refused(start_date="2025-03-03", end_date="2025-03-05", days=4)
        self.assertEqual(set(body), {"days"})
        response = self.api.post(
            self.url,
            api_data(
                self.college, self.host, start_date="2025-03-03", end_date="2025-03-05", days=3
            ),
        )
        self.assertEqual(response.status_code, 201, response.content)

    def test_the_end_before_the_start_is_a_field_error(self):
        body = self.refused(start_date="2025-03-03", end_date="2025-03-02", days=1)
        self.assertEqual(set(body), {"end_date"})

    def test_a_date_in_year_9999_is_a_field_error(self):
        body = self.refused(start_date="9999-12-01", end_date="9999-12-31", days=20)
        self.assertEqual(set(body), {"start_date", "end_date"})
        self.assertEqual(set(self.refused(start_date="99999-01-01")), {"start_date"})

    def test_days_out_of_range_are_field_errors(self):
        for days in (0, -1, 367, 2**70, "many", True):
            self.assertIn("days", self.refused(days=days), days)

    def test_huge_or_hostile_text_is_a_field_error(self):
        self.assertIn("activities", self.refused(activities="x" * 20_001))
        self.assertIn("teacher_name", self.refused(teacher_name="x" * 101))
        self.assertIn("teacher_name", self.refused(teacher_name="a\u0000b"))
        self.assertIn("teacher_number", self.refused(teacher_number="T 1001"))
        self.assertIn("teacher_number", self.refused(teacher_number="x" * 31))
        self.assertIn("college", self.refused(college=2**70))
        self.assertIn("college", self.refused(college=[1, 2]))

    def test_a_patch_is_checked_against_the_saved_values(self):
        secondment = make_secondment(self.college, self.host)  # 90 days span, 60 days
        url = reverse("api:secondment-detail", args=[secondment.pk])
        response = self.api.patch(url, {"days": 91})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"days"})
        response = self.api.patch(url, {"end_date": "2025-01-01"})
        self.assertEqual(set(response.json()), {"end_date"})
        response = self.api.patch(url, {"college": self.other_college.pk, "days": 90})
        self.assertEqual(response.status_code, 200, response.content)
        secondment.refresh_from_db()
        self.assertEqual((secondment.college, secondment.days), (self.college, 90))


class TestSecondmentFormValidation(HostEnterprises, People, TestCase):
    def setUp(self):
        self.client.force_login(self.alice)

    def post(self, host=None, college=None, **overrides):
        data = form_data(host or self.host, college or self.college, **overrides)
        response = self.client.post(reverse("secondment-create"), data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Secondment.objects.exists())
        return response.context["form"].errors

    def test_errors_stay_next_to_their_fields(self):
        self.assertIn("days", self.post(days=91))
        self.assertIn("end_date", self.post(end_date="2025-03-01"))
        self.assertIn("start_date", self.post(start_date="9999-11-01", end_date="9999-12-01"))
        self.assertIn("activities", self.post(activities="x" * 20_001))
        self.assertIn("host", self.post(host=self.college))
        self.assertIn("college", self.post(college=self.other_college))

    def test_an_edit_with_more_days_than_the_span_is_a_field_error(self):
        secondment = make_secondment(self.college, self.host)
        response = self.client.post(
            reverse("secondment-edit", args=[secondment.pk]), form_data(self.host, days=91)
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("days", response.context["form"].errors)

    def test_user_text_is_escaped(self):
        secondment = make_secondment(
            self.college, self.host, teacher_name="<script>alert(1)</script>"
        )
        for url in (
            secondment.get_absolute_url(),
            reverse("secondment-list"),
            reverse("secondment-teacher-days"),
        ):
            response = self.client.get(url)
            self.assertNotContains(response, "<script>alert(1)</script>")
            self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_wild_filters_do_not_break_the_list(self):
        for query in ({"starts_after": "9999-99-99"}, {"host": 2**70}, {"q": "x" * 5000}):
            response = self.client.get(reverse("secondment-list"), query)
            self.assertEqual(response.status_code, 200, query)


@requires_row_locks
class TestSecondmentLocks(HostEnterprises, People, TestCase):
    def test_an_edit_locks_the_secondment_alone(self):
        secondment = make_secondment(self.college, self.host)
        tables = locks_taken(
            lambda: services.secondment_update(
                actor=self.alice, secondment=secondment, host=self.lanting, days=61
            )
        )
        self.assertEqual(tables, ["internships_secondment"])
        secondment.refresh_from_db()
        self.assertEqual((secondment.host, secondment.days), (self.lanting, 61))
