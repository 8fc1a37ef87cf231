"""The internships demo data: seeded twice it stays the same, holds a nomination in
every status, keeps to the rules, and leaves both demo enterprises real work."""

from unittest import mock

from django.core.management import call_command
from django.db.models import Count, Q
from django.test import TestCase

from accounts.models import User
from internships import compliance
from internships.dashboard import nominations_to_answer
from internships.models import (
    HOLDING_STATUSES,
    SLOT_STATUSES,
    Evaluation,
    InternshipType,
    Nomination,
    NominationStatus,
    Placement,
    Student,
)
from internships.services.nominations import missing_evaluations
from portal import dashboard
from portal.models import Attachment

MODELS = (Placement, Nomination, Evaluation, Student, Attachment)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


class TestDemo(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", stdout=mock.MagicMock())

    def test_seeding_twice_changes_nothing(self):
        before = counts()
        call_command("seed_demo", stdout=mock.MagicMock())
        self.assertEqual(counts(), before)
        self.assertGreater(before["Nomination"], 0)

    def test_every_status_is_there(self):
        present = set(Nomination.objects.values_list("status", flat=True))
        self.assertEqual(present, set(NominationStatus.values))

    def test_filled_slots_count_the_accepted_started_and_completed(self):
        placements = Placement.objects.annotate(
            taken=Count("nominations", filter=Q(nominations__status__in=SLOT_STATUSES))
        )
        for placement in placements:
            self.assertEqual(placement.filled_slots, placement.taken, placement.title)
            self.assertLessEqual(placement.filled_slots, placement.slots, placement.title)

    def test_the_nominations_keep_to_the_rules(self):
        nominations = Nomination.objects.select_related("student", "placement")
        for nomination in nominations:
            self.assertEqual(nomination.college_id, nomination.student.college_id)
            if nomination.placement.internship_type == InternshipType.ON_THE_JOB:
                self.assertEqual(
                    compliance.student_findings(nomination.student, nomination.placement),
                    [],
                    nomination,
                )
            if nomination.status in SLOT_STATUSES:
                self.assertIsNotNone(nomination.student_consent_id, nomination)
        held = [n for n in nominations if n.status in HOLDING_STATUSES]
        for one in held:
            for other in held:
                if one.pk != other.pk and one.student_id == other.student_id:
                    self.assertTrue(
                        one.placement.end_date < other.placement.start_date
                        or other.placement.end_date < one.placement.start_date,
                        (one, other),
                    )

    def test_the_started_internship_has_its_gates_and_the_completed_its_evaluations(self):
        started = Nomination.objects.get(status=NominationStatus.STARTED)
        self.assertEqual(compliance.missing_gates(started), [])
        self.assertIsNotNone(started.tripartite_scan_id)
        completed = Nomination.objects.get(status=NominationStatus.COMPLETED)
        self.assertEqual(missing_evaluations(completed), [])

    def test_both_demo_enterprises_have_nominations_to_answer(self):
        for username in ("enterprise", "enterprise2"):
            user = User.objects.get(username=username)
            self.assertTrue(nominations_to_answer(user), username)
            self.assertTrue(dashboard.registry.collect("waiting", user), username)

    def test_the_college_sees_gates_missing_and_an_evaluation_due(self):
        user = User.objects.get(username="college")
        categories = {item.category for item in dashboard.registry.collect("waiting", user)}
        self.assertIn("Internships starting soon with gates missing", categories)
        self.assertIn("Evaluations due", categories)
        self.assertIn("Offers waiting for the student's answer", categories)
