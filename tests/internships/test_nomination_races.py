"""Slots under load, on PostgreSQL: accepts at the same moment never overfill a
placement, and the database refuses a write that bypasses the service."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.test import TestCase, TransactionTestCase

from accounts.models import OrganizationKind, Role
from internships import services
from internships.models import Nomination, NominationStatus, Placement
from portal.workflow import InvalidTransition
from tests.factories import OrganizationFactory, member
from tests.helpers.concurrency import requires_row_locks, run_concurrently
from tests.helpers.locks import assert_lock_order
from tests.people import People

from .helpers import attach, make_nomination, make_placement, satisfy_gates
from .students import make_student


class RaceSetup:
    def make_world(self):
        self.college = OrganizationFactory(kind=OrganizationKind.COLLEGE, name="Riverside")
        self.host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        self.bob = member(self.college, Role.STAFF, "bob")
        self.hr = member(self.host, Role.STAFF, "hr")
        self.placement = make_placement(self.host, self.college, status="published", slots=5)


@requires_row_locks
class TestSlotsUnderLoad(RaceSetup, TransactionTestCase):
    def setUp(self):
        self.make_world()

    def test_forty_accepts_at_once_on_five_slots_fill_exactly_five(self):
        offered = []
        for index in range(40):
            nomination = make_nomination(
                self.placement, make_student(self.college, f"S{index:02d}"), "offered"
            )
            offered.append((nomination, attach(nomination, by=self.bob)))
        bob = get_user_model().objects.get(pk=self.bob.pk)

        def accept(nomination, consent):
            return lambda: services.nomination_accept(
                actor=bob, nomination=nomination, consent=consent
            )

        results = run_concurrently(*(accept(n, c) for n, c in offered), timeout=60)
        accepted = [r for r in results if isinstance(r, Nomination)]
        refused = [r for r in results if isinstance(r, InvalidTransition)]
        self.assertEqual(len(accepted), 5, results)
        self.assertEqual(len(refused), 35, [r for r in results if not isinstance(r, Nomination)])
        self.placement.refresh_from_db()
        self.assertEqual(self.placement.filled_slots, 5)
        self.assertEqual(Nomination.objects.filter(status=NominationStatus.ACCEPTED).count(), 5)

    def test_withdrawing_and_accepting_at_once_keep_the_count_true(self):
        held = [
            make_nomination(self.placement, make_student(self.college, f"H{i}"), "accepted")
            for i in range(5)
        ]
        waiting = [
            make_nomination(self.placement, make_student(self.college, f"W{i}"), "offered")
            for i in range(5)
        ]
        consents = [attach(n, by=self.bob) for n in waiting]
        bob = get_user_model().objects.get(pk=self.bob.pk)
        calls = [
            (
                lambda n=n: services.nomination_move(
                    actor=bob, nomination=n, verb="withdraw", reason="Ill"
                )
            )
            for n in held
        ] + [
            (lambda n=n, c=c: services.nomination_accept(actor=bob, nomination=n, consent=c))
            for n, c in zip(waiting, consents, strict=True)
        ]
        run_concurrently(*calls, timeout=60)
        self.placement.refresh_from_db()
        taken = Nomination.objects.filter(
            placement=self.placement, status__in=[NominationStatus.ACCEPTED]
        ).count()
        self.assertEqual(self.placement.filled_slots, taken)
        self.assertLessEqual(taken, 5)

    def test_one_student_accepting_two_overlapping_placements_at_once_holds_one(self):
        student = make_student(self.college, "S1")
        other = make_placement(self.host, self.college, status="published", slots=5)
        first = make_nomination(self.placement, student, "offered")
        second = make_nomination(other, student, "offered")
        consents = [attach(first, by=self.bob), attach(second, by=self.bob)]
        bob = get_user_model().objects.get(pk=self.bob.pk)
        results = run_concurrently(
            lambda: services.nomination_accept(actor=bob, nomination=first, consent=consents[0]),
            lambda: services.nomination_accept(actor=bob, nomination=second, consent=consents[1]),
        )
        self.assertEqual(sum(isinstance(r, Nomination) for r in results), 1, results)
        self.assertEqual(
            Nomination.objects.filter(student=student, status=NominationStatus.ACCEPTED).count(),
            1,
        )


class TestTheDatabaseGuardsTheSlots(RaceSetup, TestCase):
    def setUp(self):
        self.make_world()

    def test_the_check_refuses_more_filled_slots_than_slots(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Placement.objects.filter(pk=self.placement.pk).update(filled_slots=F("slots") + 1)

    def test_the_check_refuses_a_negative_count(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Placement.objects.filter(pk=self.placement.pk).update(filled_slots=-1)

    def test_one_open_nomination_per_student_and_placement(self):
        student = make_student(self.college, "S1")
        make_nomination(self.placement, student)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Nomination.objects.create(
                placement=self.placement, student=student, college=self.college
            )
        Nomination.objects.filter(student=student).update(status=NominationStatus.WITHDRAWN)
        make_nomination(self.placement, student)  # a withdrawn one does not count


@requires_row_locks
class TestNominationLockOrder(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hr = member(cls.host, Role.STAFF, "hx_hr")

    def setUp(self):
        self.placement = make_placement(self.host, self.college, status="published")
        self.student = make_student(self.college, "S1")

    def test_nominating_locks_the_placement_then_the_students(self):
        self.assertEqual(
            assert_lock_order(
                lambda: services.nomination_create(
                    actor=self.bob, placement=self.placement, students=[self.student]
                )
            ),
            ["internships_placement", "internships_student"],
        )

    def test_every_step_locks_placement_student_nomination(self):
        nomination = make_nomination(self.placement, self.student, "offered")
        consent = attach(nomination, by=self.bob)
        expected = ["internships_placement", "internships_student", "internships_nomination"]
        self.assertEqual(
            assert_lock_order(
                lambda: services.nomination_accept(
                    actor=self.bob, nomination=nomination, consent=consent
                )
            ),
            expected,
        )
        satisfy_gates(nomination, by=self.bob)
        self.assertEqual(
            assert_lock_order(
                lambda: services.nomination_start(actor=self.bob, nomination=nomination)
            ),
            expected,
        )
        self.assertEqual(
            assert_lock_order(
                lambda: services.evaluation_record(
                    actor=self.hr,
                    nomination=nomination,
                    role="guide",
                    evaluator_name="Chen",
                    attendance=5,
                    skills=5,
                    attitude=5,
                    safety=5,
                )
            ),
            [*expected, "internships_evaluation"],
        )

    def test_cancelling_locks_the_placement_then_its_nominations(self):
        make_nomination(self.placement, self.student, "accepted")
        self.assertEqual(
            assert_lock_order(
                lambda: services.placement_cancel(
                    actor=self.hr, placement=self.placement, reason="Closed"
                )
            ),
            ["internships_placement", "internships_nomination"],
        )
