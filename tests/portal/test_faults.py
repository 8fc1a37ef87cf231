"""Faults after a commit never turn a committed request into an error: emails wait in
their notification (the outbox) and are retried; the daily jobs go on past a failing
record or job, and two runs at once do not overlap; Redis clients give up fast."""

import time
from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.core import mail
from django.test import TestCase, TransactionTestCase
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from accounts.models import OrganizationKind, Role
from partnerships.models import Agreement, AgreementStatus
from partnerships.services import agreements_daily
from portal import daily, tasks
from portal.models import Notification
from portal.notifications import notify
from tests.factories import OrganizationFactory, make_agreement, member
from tests.helpers.concurrency import requires_row_locks, run_concurrently
from tests.people import People

BROKER_DOWN = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


class TestEmailOutbox(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.enterprise, Role.ADMIN, "hua")

    def test_a_workflow_step_succeeds_while_the_broker_is_away_and_its_email_waits(self):
        agreement = make_agreement(self.college, self.enterprise)
        api = APIClient()
        api.force_authenticate(self.alice)
        with (
            mock.patch.object(tasks.send_notification_emails, "delay", side_effect=BROKER_DOWN),
            self.captureOnCommitCallbacks(execute=True),
        ):
            response = api.post(reverse("api:agreement-send", args=[agreement.pk]))
        self.assertEqual(response.status_code, 200, response.content)
        agreement.refresh_from_db()
        self.assertEqual(agreement.status, AgreementStatus.NEGOTIATING)
        pending = Notification.objects.email_pending()
        self.assertEqual(
            sorted(pending.values_list("recipient__username", flat=True)), ["alice", "bob", "hua"]
        )
        self.assertEqual(len(mail.outbox), 0)
        # The retry task sends them later, once each.
        pending.update(created_at=timezone.now() - timedelta(minutes=5))
        self.assertEqual(tasks.send_pending_notification_emails(), 3)
        self.assertEqual(tasks.send_pending_notification_emails(), 0)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            sorted([self.alice.email, self.bob.email, self.hua.email]),
        )
        self.assertFalse(Notification.objects.email_pending().exists())

    def test_a_page_step_succeeds_while_the_broker_is_away(self):
        agreement = make_agreement(self.college, self.enterprise)
        self.client.force_login(self.alice)
        with (
            mock.patch.object(tasks.send_notification_emails, "delay", side_effect=BROKER_DOWN),
            self.captureOnCommitCallbacks(execute=True),
        ):
            response = self.client.post(reverse("agreement-send", args=[agreement.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Agreement.objects.get(pk=agreement.pk).status, AgreementStatus.NEGOTIATING)

    def test_a_failing_mail_server_is_counted_retried_and_given_up_on(self):
        with self.captureOnCommitCallbacks(execute=True):
            notify(recipients=[self.alice], title="Hello")
        note = Notification.objects.get()
        self.assertIsNotNone(note.emailed_at)  # delivered at once when all is well
        with (
            mock.patch("portal.tasks.send_mail", side_effect=ConnectionRefusedError),
            self.captureOnCommitCallbacks(execute=True),
        ):
            notify(recipients=[self.alice], title="Again")
        note = Notification.objects.get(title="Again")
        self.assertEqual((note.email_pending, note.email_attempts), (True, 1))
        Notification.objects.filter(pk=note.pk).update(
            created_at=timezone.now() - timedelta(minutes=5)
        )
        with mock.patch("portal.tasks.send_mail", side_effect=ConnectionRefusedError):
            for _ in range(tasks.EMAIL_MAX_ATTEMPTS):
                tasks.send_pending_notification_emails()
        note.refresh_from_db()
        self.assertEqual((note.email_pending, note.emailed_at), (False, None))
        self.assertEqual(note.email_attempts, tasks.EMAIL_MAX_ATTEMPTS)

    def test_a_notification_without_email_is_never_pending(self):
        notify(recipients=[self.alice], title="Quiet", email=False)
        self.assertFalse(Notification.objects.email_pending().exists())


class TestRedisClients(TestCase):
    def test_every_redis_client_gives_up_within_seconds(self):
        # Without these, a frozen Redis held every worker for as long as it was frozen.
        self.assertLessEqual(settings.REDIS_TIMEOUT_SECONDS, 2)
        transport = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        self.assertEqual(
            (transport["socket_timeout"], transport["socket_connect_timeout"]),
            (settings.REDIS_TIMEOUT_SECONDS, settings.REDIS_TIMEOUT_SECONDS),
        )
        self.assertLessEqual(settings.CELERY_TASK_PUBLISH_RETRY_POLICY["max_retries"], 1)
        if settings.REDIS_URL:
            options = settings.CACHES["default"]["OPTIONS"]
            self.assertEqual(
                (options["socket_timeout"], options["socket_connect_timeout"]),
                (settings.REDIS_TIMEOUT_SECONDS, settings.REDIS_TIMEOUT_SECONDS),
            )


class TestDailyJobsGoOn(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")

    def test_one_failing_record_does_not_stop_the_others(self):
        today = timezone.localdate()
        first, second = (
            make_agreement(self.college, self.enterprise, status="signed", effective_in=0)
            for _ in range(2)
        )
        real_activate = agreements_daily.__globals__["agreement_activate"]

        def activate(*, agreement, today):
            if agreement.pk == first.pk:
                raise RuntimeError("a record that cannot be activated")
            return real_activate(agreement=agreement, today=today)

        with mock.patch.dict(agreements_daily.__globals__, {"agreement_activate": activate}):
            report = agreements_daily(today)
        self.assertEqual((report["activated"], report["failed"]), (1, 1))
        self.assertEqual(Agreement.objects.get(pk=second.pk).status, AgreementStatus.ACTIVE)

    def test_one_failing_job_does_not_stop_the_others(self):
        ran = []

        def broken(today):
            raise RuntimeError("broken job")

        def working(today):
            ran.append(today)
            return {"done": 1}

        with mock.patch.object(daily, "_jobs", [broken, working]):
            reports = daily.run_daily_jobs()
        self.assertEqual(len(ran), 1)
        self.assertEqual(list(reports.values()), [{"error": "RuntimeError"}, {"done": 1}])


@requires_row_locks
class TestDailyJobsRunOnce(TransactionTestCase):
    def test_two_runs_at_once_do_not_overlap(self):
        started = []

        def slow_job(today):
            started.append(today)
            time.sleep(0.5)
            return {"done": 1}

        with mock.patch.object(daily, "_jobs", [slow_job]):
            results = run_concurrently(daily.run_daily_jobs, daily.run_daily_jobs)
        self.assertEqual(len(started), 1)
        self.assertIn({"skipped": {"reason": "another run is in progress"}}, results)
