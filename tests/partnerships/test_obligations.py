"""Our obligations: what the reader's organizations owe under signed and active
agreements only, overdue first then by due date, filtered by status and by agreement
(a picker over the agreements the reader may pick); on the home page for those who owe.
And the partnership page's funding, told truthfully to a member who is not the
applicant."""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from partnerships import services
from partnerships.models import Clause, ClauseKind, ClauseStatus
from tests.factories import (
    OrganizationFactory,
    make_agreement,
    make_application,
    make_program,
    member,
)
from tests.helpers.queries import assert_constant_queries
from tests.people import People

URL = reverse("obligation-list")


class ObligationCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.enterprise, Role.ADMIN, "hua")
        cls.han = member(cls.enterprise, Role.STAFF, "han")
        cls.vera = member(cls.enterprise, Role.VIEWER, "vera")

    def owed(self, status="active", *, due_in=30, title="Framework agreement", **kwargs):
        """Huaxin's responsibility under an agreement with the college."""
        agreement = make_agreement(
            self.college, self.enterprise, status=status, title=title, effective_in=-30, **kwargs
        )
        clause = agreement.clauses.get(party__organization=self.enterprise)
        due = timezone.localdate() + timedelta(days=due_in) if due_in is not None else None
        Clause.objects.filter(pk=clause.pk).update(due_date=due)
        return Clause.objects.get(pk=clause.pk)

    def listed(self, user, **query):
        self.client.force_login(user)
        response = self.client.get(URL, query)
        self.assertEqual(response.status_code, 200)
        return [clause.pk for clause in response.context["clauses"]]


class TestWhatIsListed(ObligationCase):
    def test_only_our_responsibilities_under_signed_and_active_agreements(self):
        active = self.owed("active")
        signed = self.owed("signed")
        for status in ("draft", "negotiating", "expired", "terminated"):
            self.owed(status)
        right = self.owed("active")
        Clause.objects.filter(pk=right.pk).update(kind=ClauseKind.RIGHT)
        self.assertEqual(sorted(self.listed(self.han)), sorted([active.pk, signed.pk]))
        # The college's own responsibilities are the college's obligations, not Huaxin's.
        college_owes = Clause.objects.filter(
            agreement=active.agreement, party__organization=self.college
        ).values_list("pk", flat=True)
        self.assertEqual(set(self.listed(self.bob)) & {active.pk, signed.pk}, set())
        self.assertIn(college_owes[0], self.listed(self.bob))

    def test_overdue_first_then_by_due_date_undated_last(self):
        later = self.owed(due_in=40)
        undated = self.owed(due_in=None)
        soon = self.owed(due_in=3)
        overdue_recent = self.owed(due_in=-2)
        overdue_long = self.owed(due_in=-50)
        claimed_past = self.owed(due_in=-60)  # awaiting confirmation: not overdue
        Clause.objects.filter(pk=claimed_past.pk).update(status=ClauseStatus.CLAIMED)
        self.assertEqual(
            self.listed(self.han),
            [overdue_long.pk, overdue_recent.pk, claimed_past.pk, soon.pk, later.pk, undated.pk],
        )

    def test_filters_by_status_agreement_and_overdue(self):
        first = self.owed(title="First agreement")
        second = self.owed(title="Second agreement", due_in=-1)
        claimed = self.owed(title="Third agreement")
        done = self.owed(title="Fourth agreement")
        Clause.objects.filter(pk=claimed.pk).update(status=ClauseStatus.CLAIMED)
        Clause.objects.filter(pk=done.pk).update(status=ClauseStatus.FULFILLED)
        self.assertEqual(
            sorted(self.listed(self.han, status="outstanding")),
            sorted([first.pk, second.pk, claimed.pk]),
        )
        self.assertEqual(self.listed(self.han, status="claimed"), [claimed.pk])
        self.assertEqual(self.listed(self.han, status="fulfilled"), [done.pk])
        self.assertEqual(self.listed(self.han, agreement=first.agreement_id), [first.pk])
        self.assertEqual(self.listed(self.han, overdue="true"), [second.pk])
        self.client.force_login(self.han)
        response = self.client.get(URL, {"agreement": "99999999999999999999999"})
        self.assertEqual(response.status_code, 200)

    def test_the_agreement_picker_offers_our_binding_agreements_only(self):
        ours = self.owed(title="Binding agreement")
        draft = self.owed("draft", title="Draft agreement")
        hidden = make_agreement(self.other_college, self.enterprise, status="active", title="X")
        self.client.force_login(self.han)
        page = self.client.get(URL)
        self.assertContains(page, 'data-picker="agreement"')
        self.assertContains(page, "partnerships/picker.js")
        self.assertContains(page, f'<option value="{ours.agreement_id}">')
        self.assertNotContains(page, f'<option value="{draft.agreement_id}">')
        self.assertContains(page, f'<option value="{hidden.pk}">')  # Huaxin is a party
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(URL), f'<option value="{hidden.pk}">')

    def test_the_clause_list_filter_is_a_picker_over_visible_agreements(self):
        ours = self.owed()
        hidden = make_agreement(self.other_college, self.enterprise, title="Elsewhere")
        self.client.force_login(self.bob)
        page = self.client.get(reverse("clause-list"))
        self.assertContains(page, 'data-picker="agreement"')
        self.assertContains(page, f'<option value="{ours.agreement_id}">')
        self.assertNotContains(page, f'<option value="{hidden.pk}">')
        response = self.client.get(reverse("clause-list"), {"agreement": ours.agreement_id})
        self.assertEqual({c.agreement_id for c in response.context["clauses"]}, {ours.agreement_id})

    def test_csv_export(self):
        clause = self.owed()
        self.client.force_login(self.han)
        text = self.client.get(URL, {"export": "csv"}).content.decode("utf-8-sig")
        self.assertIn("owed_to", text.splitlines()[0])
        self.assertIn(clause.agreement.reference, text)
        self.assertIn("Riverside College", text)


class TestPermissions(ObligationCase):
    def test_anonymous_visitors_are_sent_to_login(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_another_organization_sees_none_of_ours(self):
        clause = self.owed()
        self.assertEqual(self.listed(self.charlie), [])
        self.client.force_login(self.charlie)
        self.assertNotContains(self.client.get(URL), clause.agreement.reference)

    def test_a_viewer_reads_what_is_owed_but_is_offered_no_step(self):
        clause = self.owed()
        self.assertEqual(self.listed(self.vera), [clause.pk])
        self.assertNotContains(self.client.get(URL), reverse("clause-fulfil", args=[clause.pk]))

    def test_a_member_is_offered_to_mark_it_fulfilled(self):
        clause = self.owed()
        self.assertEqual(self.listed(self.han), [clause.pk])
        self.assertContains(self.client.get(URL), reverse("clause-fulfil", args=[clause.pk]))

    def test_government_sees_only_what_its_own_department_owes(self):
        self.owed()
        self.assertEqual(self.listed(self.olivia), [])


class TestQueryCount(ObligationCase):
    def test_the_same_for_one_row_and_for_fifty(self):
        def add(count):
            for _ in range(count):
                self.owed(due_in=-1)

        add(1)
        self.client.force_login(self.han)
        # 50 rows: two pages of 25, so the page and the count under it are both full.
        assert_constant_queries(self, lambda: self.client.get(URL), add, rows=50)


class TestDashboard(ObligationCase):
    def test_those_who_owe_see_a_figure_those_who_do_not_see_none(self):
        self.owed()
        self.owed("draft")
        self.client.force_login(self.han)
        figures = {f.label: f for f in self.client.get(reverse("home")).context["figures"]}
        self.assertEqual(figures["Our outstanding obligations"].value, 1)
        self.assertEqual(figures["Our outstanding obligations"].url, f"{URL}?status=outstanding")
        self.client.force_login(self.charlie)
        figures = {f.label for f in self.client.get(reverse("home")).context["figures"]}
        self.assertNotIn("Our outstanding obligations", figures)

    def test_a_fulfilment_to_confirm_waits_on_those_it_is_owed_to(self):
        clause = self.owed()
        services.clause_fulfil(actor=self.han, clause=clause, evidence="Register of placements")
        self.client.force_login(self.bob)
        waiting = self.client.get(reverse("home")).context["waiting"]
        labels = [item.label for item in waiting if item.category == "Fulfilment to confirm"]
        self.assertEqual(len(labels), 1)
        self.assertIn(clause.agreement.reference, labels[0])
        self.client.force_login(self.han)
        waiting = self.client.get(reverse("home")).context["waiting"]
        self.assertFalse([i for i in waiting if i.category == "Fulfilment to confirm"])

    def test_the_home_page_stays_constant(self):
        def add(count):
            for _ in range(count):
                clause = self.owed()
                Clause.objects.filter(
                    agreement=clause.agreement, party__organization=self.college
                ).update(status=ClauseStatus.CLAIMED)

        add(1)
        self.client.force_login(self.han)
        assert_constant_queries(self, lambda: self.client.get(reverse("home")), add, rows=10)


class TestPartnershipFunding(ObligationCase):
    def setUp(self):
        from tests.partnerships.test_permissions import make_partnership

        self.partnership = make_partnership(self.college, self.enterprise)
        program = make_program(self.bureau, max_open=10)
        self.applications = [
            make_application(program, self.college, status="submitted", title=f"Lab {n}")
            for n in range(2)
        ]
        self.draft = make_application(program, self.college, title="Draft lab")
        for application in [*self.applications, self.draft]:
            application.partnership = self.partnership
            application.save()

    def test_a_member_enterprise_is_told_they_exist_rather_than_none(self):
        self.client.force_login(self.hua)
        page = self.client.get(self.partnership.get_absolute_url())
        self.assertNotContains(page, "No fund applications for this partnership.")
        self.assertContains(page, 'data-testid="funding-elsewhere"')
        self.assertContains(
            page, "Riverside College has applied for funding for this partnership 2 times"
        )
        for application in self.applications:  # open to the applicant and government only
            self.assertNotContains(page, application.reference)

    def test_the_applicant_lists_its_own_drafts_included(self):
        self.client.force_login(self.alice)
        page = self.client.get(self.partnership.get_absolute_url())
        for application in [*self.applications, self.draft]:
            self.assertContains(page, application.reference)
        self.assertNotContains(page, 'data-testid="funding-elsewhere"')

    def test_government_lists_the_submitted_ones_not_the_draft(self):
        self.client.force_login(self.olivia)
        page = self.client.get(self.partnership.get_absolute_url())
        for application in self.applications:
            self.assertContains(page, application.reference)
        self.assertNotContains(page, self.draft.reference)
        self.assertNotContains(page, 'data-testid="funding-elsewhere"')

    def test_without_applications_the_page_says_so(self):
        from funding.models import FundApplication

        FundApplication.objects.filter(partnership=self.partnership).update(partnership=None)
        self.client.force_login(self.hua)
        page = self.client.get(self.partnership.get_absolute_url())
        self.assertContains(page, "No fund applications for this partnership.")
