"""The daily job: activation and expiry on their dates, reminders sent once each."""

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from partnerships.models import AgreementStatus, Clause, ClauseStatus
from partnerships.services import agreements_daily
from portal.models import Notification
from tests.factories import OrganizationFactory, make_agreement, member
from tests.people import People


class TestDailyJob(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.enterprise, Role.ADMIN, "hua")

    def run_job(self, today):
        with self.captureOnCommitCallbacks(execute=True):
            return agreements_daily(today)

    def test_it_activates_and_expires_on_the_dates(self):
        today = timezone.localdate()
        starting = make_agreement(self.college, self.enterprise, status="signed", effective_in=0)
        ending = make_agreement(
            self.college, self.enterprise, status="active", effective_in=-100, lasts=99
        )
        report = self.run_job(today)
        starting.refresh_from_db()
        ending.refresh_from_db()
        self.assertEqual(
            (starting.status, ending.status), (AgreementStatus.ACTIVE, AgreementStatus.EXPIRED)
        )
        self.assertEqual((report["activated"], report["expired"]), (1, 1))

    def test_run_twice_on_the_same_day_each_reminder_goes_out_once(self):
        today = timezone.localdate()
        make_agreement(
            self.college, self.enterprise, status="active", effective_in=-300, lasts=307
        )  # expires in 7
        agreement = make_agreement(self.college, self.enterprise, status="active", effective_in=-10)
        due = agreement.clauses.get(party__organization=self.enterprise)
        Clause.objects.filter(pk=due.pk).update(due_date=today + timedelta(days=3))
        late = agreement.clauses.get(party__organization=self.college)
        Clause.objects.filter(pk=late.pk).update(due_date=today - timedelta(days=1))

        first = self.run_job(today)
        notifications, emails = Notification.objects.count(), len(mail.outbox)
        second = self.run_job(today)

        self.assertEqual(
            (first["expiry_reminders"], first["due_reminders"], first["overdue_reminders"]),
            (1, 1, 1),
        )
        self.assertEqual(
            (second["expiry_reminders"], second["due_reminders"], second["overdue_reminders"]),
            (0, 0, 0),
        )
        self.assertEqual((Notification.objects.count(), len(mail.outbox)), (notifications, emails))
        self.assertTrue(self.hua.notifications.filter(title__startswith="Due on").exists())
        self.assertTrue(self.alice.notifications.filter(title__startswith="Overdue since").exists())
        self.assertFalse(self.hua.notifications.filter(title__startswith="Overdue since").exists())

    def test_expiry_reminders_come_at_30_7_and_1_days(self):
        today = timezone.localdate()
        agreement = make_agreement(
            self.college, self.enterprise, status="active", effective_in=-300, lasts=340
        )
        sent = []
        for day in range(0, 41):
            report = self.run_job(today + timedelta(days=day))
            if report["expiry_reminders"]:
                sent.append((agreement.expiry_date - (today + timedelta(days=day))).days)
        self.assertEqual(sent, [30, 7, 1])

    def test_fulfilled_responsibilities_are_not_chased(self):
        today = timezone.localdate()
        agreement = make_agreement(self.college, self.enterprise, status="active", effective_in=-10)
        agreement.clauses.update(due_date=today - timedelta(days=2), status=ClauseStatus.FULFILLED)
        self.assertEqual(self.run_job(today)["overdue_reminders"], 0)

    def test_the_management_command_runs_the_same_work(self):
        make_agreement(self.college, self.enterprise, status="signed", effective_in=0)
        out = StringIO()
        call_command("run_daily_jobs", stdout=out)
        self.assertIn("'activated': 1", out.getvalue())
