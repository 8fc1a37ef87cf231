"""``POST /api/v1/students/bulk-upsert/``: 10,000 rows in one call, row errors by
index, atomic mode, the limits, and a query count that does not grow with the rows."""

import math

from django.db import connection
from django.db.models import AutoField
from django.urls import reverse
from rest_framework.test import APITestCase

from accounts.models import Role
from internships.models import Student
from internships.services import students as student_service
from tests.factories import member
from tests.helpers.queries import count_queries
from tests.people import People

from .students import make_student, student_row

URL = reverse("api:student-bulk-upsert")


def rows(count: int, start: int = 0, **overrides) -> list[dict]:
    return [student_row(f"B{index:05d}", **overrides) for index in range(start, start + count)]


class BulkUpsertTestCase(People, APITestCase):
    def setUp(self):
        self.client.force_authenticate(self.alice)

    def upsert(self, body: dict, atomic: bool = False):
        return self.client.post(URL + ("?atomic=true" if atomic else ""), body, format="json")


class TestBulkUpsert(BulkUpsertTestCase):
    def test_ten_thousand_rows_then_a_hundred_changed(self):
        batch = rows(10_000)
        response = self.upsert({"rows": batch})
        self.assertEqual(response.status_code, 200, response.content[:500])
        self.assertEqual(
            response.json(), {"created": 10_000, "updated": 0, "unchanged": 0, "errors": []}
        )
        self.assertEqual(Student.objects.filter(college=self.college).count(), 10_000)
        self.assertEqual(Student.history.filter(history_type="+").count(), 10_000)

        for row in batch[:100]:
            row["class_name"] = "CNC 24-3"
        response = self.upsert({"rows": batch})
        self.assertEqual(
            response.json(), {"created": 0, "updated": 100, "unchanged": 9_900, "errors": []}
        )
        self.assertEqual(Student.objects.filter(class_name="CNC 24-3").count(), 100)
        changed = Student.history.filter(history_type="~")
        self.assertEqual(changed.count(), 100)
        self.assertEqual({entry.history_user_id for entry in changed}, {self.alice.pk})

    def test_more_than_ten_thousand_rows_are_refused(self):
        response = self.upsert({"rows": rows(10_001)})
        self.assertEqual(response.status_code, 400)
        self.assertIn("10,000", str(response.json()["rows"]))
        self.assertFalse(Student.objects.exists())

    def test_row_errors_are_reported_by_index_and_the_rest_written(self):
        make_student(self.college, "B00002", name="Old name")
        batch = rows(5)
        batch[1]["enrolment_year"] = 1800
        batch[1]["email"] = "not an email"
        batch[2]["name"] = "New name"
        batch[3]["status"] = "expelled"
        batch[4]["student_number"] = "B00002"  # given twice
        del batch[0]["name"]
        batch.append({**student_row("B00009"), "national_id": "330102200605011234"})
        batch.append(student_row("B00010", date_of_birth="2006-02-30", phone="x" * 31))
        response = self.upsert({"rows": batch})
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual((body["created"], body["updated"], body["unchanged"]), (0, 1, 0))
        self.assertEqual(
            [(error["index"], error["field"]) for error in body["errors"]],
            [
                (0, "name"),
                (1, "enrolment_year"),
                (1, "email"),
                (3, "status"),
                (4, "student_number"),
                (5, "national_id"),
                (6, "date_of_birth"),
                (6, "phone"),
            ],
        )
        self.assertEqual(Student.objects.get(student_number="B00002").name, "New name")
        self.assertFalse(Student.objects.filter(student_number="B00009").exists())

    def test_a_number_given_twice_is_an_error_on_its_second_row(self):
        batch = [student_row("B1"), student_row("B1", name="Other")]
        body = self.upsert({"rows": batch}).json()
        self.assertEqual(body["created"], 1)
        self.assertEqual(
            [(e["index"], e["field"]) for e in body["errors"]], [(1, "student_number")]
        )

    def test_atomic_mode_writes_nothing_on_any_error(self):
        batch = rows(50)
        batch[49]["enrolment_year"] = "soon"
        response = self.upsert({"rows": batch}, atomic=True)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["created"], 0)
        self.assertEqual(response.json()["errors"][0]["index"], 49)
        self.assertFalse(Student.objects.exists())
        batch[49]["enrolment_year"] = 2024
        self.assertEqual(self.upsert({"rows": batch}, atomic=True).json()["created"], 50)

    def test_fields_left_out_keep_their_values(self):
        make_student(self.college, "B1", phone="138 1111 1111")
        row = {"student_number": "B1", "name": "Renamed", "specialty": "CNC machining"}
        row["enrolment_year"] = 2024
        body = self.upsert({"rows": [row]}).json()
        self.assertEqual(body["updated"], 1)
        student = Student.objects.get(student_number="B1")
        self.assertEqual((student.name, student.phone), ("Renamed", "138 1111 1111"))

    def test_a_bulk_body_may_exceed_the_global_json_limits_but_other_endpoints_not(self):
        # 3,000 rows hold ~36,000 values: over API_MAX_JSON_VALUES (20,000).
        self.assertEqual(self.upsert({"rows": rows(3_000)}).status_code, 200)
        response = self.client.post(
            reverse("api:student-list"), {"rows": rows(3_000)}, format="json"
        )
        self.assertEqual(response.status_code, 400)


class TestWhoMayUpsert(BulkUpsertTestCase):
    def test_a_viewer_is_refused(self):
        self.client.force_authenticate(self.victor)
        self.assertEqual(self.upsert({"rows": rows(1)}).status_code, 403)
        self.assertEqual(
            self.upsert({"college": self.college.pk, "rows": rows(1)}).status_code, 403
        )

    def test_another_college_cannot_be_named(self):
        response = self.upsert({"college": self.other_college.pk, "rows": rows(1)})
        self.assertEqual(response.status_code, 400)
        self.assertIn("college", response.json())
        self.assertFalse(Student.objects.exists())

    def test_government_cannot_write_students(self):
        self.client.force_authenticate(self.olivia)
        self.assertEqual(self.upsert({"rows": rows(1)}).status_code, 403)

    def test_one_who_acts_for_two_colleges_names_one(self):
        from accounts.models import Membership

        Membership.objects.create(user=self.alice, organization=self.other_college, role=Role.STAFF)
        self.assertEqual(self.upsert({"rows": rows(1)}).status_code, 400)
        response = self.upsert({"college": self.other_college.pk, "rows": rows(1)})
        self.assertEqual(response.json()["created"], 1)
        self.assertEqual(Student.objects.get().college, self.other_college)

    def test_anonymous_callers_get_401(self):
        self.client.force_authenticate(None)
        self.assertEqual(self.upsert({"rows": []}).status_code, 401)


def insert_batches(model, count: int) -> int:
    """How many INSERTs Django sends for ``count`` new rows of ``model`` in batches of
    the service's size (PostgreSQL: no other cap; SQLite caps the parameters)."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoField)]
    size = min(student_service.BATCH_SIZE, connection.ops.bulk_batch_size(fields, [None] * count))
    return math.ceil(count / size)


class TestBulkUpsertQueries(BulkUpsertTestCase):
    def test_the_query_count_grows_only_by_the_batches(self):
        member(self.college, Role.STAFF, "warm")  # nothing; keeps the fixture realistic
        self.upsert({"rows": rows(1, start=90_000)})  # warm caches
        small, response = count_queries(lambda: self.upsert({"rows": rows(10)}))
        self.assertEqual(response.json()["created"], 10)
        large, response = count_queries(lambda: self.upsert({"rows": rows(1_000, start=10)}))
        self.assertEqual(response.json()["created"], 1_000)
        history = Student.history.model
        extra = (insert_batches(Student, 1_000) - insert_batches(Student, 10)) + (
            insert_batches(history, 1_000) - insert_batches(history, 10)
        )
        self.assertEqual(large, small + extra)
        if connection.vendor == "postgresql":
            self.assertEqual(large, small)

    def test_updates_run_the_same_queries_for_10_rows_as_for_1000(self):
        self.upsert({"rows": rows(1_010)})
        small, response = count_queries(lambda: self.upsert({"rows": rows(10, class_name="X 1")}))
        self.assertEqual(response.json()["updated"], 10)
        large, response = count_queries(
            lambda: self.upsert({"rows": rows(1_000, start=10, class_name="X 2")})
        )
        self.assertEqual(response.json()["updated"], 1_000)
        if connection.vendor == "postgresql":
            self.assertEqual(large, small)
        else:
            self.assertGreaterEqual(large, small)
