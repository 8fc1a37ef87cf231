"""The internships daily job: gates missing before the start (7 days and 1 day before)
and evaluations due at the end, each reminder once, to the right people."""

from datetime import timedelta
from unittest import mock

from django.test import TestCase
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from internships import jobs
from internships.models import Evaluation, EvaluatorRole, NominationStatus
from portal.daily import run_daily_jobs
from portal.models import Notification
from tests.factories import OrganizationFactory, member
from tests.people import People

from .helpers import make_nomination, make_placement, satisfy_gates
from .students import make_student

N = NominationStatus
TODAY = timezone.localdate()


class JobCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hr = member(cls.host, Role.STAFF, "hx_hr")
        cls.hr_viewer = member(cls.host, Role.VIEWER, "hx_viewer")
        cls.other_host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Lanting")
        cls.other_hr = member(cls.other_host, Role.ADMIN, "lt_hr")

    def placement(self, title="CNC operator", *, starts_in=7, lasts=120):
        start = TODAY + timedelta(days=starts_in)
        return make_placement(
            self.host,
            self.college,
            status="published",
            title=title,
            start_date=start,
            end_date=start + timedelta(days=lasts),
            guide_name="Chen Gang",
        )

    def accepted(self, placement, number="S1", name="Li Na"):
        return make_nomination(placement, make_student(self.college, number, name=name), N.ACCEPTED)

    def run_job(self, today=TODAY) -> dict:
        with self.captureOnCommitCallbacks(execute=True):
            return jobs.internships_daily(today)

    def titles(self, user) -> list[str]:
        return list(user.notifications.order_by("pk").values_list("title", flat=True))


class TestGateReminders(JobCase):
    def test_both_sides_are_reminded_once_across_two_runs(self):
        placement = self.placement(starts_in=7)
        self.accepted(placement)
        first, second = self.run_job(), self.run_job()
        self.assertEqual((first["gate_reminders"], second["gate_reminders"]), (1, 0))
        expected = [
            f"Gates missing for Li Na at CNC operator, starting {placement.start_date}: "
            "tripartite agreement signed, tripartite agreement scan, liability insurance, "
            "tracking teacher"
        ]
        for person in (self.alice, self.bob, self.hr):
            self.assertEqual(self.titles(person), expected, person)
        for outsider in (self.victor, self.hr_viewer, self.charlie, self.other_hr, self.olivia):
            self.assertEqual(self.titles(outsider), [], outsider)
        body = self.alice.notifications.get().body
        self.assertIn("Attach the scan of the signed tripartite agreement.", body)
        self.assertIn("第十三条", body)

    def test_reminders_come_7_days_and_1_day_before_the_start(self):
        placement = self.placement(starts_in=10)
        self.accepted(placement)
        sent = []
        for day in range(0, 12):
            today = TODAY + timedelta(days=day)
            if self.run_job(today)["gate_reminders"]:
                sent.append((placement.start_date - today).days)
        self.assertEqual(sent, [7, 1])

    def test_a_missed_day_still_sends_the_reminder_due(self):
        placement = self.placement(starts_in=5)  # the 7-day run never happened
        self.accepted(placement)
        self.assertEqual(self.run_job()["gate_reminders"], 1)
        self.assertEqual(self.run_job(TODAY + timedelta(days=4))["gate_reminders"], 1)

    def test_nothing_is_sent_when_the_gates_are_complete(self):
        placement = self.placement(starts_in=1)
        satisfy_gates(self.accepted(placement))
        self.assertEqual(self.run_job()["gate_reminders"], 0)
        self.assertFalse(Notification.objects.exists())

    def test_only_accepted_nominations_are_chased(self):
        placement = self.placement(starts_in=7)
        for number, status in [("S1", N.OFFERED), ("S2", N.WITHDRAWN), ("S3", N.NOMINATED)]:
            make_nomination(placement, make_student(self.college, number), status)
        self.assertEqual(self.run_job()["gate_reminders"], 0)

    def test_a_broken_record_does_not_stop_the_others_and_is_retried(self):
        placement = self.placement(starts_in=7)
        broken = self.accepted(placement, "S1", "Li Na")
        self.accepted(placement, "S2", "Wu Lei")
        real = jobs._remind_gates

        def remind(nomination, gates):
            if nomination.pk == broken.pk:
                raise RuntimeError("mail merge failed")
            real(nomination, gates)

        with (
            mock.patch.object(jobs, "_remind_gates", side_effect=remind),
            self.assertLogs("portal.daily", "ERROR"),
        ):
            report = self.run_job()
        self.assertEqual((report["gate_reminders"], report["failed"]), (1, 1))
        self.assertEqual(len(self.titles(self.alice)), 1)
        self.assertIn("Wu Lei", self.titles(self.alice)[0])
        # Nothing of the failed one was recorded: the next run sends it.
        self.assertEqual(self.run_job()["gate_reminders"], 1)
        self.assertIn("Li Na", self.titles(self.alice)[1])


class TestEvaluationReminders(JobCase):
    def started(self, *, ends_in: int):
        placement = self.placement(starts_in=ends_in - 60, lasts=60)
        return make_nomination(placement, make_student(self.college, "S1", name="Li Na"), N.STARTED)

    def test_each_side_is_reminded_of_its_own_evaluation_once(self):
        nomination = self.started(ends_in=0)
        first, second = self.run_job(), self.run_job()
        self.assertEqual((first["evaluation_reminders"], second["evaluation_reminders"]), (2, 0))
        end = nomination.placement.end_date
        self.assertEqual(
            self.titles(self.hr),
            [
                "Evaluation due: the enterprise guide's evaluation of Li Na at CNC operator "
                f"(ends {end})"
            ],
        )
        self.assertEqual(
            self.titles(self.alice),
            [
                "Evaluation due: the tracking teacher's evaluation of Li Na at CNC operator "
                f"(ends {end})"
            ],
        )
        self.assertEqual(self.titles(self.other_hr), [])

    def test_only_the_missing_evaluation_is_chased(self):
        nomination = self.started(ends_in=1)
        Evaluation.objects.create(
            nomination=nomination,
            role=EvaluatorRole.GUIDE,
            evaluator_name="Chen Gang",
            attendance=5,
            skills=4,
            attitude=5,
            safety=5,
        )
        self.assertEqual(self.run_job()["evaluation_reminders"], 1)
        self.assertEqual(self.titles(self.hr), [])
        self.assertEqual(len(self.titles(self.alice)), 1)

    def test_nothing_before_the_last_day(self):
        self.started(ends_in=2)
        self.assertEqual(self.run_job()["evaluation_reminders"], 0)


class TestRegistry(JobCase):
    def test_the_nightly_run_includes_the_internships_job(self):
        self.accepted(self.placement(starts_in=1))
        reports = run_daily_jobs(TODAY)
        self.assertEqual(reports["internships.jobs.internships_daily"]["gate_reminders"], 1)
