"""The demo's money after the decision: indicators, a released tranche with its payment,
one ready to release with evidence, a submitted report, and a revised budget waiting."""

import io
from decimal import Decimal

from django.core.management import call_command
from django.db.models import Sum
from django.test import TestCase
from django.urls import reverse

from accounts.models import User
from funding import services
from funding.demo import OPEN_TITLE
from funding.models import (
    Award,
    FundProgram,
    Payment,
    ProgressReport,
    ReportStatus,
    RevisionStatus,
)


class TestDemoMoney(TestCase):
    def test_the_demo_shows_every_step(self):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())  # the second run adds nothing
        program = FundProgram.objects.get(title=OPEN_TITLE)
        self.assertEqual(program.indicators.count(), 3)
        payment = Payment.objects.get()
        self.assertEqual(payment.voucher_number, "JZ-2026-0417")
        officer2 = User.objects.get(username="officer2")
        [ready] = services.ready_to_release(officer2)
        self.assertTrue(ready.has_evidence)
        report = ProgressReport.objects.get(status=ReportStatus.SUBMITTED)
        self.assertEqual(report.indicator_values.count(), 3)
        self.assertEqual(report.spent_to_date, report.spend.aggregate(total=Sum("amount"))["total"])
        waiting = Award.objects.get(needs_budget_revision=True)
        self.assertEqual(waiting.budget_revisions.get().status, RevisionStatus.PROPOSED)
        awards = Award.objects.filter(program=program)
        self.assertEqual(program.committed, sum(a.amount for a in awards))
        self.assertEqual(program.released, payment.amount)
        self.assertEqual(sum(a.released for a in awards), payment.amount)
        for award in awards:
            self.assertEqual(award.tranched, sum(t.amount for t in award.tranches.all()), award)
            if not award.needs_budget_revision:
                lines = award.application.budget_lines.aggregate(total=Sum("amount"))["total"]
                self.assertEqual(lines, award.amount)
        self.assertEqual(waiting.amount, Decimal("200000.00"))

        self.client.force_login(officer2)
        home = self.client.get(reverse("home"))
        self.assertContains(home, "Tranches ready to release")
        self.assertContains(self.client.get(reverse("fund-tranches-ready")), "cnc-acceptance.pdf")
        approved = ready.award.application
        self.client.force_login(User.objects.get(username="college"))
        tab = self.client.get(approved.get_absolute_url() + "?tab=award")
        self.assertContains(tab, "JZ-2026-0417")
        self.assertContains(tab, "Students placed in partner enterprises")
        self.client.force_login(User.objects.get(username="officer"))
        tab = self.client.get(waiting.get_absolute_url())
        self.assertContains(tab, "Accept: replace the budget lines")
