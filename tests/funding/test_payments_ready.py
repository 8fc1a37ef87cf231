"""The tranches ready to release (due within a week or late, evidence attached, budget
settled) for the department's admins, on their page, dashboard and navigation; and the
program budget chart: released, committed but not released, remaining."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganizationKind
from funding import services
from funding.dashboard import funding_charts
from funding.models import Award, Tranche
from tests.factories import OrganizationFactory, make_application, make_program, member
from tests.funding.payment_helpers import PAID, approved_award, attach_evidence
from tests.funding.test_money import FundingCase
from tests.helpers.queries import assert_constant_queries


class ReadyCase(FundingCase):
    def plan(self, award, *, days=0, milestone="", amount="1000"):
        return services.tranche_plan(
            actor=self.olivia,
            award=award,
            amount=Decimal(amount),
            due_date=timezone.localdate() + timedelta(days=days),
            milestone=milestone,
        )


class TestReadyList(ReadyCase):
    def test_what_is_ready_and_what_is_not(self):
        award = approved_award(self)
        advance = self.plan(award, days=-3)
        due_in_a_week = self.plan(award, days=7, milestone="Lab built")
        attach_evidence(due_in_a_week, self.bob)
        no_evidence = self.plan(award, days=1, milestone="Base built")
        too_far = self.plan(award, days=8)
        released = self.plan(award, days=0)
        services.tranche_release(actor=self.gary, tranche=released, **PAID)
        cancelled = self.plan(award, days=0)
        services.tranche_cancel(actor=self.gary, tranche=cancelled, reason="Replanned.")
        reduced = approved_award(self, requested="50000.00", awarded="40000")
        awaiting_revision = self.plan(reduced, days=0)
        other_bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        elsewhere = Award.objects.create(
            application=make_application(
                make_program(other_bureau), self.college, status="approved"
            ),
            program=make_program(other_bureau),
            amount=Decimal("100"),
        )
        other_department = Tranche.objects.create(
            award=elsewhere, amount=Decimal("1"), due_date=timezone.localdate()
        )
        Award.objects.filter(pk=elsewhere.pk).update(tranched=Decimal("1"))

        ready = list(services.ready_to_release(self.gary))
        self.assertEqual(ready, [advance, due_in_a_week])
        for tranche in (no_evidence, too_far, released, cancelled, awaiting_revision):
            self.assertNotIn(tranche, ready)
        self.assertNotIn(other_department, ready)
        self.assertEqual(list(services.ready_to_release(self.olivia)), [])  # staff release none

        self.client.force_login(self.gary)
        page = self.client.get(reverse("fund-tranches-ready"))
        self.assertContains(page, "Riverside College")
        self.assertContains(page, award.application.reference)
        self.assertContains(page, award.program.title)
        self.assertContains(page, "1,000.00")
        self.assertContains(page, reverse("fund-tranche-release", args=[advance.pk]))
        self.assertContains(page, reverse("tranche-evidence", args=[due_in_a_week.pk]))
        self.assertContains(page, "photos.pdf")
        self.assertContains(page, "late")
        self.assertNotContains(page, reverse("fund-tranche-release", args=[no_evidence.pk]))

    def test_only_the_departments_admins_open_it(self):
        url = reverse("fund-tranches-ready")
        self.client.logout()
        self.assertTrue(self.client.get(url)["Location"].startswith(reverse("login")))
        for name in ("charlie", "victor", "alice", "olivia"):
            self.client.force_login(getattr(self, name))
            self.assertEqual(self.client.get(url).status_code, 403, name)
        self.client.force_login(self.gary)
        self.assertContains(self.client.get(url), "Nothing is ready to release")

    def test_it_runs_the_same_queries_for_1_and_50(self):
        program = make_program(self.bureau, budget="100000000.00")
        award = approved_award(self, program=program, requested="300000.00")
        attach_evidence(self.plan(award, milestone="Lab built"), self.bob)

        def add(count):
            for index in range(count):
                application = make_application(
                    program, OrganizationFactory(), amount="1000.00", status="approved"
                )
                other = Award.objects.create(
                    application=application,
                    program=program,
                    amount=Decimal("1000"),
                    tranched=Decimal("1000"),
                )
                tranche = Tranche.objects.create(
                    award=other,
                    amount=Decimal("1000"),
                    due_date=timezone.localdate(),
                    milestone="Lab built" if index % 2 else "",
                )
                if index % 2:
                    attach_evidence(tranche, self.bob)

        self.client.force_login(self.gary)
        assert_constant_queries(self, lambda: self.client.get(reverse("fund-tranches-ready")), add)
        self.assertEqual(services.ready_to_release(self.gary).count(), 50)


class TestReadyOnTheDashboard(ReadyCase):
    def test_admins_see_the_count_the_items_and_the_menu_entry(self):
        award = approved_award(self)
        tranche = self.plan(award, days=2, amount="2500")
        self.client.force_login(self.gary)
        home = self.client.get(reverse("home"))
        self.assertContains(home, "Tranches ready to release")
        self.assertContains(home, "Release 2,500.00 yuan for")
        self.assertContains(home, reverse("fund-tranche-release", args=[tranche.pk]))
        self.assertContains(home, f'href="{reverse("fund-tranches-ready")}"')
        figures = {figure.label: figure.value for figure in home.context["figures"]}
        self.assertEqual(figures["Tranches ready to release"], 1)
        for name in ("olivia", "alice"):
            self.client.force_login(getattr(self, name))
            home = self.client.get(reverse("home"))
            self.assertNotContains(home, "Tranches ready to release")
            self.assertNotContains(home, reverse("fund-tranches-ready"))


class TestBudgetChart(FundingCase):
    def test_each_program_is_a_bar_of_released_committed_and_remaining(self):
        program = make_program(self.bureau, budget="1000000.00")
        award = approved_award(self, program=program, requested="300000.00")
        tranche = services.tranche_plan(
            actor=self.gary, award=award, amount=Decimal("100000"), due_date="2026-01-01"
        )
        services.tranche_release(actor=self.gary, tranche=tranche, **PAID)
        chart = next(c for c in funding_charts(self.olivia) if c.key == "budget-per-program")
        self.assertEqual(chart.values, [1000000.0])
        self.assertEqual(
            [(str(s.label), s.values) for s in chart.stacks],
            [
                ("Released", [100000.0]),
                ("Committed, not yet released", [200000.0]),
                ("Remaining", [700000.0]),
            ],
        )
        self.assertEqual(funding_charts(self.alice), [])

        self.client.force_login(self.olivia)
        home = self.client.get(reverse("home"))
        data = next(c for c in home.context["charts"] if c["key"] == "budget-per-program")
        self.assertEqual(data["stacks"][0]["label"], "Released")
        [(label, parts, total)] = data["stack_rows"]
        self.assertEqual((parts, total), ([100000.0, 200000.0, 700000.0], 1e6))
        self.assertTrue(program.title.startswith(label.rstrip("…")))
        self.assertContains(home, '<th scope="col">Committed, not yet released</th>', html=False)
        page = self.client.get(program.get_absolute_url())
        self.assertContains(page, f'id="chart-program-{program.pk}-budget"')
        self.assertContains(page, "<td>700000.0</td>")


class TestMenu(FundingCase):
    def test_the_menu_shows_payments_to_all_and_ready_to_release_to_admins(self):
        self.client.force_login(self.gary)
        home = self.client.get(reverse("home"))
        self.assertContains(home, "Ready to release")
        self.assertContains(home, reverse("fund-payment-list"))
        self.client.force_login(self.olivia)
        self.assertNotContains(self.client.get(reverse("home")), "Ready to release")
        viewer = member(self.bureau, "viewer", "vera")
        self.client.force_login(viewer)
        self.assertNotContains(self.client.get(reverse("home")), "Ready to release")
