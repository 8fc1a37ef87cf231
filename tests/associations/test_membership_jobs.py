"""The memberships' daily reminders: 30 days before the end and at the lapse (the day
after the grace ends), to the association's admins and the member's admins, each once
however often the job runs; a renewal moves them, a following membership ends them."""

from datetime import timedelta

from django.test import TestCase

from associations import jobs
from associations.services import memberships as service
from portal.daily import run_daily_jobs
from tests.people import People

from .memberships import TODAY, AssociationPeople, make_membership


class JobCase(AssociationPeople, People, TestCase):
    def run_job(self, today=TODAY) -> dict:
        with self.captureOnCommitCallbacks(execute=True):
            return jobs.memberships_daily(today)

    def titles(self, user) -> list[str]:
        return list(user.notifications.order_by("pk").values_list("title", flat=True))

    def ending_on(self, end, member=None):
        return make_membership(
            self.association,
            member or self.college,
            self.ordinary,
            start=end - timedelta(days=364),
            end=end,
        )


class TestRenewalReminders(JobCase):
    def test_the_admins_of_both_sides_are_reminded_once_30_days_before_the_end(self):
        membership = self.ending_on(TODAY + timedelta(days=31))
        self.assertEqual(self.run_job()["renewal_reminders"], 0)  # 31 days ahead: not yet
        tomorrow = TODAY + timedelta(days=1)
        first, second = self.run_job(tomorrow), self.run_job(tomorrow + timedelta(days=1))
        self.assertEqual((first["renewal_reminders"], second["renewal_reminders"]), (1, 0))
        expected = [
            f"Membership {membership.number} of Riverside College in Manufacturing "
            f"Association ends on {membership.end_date}: time to renew"
        ]
        for person in (self.amy, self.alice):
            self.assertEqual(self.titles(person), expected, person)
        for outsider in (self.sam, self.vera, self.bob, self.victor, self.charlie, self.olivia):
            self.assertEqual(self.titles(outsider), [], outsider)
        self.assertIn(str(membership.grace_ends), self.amy.notifications.get().body)

    def test_a_renewal_moves_the_reminder_to_the_new_end(self):
        membership = self.ending_on(TODAY + timedelta(days=10))
        self.assertEqual(self.run_job()["renewal_reminders"], 1)
        service.membership_renew(actor=self.amy, membership=membership)
        membership.refresh_from_db()
        self.assertEqual(self.run_job()["renewal_reminders"], 0)  # a year away now
        day = membership.end_date - timedelta(days=30)
        self.assertEqual(self.run_job(day)["renewal_reminders"], 1)
        self.assertEqual(len(self.titles(self.amy)), 2)

    def test_a_membership_followed_by_another_is_not_reminded(self):
        ending = self.ending_on(TODAY + timedelta(days=10))
        make_membership(
            self.association,
            self.college,
            self.ordinary,
            start=ending.end_date + timedelta(days=1),
        )
        self.assertEqual(self.run_job()["renewal_reminders"], 0)


class TestLapseNotices(JobCase):
    def test_the_lapse_is_told_the_day_after_the_grace_ends_once(self):
        membership = self.ending_on(TODAY - timedelta(days=30))  # last day of grace today
        self.assertEqual(self.run_job()["lapse_notices"], 0)
        tomorrow = TODAY + timedelta(days=1)
        self.assertEqual(self.run_job(tomorrow)["lapse_notices"], 1)
        self.assertEqual(self.run_job(tomorrow)["lapse_notices"], 0)
        self.assertEqual(self.run_job(tomorrow + timedelta(days=1))["lapse_notices"], 0)
        expected = [
            f"Membership {membership.number} of Riverside College in Manufacturing "
            "Association has lapsed"
        ]
        for person in (self.amy, self.alice):
            self.assertEqual(self.titles(person), expected)
        self.assertEqual(self.titles(self.bob), [])
        self.assertIn(str(membership.grace_ends), self.alice.notifications.get().body)

    def test_a_missed_run_still_tells_within_a_week_but_not_older_lapses(self):
        self.ending_on(TODAY - timedelta(days=31 + jobs.LAPSE_LOOK_BACK_DAYS))
        self.ending_on(TODAY - timedelta(days=32 + jobs.LAPSE_LOOK_BACK_DAYS), self.enterprise)
        self.assertEqual(self.run_job()["lapse_notices"], 1)
        self.assertEqual(len(self.titles(self.alice)), 1)
        self.assertEqual(self.titles(self.hua), [])

    def test_the_daily_run_includes_the_memberships(self):
        self.ending_on(TODAY + timedelta(days=5))
        with self.captureOnCommitCallbacks(execute=True):
            reports = run_daily_jobs(TODAY)
        self.assertEqual(
            reports["associations.jobs.memberships_daily"],
            {"renewal_reminders": 1, "lapse_notices": 0},
        )
