"""Releasing a tranche records its payment (voucher, payee's account, date) in the same
transaction, after a confirmation; cancelling asks for a reason. The payment and the
evidence are shown wherever the tranche is; finance lists and exports the payments."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TransactionTestCase
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import OrganizationKind, Role
from funding import services
from funding.models import Award, FundProgram, Payment, Tranche, TrancheStatus
from portal.models import Notification
from portal.workflow import InvalidTransition
from tests.factories import (
    OrganizationFactory,
    make_application,
    make_program,
    make_reviews,
    member,
)
from tests.funding.payment_helpers import (
    PAID,
    approved_award,
    attach_evidence,
    cancel_form,
    release_form,
)
from tests.funding.test_money import FundingCase
from tests.helpers import permissions
from tests.helpers.concurrency import requires_row_locks, run_concurrently
from tests.helpers.queries import assert_constant_queries


class ReleaseCase(FundingCase):
    def setUp(self):
        self.award = approved_award(self)
        self.tranche = services.tranche_plan(
            actor=self.olivia,
            award=self.award,
            amount=Decimal("40000"),
            due_date="2026-01-01",
            milestone="Workshop built",
        )
        self.evidence = attach_evidence(self.tranche, self.bob, name="workshop-photos.pdf")


class TestReleaseService(ReleaseCase):
    def test_releasing_records_the_payment(self):
        services.tranche_release(actor=self.gary, tranche=self.tranche, **PAID)
        payment = Payment.objects.get()
        self.assertEqual(
            (
                payment.tranche,
                payment.amount,
                payment.paid_on,
                payment.voucher_number,
                payment.payee_account,
                payment.recorded_by,
            ),
            (
                self.tranche,
                Decimal("40000.00"),
                timezone.localdate(),
                "PV-2026-0001",
                "6222 0200 1234 5678",
                self.gary,
            ),
        )
        notice = Notification.objects.get(recipient=self.alice, title__contains="released")
        self.assertIn("PV-2026-0001", notice.body)

    def test_the_payment_details_are_required_and_bounded(self):
        yesterday = timezone.localdate() - timedelta(days=1)
        cases = [
            ({**PAID, "voucher_number": "  "}, "voucher_number"),
            ({**PAID, "voucher_number": "V" * 65}, "voucher_number"),
            ({**PAID, "payee_account": ""}, "payee_account"),
            ({**PAID, "payee_account": "1" * 65}, "payee_account"),
            ({**PAID, "paid_on": timezone.localdate() + timedelta(days=1)}, "paid_on"),
            ({**PAID, "paid_on": timezone.localdate().replace(year=1900)}, "paid_on"),
        ]
        for details, field in cases:
            with self.subTest(field), self.assertRaises(ValidationError) as caught:
                services.tranche_release(actor=self.gary, tranche=self.tranche, **details)
            self.assertIn(field, caught.exception.message_dict)
        self.tranche.refresh_from_db()
        self.assertEqual(self.tranche.status, TrancheStatus.PLANNED)
        self.assertFalse(Payment.objects.exists())
        services.tranche_release(actor=self.gary, tranche=self.tranche, paid_on=yesterday, **PAID)
        self.assertEqual(Payment.objects.get().paid_on, yesterday)

    def test_who_may_not_release(self):
        for name in ("olivia", "alice", "victor", "charlie"):
            with self.subTest(name), self.assertRaises(PermissionDenied):
                services.tranche_release(actor=getattr(self, name), tranche=self.tranche, **PAID)

    def test_cancelling_asks_for_a_reason(self):
        for reason in ("", "   ", "x" * 256):
            with self.subTest(reason[:5]), self.assertRaises(ValidationError) as caught:
                services.tranche_cancel(actor=self.gary, tranche=self.tranche, reason=reason)
            self.assertIn("reason", caught.exception.message_dict)
        services.tranche_cancel(actor=self.gary, tranche=self.tranche, reason=" Replanned. ")
        self.tranche.refresh_from_db()
        self.assertEqual(
            (self.tranche.status, self.tranche.cancel_reason),
            (TrancheStatus.CANCELLED, "Replanned."),
        )
        self.assertTrue(Notification.objects.filter(recipient=self.bob, body="Replanned.").exists())
        with self.assertRaises(InvalidTransition):
            services.tranche_release(actor=self.gary, tranche=self.tranche, **PAID)


class TestReleasePages(ReleaseCase):
    def release_url(self):
        return reverse("fund-tranche-release", args=[self.tranche.pk])

    def cancel_url(self):
        return reverse("fund-tranche-cancel", args=[self.tranche.pk])

    def test_who_opens_the_release_and_cancel_pages(self):
        for url in (self.release_url(), self.cancel_url()):
            self.client.logout()
            self.assertTrue(self.client.get(url)["Location"].startswith(reverse("login")))
            self.client.force_login(self.charlie)
            self.assertEqual(self.client.get(url).status_code, 404)
            self.assertEqual(self.client.post(url, release_form()).status_code, 404)
            for name in ("victor", "alice", "olivia"):
                self.client.force_login(getattr(self, name))
                self.assertEqual(self.client.get(url).status_code, 403, (name, url))
                self.assertEqual(self.client.post(url, release_form()).status_code, 403)
                self.assertEqual(self.client.post(url, cancel_form()).status_code, 403)
            self.client.force_login(self.gary)
            self.assertEqual(self.client.get(url).status_code, 200)
        self.tranche.refresh_from_db()
        self.assertEqual(self.tranche.status, TrancheStatus.PLANNED)

    def test_the_release_page_asks_for_confirmation_and_the_payment(self):
        self.client.force_login(self.gary)
        page = self.client.get(self.release_url())
        self.assertContains(page, "Release 40,000.00 yuan to Riverside College?")
        self.assertContains(page, "workshop-photos.pdf")
        self.assertContains(page, reverse("attachment-download", args=[self.evidence.pk]))
        self.assertContains(page, f'value="{timezone.localdate().isoformat()}"')
        response = self.client.post(self.release_url(), {**release_form(), "confirm": ""})
        self.assertContains(response, "This field is required", status_code=400)
        response = self.client.post(self.release_url(), release_form(voucher_number=""))
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Payment.objects.exists())
        response = self.client.post(self.release_url(), release_form(), follow=True)
        self.assertContains(response, "voucher PV-2026-0001")
        payment = Payment.objects.get()
        self.assertEqual(str(payment.paid_on), "2026-01-05")
        # Released once: the page now says so and posting again changes nothing.
        response = self.client.get(self.release_url(), follow=True)
        self.assertContains(response, "This tranche is Released.")
        response = self.client.post(self.release_url(), release_form(), follow=True)
        self.assertContains(response, "cannot move from")
        self.assertEqual(Payment.objects.count(), 1)

    def test_release_from_the_ready_list_returns_there(self):
        self.client.force_login(self.gary)
        ready = reverse("fund-tranches-ready")
        response = self.client.post(self.release_url(), {**release_form(), "next": ready})
        self.assertRedirects(response, ready, fetch_redirect_response=False)
        response = self.client.post(
            self.cancel_url(), {**cancel_form(), "next": "https://evil.example/"}
        )
        self.assertNotIn("evil", response["Location"])

    def test_the_cancel_page_asks_for_a_reason_and_confirmation(self):
        self.client.force_login(self.gary)
        self.assertContains(self.client.get(self.cancel_url()), "Cancel the tranche of 40,000.00")
        self.assertEqual(self.client.post(self.cancel_url(), {"confirm": "on"}).status_code, 400)
        self.assertEqual(
            self.client.post(self.cancel_url(), {"reason": "Dropped"}).status_code, 400
        )
        self.client.post(self.cancel_url(), cancel_form("Dropped from the plan."))
        self.tranche.refresh_from_db()
        self.assertEqual(self.tranche.cancel_reason, "Dropped from the plan.")

    def test_the_payment_and_the_evidence_are_shown_with_the_tranche(self):
        services.tranche_release(actor=self.gary, tranche=self.tranche, **PAID)
        evidence_link = reverse("attachment-download", args=[self.evidence.pk])
        for name in ("alice", "victor", "olivia"):
            self.client.force_login(getattr(self, name))
            tab = self.client.get(self.award.get_absolute_url())
            self.assertContains(tab, "PV-2026-0001")
            self.assertContains(tab, evidence_link)
            self.assertContains(tab, reverse("tranche-evidence", args=[self.tranche.pk]))
            page = self.client.get(reverse("tranche-evidence", args=[self.tranche.pk]))
            self.assertContains(page, "6222 0200 1234 5678")
            self.assertContains(page, "workshop-photos.pdf")
        self.client.force_login(self.charlie)
        page = self.client.get(reverse("tranche-evidence", args=[self.tranche.pk]))
        self.assertEqual(page.status_code, 404)

    def test_the_award_tab_links_to_the_confirmation_pages_not_one_click_buttons(self):
        self.client.force_login(self.gary)
        tab = self.client.get(self.award.get_absolute_url())
        self.assertContains(tab, f'href="{self.release_url()}"')
        self.assertContains(tab, f'href="{self.cancel_url()}"')
        self.assertNotContains(tab, f'action="{self.release_url()}"')


class TestAwardTabQueries(ReleaseCase):
    def test_the_award_tab_runs_the_same_queries_for_1_and_10_tranches_and_reports(self):
        def add(count):
            for _ in range(count):
                tranche = services.tranche_plan(
                    actor=self.olivia,
                    award=self.award,
                    amount=Decimal("100"),
                    due_date="2026-01-01",
                    milestone="Lab built",
                )
                attach_evidence(tranche, self.bob)
                services.tranche_release(actor=self.gary, tranche=tranche, **PAID)
                services.report_schedule(
                    actor=self.olivia,
                    award=self.award,
                    due_date="2027-01-01",
                    period_start="2026-01-01",
                    period_end="2026-06-30",
                )

        add(1)
        for name in ("gary", "alice"):
            with self.subTest(name):
                self.client.force_login(getattr(self, name))
                assert_constant_queries(
                    self,
                    lambda: self.client.get(self.award.get_absolute_url()),
                    add,
                    rows=10,
                )


class TestPaymentApi(permissions.ApiPermissionCases):
    """Payments are read-only: the awardee's members and government read them."""

    basename = "payment"
    creator_name = None
    can_update = False

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rita = member(cls.bureau, Role.STAFF, "rita")

    def make_record(self):
        award = approved_award(self)
        tranche = services.tranche_plan(
            actor=self.gary, award=award, amount=Decimal("1000"), due_date="2026-01-01"
        )
        services.tranche_release(actor=self.gary, tranche=tranche, **PAID)
        return tranche.payment

    def test_no_one_writes_payments(self):
        self.as_user("gary")
        self.assertEqual(self.client.post(self.list_url(), {}).status_code, 405)
        self.assertEqual(self.client.delete(self.detail_url()).status_code, 405)

    def test_filters_by_program_award_and_dates(self):
        other = approved_award(self, requested="2000.00")
        tranche = services.tranche_plan(
            actor=self.gary, award=other, amount=Decimal("2000"), due_date="2026-01-01"
        )
        earlier = timezone.localdate() - timedelta(days=30)
        services.tranche_release(actor=self.gary, tranche=tranche, paid_on=earlier, **PAID)
        self.as_user("olivia")

        def ids(**query):
            response = self.client.get(self.list_url(), query)
            self.assertEqual(response.status_code, 200, response.content)
            return {row["id"] for row in response.json()["results"]}

        mine, theirs = self.record.pk, tranche.payment.pk
        self.assertEqual(ids(), {mine, theirs})
        self.assertEqual(ids(award=other.pk), {theirs})
        self.assertEqual(ids(program=self.record.tranche.award.program_id), {mine})
        self.assertEqual(ids(paid_before=(earlier + timedelta(days=1)).isoformat()), {theirs})
        self.assertEqual(ids(paid_after=(earlier + timedelta(days=1)).isoformat()), {mine})
        self.assertEqual(self.client.get(self.list_url(), {"award": "x"}).status_code, 400)
        body = self.client.get(self.detail_url()).json()
        self.assertEqual(
            (body["amount"], body["voucher_number"], body["award"]),
            ("1000.00", "PV-2026-0001", self.record.tranche.award_id),
        )

    def test_the_tranche_shows_its_payment_and_links_its_evidence(self):
        self.as_user("alice")
        tranche = self.client.get(
            reverse("api:tranche-detail", args=[self.record.tranche_id])
        ).json()
        self.assertEqual(tranche["payment"]["voucher_number"], "PV-2026-0001")
        self.assertTrue(
            tranche["evidence"].endswith(f"?record=funding.tranche:{self.record.tranche_id}")
        )
        self.assertEqual(self.client.get(tranche["evidence"]).status_code, 200)


class TestReleaseApi(ReleaseCase):
    def setUp(self):
        super().setUp()
        self.api = APIClient()
        self.url = reverse("api:tranche-release", args=[self.tranche.pk])

    def test_release_takes_the_payment_details(self):
        self.api.force_authenticate(self.gary)
        self.assertEqual(self.api.post(self.url, {}).status_code, 400)
        response = self.api.post(self.url, {"voucher_number": "V" * 65, "payee_account": "1"})
        self.assertEqual(set(response.json()), {"voucher_number"})
        response = self.api.post(self.url, {**PAID, "paid_on": "2999-01-01"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("paid_on", response.json())
        self.assertFalse(Payment.objects.exists())
        response = self.api.post(self.url, {**PAID, "paid_on": "2026-01-02"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["payment"]["paid_on"], "2026-01-02")

    def test_cancel_takes_a_reason(self):
        self.api.force_authenticate(self.gary)
        url = reverse("api:tranche-cancel", args=[self.tranche.pk])
        self.assertEqual(self.api.post(url, {}).status_code, 400)
        self.assertEqual(self.api.post(url, {"reason": "x" * 256}).status_code, 400)
        response = self.api.post(url, {"reason": "Replanned."})
        self.assertEqual(response.json()["cancel_reason"], "Replanned.")


class TestPaymentListPage(FundingCase):
    def released(self, award, amount="1000"):
        tranche = services.tranche_plan(
            actor=self.gary, award=award, amount=Decimal(amount), due_date="2026-01-01"
        )
        services.tranche_release(actor=self.gary, tranche=tranche, **PAID)
        return tranche

    def test_who_sees_which_payments(self):
        self.released(approved_award(self))
        url = reverse("fund-payment-list")
        self.client.logout()
        self.assertTrue(self.client.get(url)["Location"].startswith(reverse("login")))
        self.client.force_login(self.charlie)
        self.assertNotContains(self.client.get(url), "PV-2026-0001")
        for name in ("victor", "alice", "olivia", "gary"):
            self.client.force_login(getattr(self, name))
            self.assertContains(self.client.get(url), "PV-2026-0001")

    def test_finance_exports_the_payments(self):
        tranche = self.released(approved_award(self), amount="1234.5")
        self.client.force_login(self.olivia)
        response = self.client.get(
            reverse("fund-payment-list"),
            {"export": "csv", "program": tranche.award.program_id},
        )
        text = response.content.decode("utf-8-sig")
        header, row = text.splitlines()[:2]
        self.assertTrue(header.startswith("paid_on,reference,program,payee,amount,voucher_number"))
        self.assertIn("1234.50", row)
        self.assertIn("PV-2026-0001", row)

    def add_payments(self, program):
        def add(count):
            # Rows made directly: only their number matters here.
            for _ in range(count):
                application = make_application(
                    program, OrganizationFactory(), amount="1000.00", status="approved"
                )
                award = Award.objects.create(
                    application=application,
                    program=program,
                    amount=Decimal("1000"),
                    tranched=Decimal("1000"),
                    released=Decimal("1000"),
                )
                tranche = Tranche.objects.create(
                    award=award,
                    amount=Decimal("1000"),
                    due_date="2026-01-01",
                    status=TrancheStatus.RELEASED,
                )
                Payment.objects.create(
                    tranche=tranche, amount=Decimal("1000"), paid_on="2026-01-02", **PAID
                )

        return add

    def test_the_page_runs_the_same_queries_for_1_and_25(self):
        program = make_program(self.bureau, budget="10000000.00")
        self.released(approved_award(self, program=program))
        self.client.force_login(self.olivia)
        assert_constant_queries(
            self,
            lambda: self.client.get(reverse("fund-payment-list")),
            self.add_payments(program),
            rows=25,
        )

    def test_the_api_runs_the_same_queries_for_1_and_50(self):
        program = make_program(self.bureau, budget="10000000.00")
        self.released(approved_award(self, program=program))
        self.client.force_login(self.olivia)  # government: all 50
        assert_constant_queries(
            self,
            lambda: self.client.get(reverse("api:payment-list"), {"page_size": 200}),
            self.add_payments(program),
        )


@requires_row_locks
class TestReleaseRaces(TransactionTestCase):
    def setUp(self):
        self.bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        self.gary = member(self.bureau, Role.ADMIN, "gary")
        self.gina = member(self.bureau, Role.ADMIN, "gina")
        self.reviewers = [member(self.bureau, Role.STAFF, f"reviewer{i}") for i in range(2)]

    def test_two_releases_of_one_tranche_pay_it_once(self):
        program = make_program(self.bureau, budget="1000000.00")
        application = make_application(
            program, OrganizationFactory(), amount="100000.00", status="under_review"
        )
        make_reviews(application, *self.reviewers)
        award = services.application_approve(
            actor=self.gary, application=application, amount=Decimal("100000")
        )
        for _ in range(5):
            tranche = services.tranche_plan(
                actor=self.gary, award=award, amount=Decimal("10000"), due_date="2026-01-01"
            )
            results = run_concurrently(
                lambda t=tranche: services.tranche_release(actor=self.gary, tranche=t, **PAID),
                lambda t=tranche: services.tranche_release(
                    actor=self.gina, tranche=t, voucher_number="PV-2", payee_account="6222"
                ),
            )
            self.assertEqual(sum(isinstance(r, Tranche) for r in results), 1, results)
            self.assertEqual(sum(isinstance(r, InvalidTransition) for r in results), 1, results)
            self.assertEqual(Payment.objects.filter(tranche=tranche).count(), 1)
        award.refresh_from_db()
        program.refresh_from_db()
        paid = sum(p.amount for p in Payment.objects.filter(tranche__award=award))
        self.assertEqual((award.released, program.released), (paid, paid))
        self.assertEqual(paid, Decimal("50000.00"))
        self.assertEqual(
            program.released, sum(a.released for a in Award.objects.filter(program=program))
        )
        self.assertEqual(FundProgram.objects.get(pk=program.pk).committed, Decimal("100000.00"))
