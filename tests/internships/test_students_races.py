"""Student writes lock the college's row first (organization → student, the portal's
order), so two imports of the same new numbers at once never collide (PostgreSQL)."""

from django.contrib.auth import get_user_model
from django.test import TestCase, TransactionTestCase

from accounts.models import OrganizationKind, Role
from internships import services
from internships.models import Student
from tests.factories import OrganizationFactory, member
from tests.helpers.concurrency import requires_row_locks, run_concurrently
from tests.helpers.locks import assert_lock_order
from tests.people import People

from .students import make_student, student_row


@requires_row_locks
class TestStudentLockOrder(People, TestCase):
    def test_writes_lock_the_college_then_the_student(self):
        student = make_student(self.college)
        self.assertEqual(
            assert_lock_order(
                lambda: services.student_update(actor=self.alice, student=student, name="N")
            ),
            ["accounts_organization", "internships_student"],
        )
        self.assertEqual(
            assert_lock_order(
                lambda: services.students_upsert(
                    actor=self.alice, college=self.college, rows=[student_row("S0002")]
                )
            ),
            ["accounts_organization"],
        )


@requires_row_locks
class TestStudentRaces(TransactionTestCase):
    def setUp(self):
        self.college = OrganizationFactory(kind=OrganizationKind.COLLEGE)
        self.alice = member(self.college, Role.ADMIN, "alice")
        self.bob = member(self.college, Role.STAFF, "bob")

    def test_two_imports_of_the_same_new_numbers_at_once_both_succeed(self):
        rows = [student_row(f"R{index:03d}") for index in range(200)]
        changed = [{**row, "class_name": "Other"} for row in rows]
        users = get_user_model().objects.in_bulk([self.alice.pk, self.bob.pk])
        results = run_concurrently(
            lambda: services.students_upsert(
                actor=users[self.alice.pk], college=self.college, rows=rows
            ),
            lambda: services.students_upsert(
                actor=users[self.bob.pk], college=self.college, rows=changed
            ),
        )
        for result in results:
            self.assertIsInstance(result, services.UpsertResult, result)
        self.assertEqual(sorted((r.created, r.updated) for r in results), [(0, 200), (200, 0)])
        self.assertEqual(Student.objects.count(), 200)
