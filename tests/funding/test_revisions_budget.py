"""An award below the request: the awardee revises the budget lines to the award, the
department accepts (the lines are replaced) or returns the revision, and no tranche is
released until it accepts — in the services, on the pages, through the API, and under
concurrent requests (PostgreSQL)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TransactionTestCase
from django.urls import reverse

from accounts.models import OrganizationKind, Role
from funding import services
from funding.models import (
    Award,
    BudgetLine,
    BudgetRevision,
    FundProgram,
    Payment,
    RevisionStatus,
    Tranche,
    TrancheStatus,
)
from portal.models import Notification
from portal.workflow import InvalidTransition
from tests.factories import (
    OrganizationFactory,
    make_application,
    make_program,
    make_reviews,
    member,
)
from tests.funding.payment_helpers import PAID, approved_award, release_form
from tests.funding.test_money import FundingCase
from tests.helpers import permissions
from tests.helpers.concurrency import requires_row_locks, run_concurrently

REVISED = [
    {"category": "equipment", "description": "Two robot arms, not three", "amount": "50000.00"},
    {"category": "training", "description": "Trainers", "amount": "30000.00"},
]


def lines_of(application) -> list[tuple[str, str, Decimal]]:
    return list(
        BudgetLine.objects.filter(application=application)
        .order_by("pk")
        .values_list("category", "description", "amount")
    )


def revision_post(lines, note="") -> dict:
    """The revision formset as the award tab posts it (no blank lines)."""
    data = {
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(len(lines)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "note": note,
    }
    for index, line in enumerate(lines):
        for key, value in line.items():
            data[f"lines-{index}-{key}"] = value
    return data


class TestReducedAwards(FundingCase):
    def test_only_an_award_below_the_request_needs_a_revision(self):
        reduced = approved_award(self, requested="100000.00", awarded="80000")
        full = approved_award(self, requested="60000.00")
        self.assertTrue(reduced.needs_budget_revision)
        self.assertFalse(full.needs_budget_revision)

    def test_lines_must_add_up_to_the_award_exactly(self):
        award = approved_award(self, awarded="80000")
        cases = [
            ([{**REVISED[0], "amount": "50000.01"}, REVISED[1]], "add up to 80000.01"),
            ([], "at least one"),
            ([{**REVISED[0], "category": "yachts"}, REVISED[1]], "choose a category"),
            ([{**REVISED[0], "description": "x" * 256}, REVISED[1]], "1 to 255"),
            ([{**REVISED[0], "amount": "-1"}, REVISED[1]], "positive amount"),
            ([{**REVISED[0], "amount": "1.001"}, REVISED[1]], "positive amount"),
            ([{**REVISED[0], "amount": "1"}] * 51, "at most 50"),
        ]
        for lines, message in cases:
            with self.subTest(message), self.assertRaisesMessage(ValidationError, message):
                services.budget_revision_propose(actor=self.alice, award=award, lines=lines)
        self.assertFalse(BudgetRevision.objects.exists())

    def test_the_awardee_proposes_one_at_a_time_and_others_do_not_propose(self):
        award = approved_award(self, awarded="80000")
        for outsider in (self.victor, self.charlie, self.olivia, self.gary):
            with self.subTest(outsider.username), self.assertRaises(PermissionDenied):
                services.budget_revision_propose(actor=outsider, award=award, lines=REVISED)
        services.budget_revision_propose(actor=self.bob, award=award, lines=REVISED, note="Less")
        with self.assertRaisesMessage(InvalidTransition, "already waiting"):
            services.budget_revision_propose(actor=self.alice, award=award, lines=REVISED)
        self.assertTrue(
            Notification.objects.filter(recipient=self.olivia, title__contains="budget").exists()
        )

    def test_an_award_in_full_needs_no_revision(self):
        award = approved_award(self)
        with self.assertRaisesMessage(InvalidTransition, "needs no revision"):
            services.budget_revision_propose(
                actor=self.alice,
                award=award,
                lines=[{"category": "other", "description": "All", "amount": "100000"}],
            )

    def test_accepting_replaces_the_lines_and_lets_money_be_released(self):
        award = approved_award(self, awarded="80000")
        tranche = services.tranche_plan(
            actor=self.olivia, award=award, amount=Decimal("20000"), due_date="2026-01-01"
        )
        with self.assertRaisesMessage(InvalidTransition, "revised to 80000.00"):
            services.tranche_release(actor=self.gary, tranche=tranche, **PAID)
        revision = services.budget_revision_propose(actor=self.alice, award=award, lines=REVISED)
        with self.assertRaises(InvalidTransition):  # still only proposed
            services.tranche_release(actor=self.gary, tranche=tranche, **PAID)
        with self.assertRaises(PermissionDenied):  # the awardee does not accept its own
            services.budget_revision_accept(actor=self.alice, revision=revision)
        services.budget_revision_accept(actor=self.olivia, revision=revision, comment="Fine.")
        self.assertEqual(
            lines_of(award.application),
            [
                ("equipment", "Two robot arms, not three", Decimal("50000.00")),
                ("training", "Trainers", Decimal("30000.00")),
            ],
        )
        award.refresh_from_db()
        revision.refresh_from_db()
        self.assertFalse(award.needs_budget_revision)
        self.assertEqual(
            (revision.status, revision.decided_by, revision.comment),
            (RevisionStatus.ACCEPTED, self.olivia, "Fine."),
        )
        self.assertTrue(
            Notification.objects.filter(recipient=self.alice, title__contains="accepted").exists()
        )
        services.tranche_release(actor=self.gary, tranche=tranche, **PAID)
        with self.assertRaises(InvalidTransition):  # accepted once, decided for good
            services.budget_revision_return(actor=self.olivia, revision=revision, comment="No")

    def test_a_returned_revision_needs_comments_and_may_be_followed_by_another(self):
        award = approved_award(self, awarded="80000")
        revision = services.budget_revision_propose(actor=self.alice, award=award, lines=REVISED)
        with self.assertRaisesMessage(ValidationError, "should change"):
            services.budget_revision_return(actor=self.olivia, revision=revision, comment=" ")
        services.budget_revision_return(
            actor=self.olivia, revision=revision, comment="Keep the trainers."
        )
        award.refresh_from_db()
        self.assertTrue(award.needs_budget_revision)
        self.assertEqual(len(lines_of(award.application)), 2)  # unchanged
        again = services.budget_revision_propose(actor=self.alice, award=award, lines=REVISED)
        self.assertEqual(again.status, RevisionStatus.PROPOSED)


class TestRevisionPages(FundingCase):
    def setUp(self):
        self.award = approved_award(self, awarded="80000")
        self.url = reverse("fund-budget-revision-propose", args=[self.award.pk])
        self.tab = self.award.get_absolute_url()

    def test_the_award_tab_offers_the_form_to_the_awardee_only(self):
        self.client.force_login(self.alice)
        page = self.client.get(self.tab)
        self.assertContains(page, "Revise the budget to the award")
        self.assertContains(page, 'name="lines-0-amount"')
        for name in ("victor", "olivia", "gary"):
            self.client.force_login(getattr(self, name))
            page = self.client.get(self.tab)
            self.assertContains(page, "no tranche is released until the department accepts")
            self.assertNotContains(page, 'name="lines-0-amount"')

    def test_who_opens_the_revision_page(self):
        self.client.logout()
        self.assertTrue(self.client.get(self.url)["Location"].startswith(reverse("login")))
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.post(self.url, revision_post(REVISED)).status_code, 404)
        for name in ("victor", "olivia", "gary"):
            self.client.force_login(getattr(self, name))
            self.assertEqual(self.client.get(self.url).status_code, 403, name)
            self.assertEqual(self.client.post(self.url, revision_post(REVISED)).status_code, 403)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        self.assertFalse(BudgetRevision.objects.exists())

    def test_a_wrong_sum_is_shown_next_to_the_form(self):
        self.client.force_login(self.alice)
        wrong = [REVISED[0], {**REVISED[1], "amount": "40000.00"}]
        response = self.client.post(self.url, revision_post(wrong))
        self.assertContains(
            response, "add up to 90000.00, not the 80000.00 awarded", status_code=400
        )
        self.assertFalse(BudgetRevision.objects.exists())

    def test_propose_accept_through_the_pages(self):
        self.client.force_login(self.alice)
        response = self.client.post(self.url, revision_post(REVISED, note="Fewer arms"))
        self.assertRedirects(response, self.tab, fetch_redirect_response=False)
        revision = BudgetRevision.objects.get()
        page = self.client.get(self.tab)
        self.assertContains(page, "Two robot arms, not three")
        self.assertContains(page, 'data-status="proposed"')
        self.client.force_login(self.olivia)
        self.assertContains(self.client.get(self.tab), "Accept: replace the budget lines")
        response = self.client.post(
            reverse("fund-budget-revision-return", args=[revision.pk]), follow=True
        )
        self.assertContains(response, "should change")
        self.client.post(
            reverse("fund-budget-revision-accept", args=[revision.pk]),
            {f"revision-{revision.pk}-comment": "Agreed."},
        )
        revision.refresh_from_db()
        self.assertEqual(revision.status, RevisionStatus.ACCEPTED)
        self.assertEqual(lines_of(self.award.application)[0][1], "Two robot arms, not three")
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url).status_code, 403)  # nothing to revise now

    def test_the_decision_pages_refuse_others(self):
        revision = services.budget_revision_propose(
            actor=self.alice, award=self.award, lines=REVISED
        )
        accept = reverse("fund-budget-revision-accept", args=[revision.pk])
        give_back = reverse("fund-budget-revision-return", args=[revision.pk])
        for url in (accept, give_back):
            self.client.logout()
            self.assertTrue(self.client.post(url)["Location"].startswith(reverse("login")))
            self.client.force_login(self.charlie)
            self.assertEqual(self.client.post(url).status_code, 404)
        for name in ("victor", "alice"):
            self.client.force_login(getattr(self, name))
            self.assertEqual(self.client.post(accept).status_code, 403)
            response = self.client.post(give_back, {f"revision-{revision.pk}-comment": "No."})
            self.assertEqual(response.status_code, 403)
        revision.refresh_from_db()
        self.assertEqual(revision.status, RevisionStatus.PROPOSED)

    def test_the_release_page_refuses_until_the_revision_is_accepted(self):
        tranche = services.tranche_plan(
            actor=self.olivia, award=self.award, amount=Decimal("1000"), due_date="2026-01-01"
        )
        self.client.force_login(self.gary)
        self.assertNotContains(self.client.get(self.tab), "Release…")
        response = self.client.post(
            reverse("fund-tranche-release", args=[tranche.pk]), release_form(), follow=True
        )
        self.assertContains(response, "no money is released until the department accepts")
        tranche.refresh_from_db()
        self.assertEqual(tranche.status, TrancheStatus.PLANNED)
        self.assertFalse(Payment.objects.exists())


class TestBudgetRevisionApi(permissions.ApiPermissionCases):
    """The awardee proposes (POST); the department accepts or returns (actions)."""

    basename = "budget-revision"
    creator_name = "alice"
    can_update = False

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rita = member(cls.bureau, Role.STAFF, "rita")

    def make_record(self):
        award = approved_award(self, awarded="80000")
        return services.budget_revision_propose(actor=self.alice, award=award, lines=REVISED)

    def create_data(self):
        self.fresh = approved_award(self, awarded="80000")
        return {"award": self.fresh.pk, "lines": REVISED, "note": "Two arms"}

    def setUp(self):
        super().setUp()
        self.client.default_format = "json"  # lines are nested rows

    def post(self, url, data=None):
        return self.client.post(url, data or {}, format="json")

    def test_a_wrong_sum_is_400_and_lines_are_checked(self):
        self.as_user("alice")
        data = self.create_data()
        response = self.post(self.list_url(), {**data, "lines": REVISED[:1]})
        self.assertEqual(response.status_code, 400)
        self.assertIn("not the 80000.00 awarded", str(response.json()["lines"]))
        response = self.post(self.list_url(), {**data, "lines": [{"category": "equipment"}]})
        self.assertEqual(response.status_code, 400)
        response = self.post(self.list_url(), {**data, "lines": [REVISED[0]] * 51})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.post(self.list_url(), data).status_code, 201)
        self.assertEqual(self.post(self.list_url(), data).status_code, 409)  # one at a time

    def test_an_award_someone_cannot_see_is_a_field_error(self):
        self.as_user("charlie")
        response = self.post(self.list_url(), self.create_data())
        self.assertEqual(response.status_code, 400)
        self.assertIn("award", response.json())

    def test_accept_replaces_the_lines_and_release_waits_for_it(self):
        award = self.record.award
        tranche = services.tranche_plan(
            actor=self.olivia, award=award, amount=Decimal("5000"), due_date="2026-01-01"
        )
        release = reverse("api:tranche-release", args=[tranche.pk])
        self.as_user("gary")
        self.assertEqual(self.post(release, PAID).status_code, 409)
        accept = reverse("api:budget-revision-accept", args=[self.record.pk])
        for name, code in (("alice", 403), ("victor", 403), ("charlie", 404)):
            self.as_user(name)
            self.assertEqual(self.post(accept).status_code, code, name)
        self.as_user("olivia")
        detail = self.client.get(self.detail_url()).json()
        self.assertEqual(detail["actions"], ["accept", "return"])
        response = self.post(accept, {"comment": "Agreed."})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "accepted")
        self.assertEqual(self.post(accept).status_code, 409)
        self.assertEqual(
            [line[1] for line in lines_of(award.application)],
            ["Two robot arms, not three", "Trainers"],
        )
        self.as_user("gary")
        self.assertEqual(self.post(release, PAID).status_code, 200)
        award_body = self.client.get(reverse("api:award-detail", args=[award.pk])).json()
        self.assertFalse(award_body["needs_budget_revision"])

    def test_return_needs_comments(self):
        url = reverse("api:budget-revision-return", args=[self.record.pk])
        self.as_user("olivia")
        self.assertEqual(self.post(url).status_code, 400)
        response = self.post(url, {"comment": "Keep the trainers."})
        self.assertEqual(response.json()["status"], "returned")


@requires_row_locks
class TestRevisionRaces(TransactionTestCase):
    def setUp(self):
        self.bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        self.college = OrganizationFactory(kind=OrganizationKind.COLLEGE)
        self.gary = member(self.bureau, Role.ADMIN, "gary")
        self.olivia = member(self.bureau, Role.STAFF, "olivia")
        self.rita = member(self.bureau, Role.STAFF, "rita")
        self.alice = member(self.college, Role.ADMIN, "alice")

    def test_accepting_a_revision_while_a_tranche_is_released(self):
        """Either the release waits for the acceptance and pays, or it ran first and was
        refused: never a payment while the budget was still to revise, and the totals
        always match the payments."""
        program = make_program(self.bureau, budget="5000000.00")
        outcomes = set()
        for _ in range(6):
            application = make_application(
                program, OrganizationFactory(), amount="100000.00", status="under_review"
            )
            make_reviews(application, self.olivia, self.rita)
            award = services.application_approve(
                actor=self.gary, application=application, amount=Decimal("80000")
            )
            tranche = services.tranche_plan(
                actor=self.gary, award=award, amount=Decimal("20000"), due_date="2026-01-01"
            )
            revision = BudgetRevision.objects.create(
                award=award,
                lines=[{"category": "other", "description": "All", "amount": "80000.00"}],
            )
            accepted, released = run_concurrently(
                lambda r=revision: services.budget_revision_accept(actor=self.olivia, revision=r),
                lambda t=tranche: services.tranche_release(actor=self.gary, tranche=t, **PAID),
            )
            self.assertIsInstance(accepted, BudgetRevision, accepted)
            self.assertIsInstance(released, Tranche | InvalidTransition, released)
            outcomes.add(type(released).__name__)
            award.refresh_from_db()
            self.assertFalse(award.needs_budget_revision)
            paid = Payment.objects.filter(tranche__award=award)
            self.assertEqual(award.released, sum(p.amount for p in paid))
            self.assertEqual(paid.exists(), isinstance(released, Tranche))
        program.refresh_from_db()
        self.assertEqual(program.released, sum(p.amount for p in Payment.objects.all()))
        self.assertEqual(
            program.released, sum(a.released for a in Award.objects.filter(program=program))
        )
        self.assertTrue(outcomes)
        self.assertEqual(FundProgram.objects.get(pk=program.pk).released, program.released)
