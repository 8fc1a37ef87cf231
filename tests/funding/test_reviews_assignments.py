"""Assigned reviewers: the department's admins assign officers (never one with a tie to
the applicant), spread the work evenly, take an assignment back while unreviewed; once
assigned, only they review; reminders go out once before the due date and once late."""

from collections import Counter
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from funding import services
from funding.models import ReviewAssignment
from portal.models import Notification
from tests.factories import OrganizationFactory, make_application, make_program
from tests.funding.review_helpers import ReviewCase


def soon(days=7):
    return timezone.localdate() + timedelta(days=days)


class TestAssigning(ReviewCase):
    def setUp(self):
        self.submitted = self.application()

    def assign(self, reviewer, actor=None, application=None, due=None):
        return services.assignment_create(
            actor=actor or self.gary,
            application=application or self.submitted,
            reviewer=reviewer,
            due_date=due or soon(),
        )

    def test_an_admin_assigns_and_the_reviewer_is_told(self):
        assignment = self.assign(self.rita)
        self.assertEqual((assignment.assigned_by, assignment.due_date), (self.gary, soon()))
        told = Notification.objects.get(recipient=self.rita)
        self.assertIn(self.submitted.reference, told.title)
        self.assertEqual(told.url, reverse("fund-review-create", args=[self.submitted.pk]))

    def test_a_declared_conflict_blocks_the_assignment(self):
        services.conflict_declare(actor=self.rita, organization=self.college, reason="Alumna")
        with self.assertRaises(ValidationError) as raised:
            self.assign(self.rita)
        message = raised.exception.message_dict["reviewer"][0]
        self.assertIn("declared a conflict of interest with Riverside College", message)
        self.assertNotIn("Alumna", message)  # the nature of the tie stays the officer's
        self.assertFalse(ReviewAssignment.objects.exists())

    def test_only_the_departments_admins_assign_and_only_its_officers(self):
        with self.assertRaises(PermissionDenied):
            self.assign(self.rita, actor=self.olivia)
        for outsider in (self.alice, self.kim, self.vera, None):
            with self.subTest(outsider=outsider), self.assertRaises(ValidationError) as raised:
                self.assign(outsider)
            self.assertIn("reviewer", raised.exception.message_dict)
        with self.assertRaises(ValidationError) as raised:
            self.assign(self.rita, due=timezone.localdate() - timedelta(days=1))
        self.assertIn("due_date", raised.exception.message_dict)
        self.assign(self.rita)
        with self.assertRaises(ValidationError):
            self.assign(self.rita)  # once per application

    def test_an_admin_with_a_tie_leaves_the_assigning_to_another(self):
        services.conflict_declare(actor=self.gary, organization=self.college, reason="Alumnus")
        with self.assertRaises(PermissionDenied):
            self.assign(self.rita)
        self.assign(self.rita, actor=self.hugo)

    def test_once_assigned_only_the_assigned_review(self):
        self.assertTrue(services.can_review(self.olivia, self.submitted))
        self.assign(self.rita)
        self.assertFalse(services.can_review(self.olivia, self.submitted))
        self.assertFalse(services.can_review(self.gary, self.submitted))
        self.assertTrue(services.can_review(self.rita, self.submitted))
        with self.assertRaises(PermissionDenied):
            self.review(self.submitted, self.olivia)
        self.review(self.submitted, self.rita)
        # The admins still decide: assignments choose reviewers, not deciders.
        self.assertIn("approve", services.application_actions(self.gary, self.submitted))

    def test_an_assignment_is_taken_back_only_while_unreviewed(self):
        first = self.assign(self.rita)
        services.assignment_remove(actor=self.gary, assignment=first)
        self.assertFalse(ReviewAssignment.objects.exists())
        second = self.assign(self.rita)
        self.review(self.submitted, self.rita)
        with self.assertRaisesMessage(ValidationError, "has reviewed it already"):
            services.assignment_remove(actor=self.gary, assignment=second)
        with self.assertRaises(PermissionDenied):
            services.assignment_remove(actor=self.olivia, assignment=second)

    def test_a_decided_application_keeps_its_reviewers(self):
        self.review(self.submitted, self.olivia)
        self.review(self.submitted, self.rita)
        services.application_reject(
            actor=self.gary, application=self.submitted, reasons="Outside the program's aims."
        )
        with self.assertRaises(services.InvalidTransition):
            self.assign(self.sam)


class TestSpreading(ReviewCase):
    def setUp(self):
        self.program = make_program(self.bureau, max_open=20)
        self.applicants = [OrganizationFactory() for _ in range(6)]
        self.applications = [
            make_application(self.program, applicant, status="under_review")
            for applicant in self.applicants
        ]

    def spread(self, reviewers, per_application=2, actor=None):
        return services.assignments_spread(
            actor=actor or self.gary,
            program=self.program,
            reviewers=reviewers,
            per_application=per_application,
            due_date=soon(),
        )

    def loads(self) -> Counter:
        return Counter(
            ReviewAssignment.objects.filter(application__program=self.program).values_list(
                "reviewer__username", flat=True
            )
        )

    def test_the_work_is_spread_evenly_and_the_same_way_each_time(self):
        result = self.spread([self.sam, self.olivia, self.rita])
        self.assertEqual(len(result.created), 12)
        self.assertEqual(result.short, [])
        self.assertEqual(self.loads(), {"olivia": 4, "rita": 4, "sam": 4})
        for application in self.applications:
            self.assertEqual(application.assignments.count(), 2)
        # Fewest-assigned first, then by username: the first application goes to olivia
        # and rita, the second to sam and olivia.
        first, second = self.applications[:2]
        self.assertEqual(
            set(first.assignments.values_list("reviewer__username", flat=True)),
            {"olivia", "rita"},
        )
        self.assertEqual(
            set(second.assignments.values_list("reviewer__username", flat=True)),
            {"olivia", "sam"},
        )
        self.assertEqual(self.spread([self.olivia, self.rita, self.sam]).created, [])

    def test_existing_assignments_count_and_the_least_loaded_go_first(self):
        for application in self.applications[:3]:
            services.assignment_create(
                actor=self.gary, application=application, reviewer=self.olivia, due_date=soon()
            )
        self.spread([self.olivia, self.rita, self.sam])
        loads = self.loads()
        self.assertEqual(sum(loads.values()), 12)
        self.assertLessEqual(max(loads.values()) - min(loads.values()), 1)

    def test_ties_to_an_applicant_are_skipped(self):
        services.conflict_declare(actor=self.rita, organization=self.applicants[0], reason="Tie")
        result = self.spread([self.olivia, self.rita, self.sam])
        self.assertNotIn(
            "rita",
            self.applications[0].assignments.values_list("reviewer__username", flat=True),
        )
        self.assertEqual(len(result.created), 12)
        loads = self.loads()
        self.assertLessEqual(max(loads.values()) - min(loads.values()), 1)
        # With two reviewers for two places, a tie leaves the application short.
        services.conflict_declare(actor=self.sam, organization=self.applicants[1], reason="Tie")
        other = make_program(self.bureau, max_open=20)
        short = make_application(other, self.applicants[1], status="submitted")
        result = services.assignments_spread(
            actor=self.gary,
            program=other,
            reviewers=[self.olivia, self.sam],
            per_application=2,
            due_date=soon(),
        )
        self.assertEqual(result.short, [short])
        self.assertEqual(
            list(short.assignments.values_list("reviewer__username", flat=True)), ["olivia"]
        )

    def test_bad_requests_are_field_errors_and_staff_may_not(self):
        with self.assertRaises(PermissionDenied):
            self.spread([self.rita], per_application=1, actor=self.olivia)
        with self.assertRaises(ValidationError) as raised:
            self.spread([self.rita, self.alice], per_application=3)
        self.assertEqual(set(raised.exception.message_dict), {"reviewers", "per_application"})
        with self.assertRaises(ValidationError) as raised:
            self.spread([], per_application=1)
        self.assertIn("reviewers", raised.exception.message_dict)
        self.assertFalse(ReviewAssignment.objects.exists())

    def test_each_reviewer_is_told_once(self):
        self.spread([self.olivia, self.rita, self.sam])
        for user in (self.olivia, self.rita, self.sam):
            told = Notification.objects.filter(recipient=user)
            self.assertEqual(told.count(), 1)
            self.assertIn("4 applications to review", told.get().title)


class TestReminders(ReviewCase):
    def test_each_reminder_goes_out_once(self):
        today = timezone.localdate()
        soon_due = self.application()
        late = self.application()
        done = self.application()
        not_started = self.application(status="submitted")
        rows = [
            (soon_due, self.rita, today + timedelta(days=3)),
            (late, self.rita, today - timedelta(days=1)),
            (done, self.rita, today - timedelta(days=1)),
            (not_started, self.rita, today + timedelta(days=1)),
            (soon_due, self.sam, today + timedelta(days=4)),  # not yet
        ]
        for application, reviewer, due in rows:
            ReviewAssignment.objects.create(
                application=application, reviewer=reviewer, assigned_by=self.gary, due_date=due
            )
        self.review(done, self.rita)
        with self.captureOnCommitCallbacks(execute=True):
            first = services.assignments_daily(today)
            second = services.assignments_daily(today)
        self.assertEqual(first, {"due_reminders": 1, "overdue_reminders": 1})
        self.assertEqual(second, {"due_reminders": 0, "overdue_reminders": 0})
        titles = sorted(
            Notification.objects.filter(recipient=self.rita).values_list("title", flat=True)
        )
        self.assertEqual(len(titles), 2)
        self.assertTrue(titles[0].startswith("Due on"))
        self.assertIn(soon_due.reference, titles[0])
        self.assertTrue(titles[1].startswith("Overdue since"))
        self.assertIn(late.reference, titles[1])
        self.assertFalse(Notification.objects.filter(recipient=self.sam).exists())
        # The next day the overdue one is not sent again; the other is now due within 3.
        self.assertEqual(
            services.assignments_daily(today + timedelta(days=1)),
            {"due_reminders": 1, "overdue_reminders": 0},
        )
