"""Pages: drafting a tripartite agreement, clauses with errors next to the field, lists
with filters and CSV, the cooperation tab, and query counts."""

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from partnerships.models import Agreement, AgreementStatus, Clause, Partnership
from tests.factories import OrganizationFactory, make_agreement, member
from tests.helpers.queries import assert_constant_queries
from tests.people import People


class PartnershipsPageCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.enterprise, Role.ADMIN, "hua")


class TestDrafting(PartnershipsPageCase):
    def test_a_college_admin_drafts_a_tripartite_agreement_and_adds_clauses(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("agreement-create"),
            {
                "title": "Tripartite framework",
                "kind": "framework",
                "effective_date": "2027-01-01",
                "expiry_date": "2029-12-31",
                "legal_basis": "Vocational Education Law",
                "own_party": self.college.pk,
                "own_role": "Party A",
                "other_parties": [self.enterprise.pk, self.bureau.pk],
            },
        )
        agreement = Agreement.objects.get(title="Tripartite framework")
        self.assertRedirects(response, agreement.get_absolute_url())
        self.assertEqual(agreement.parties.count(), 3)
        party = agreement.parties.get(organization=self.enterprise)
        response = self.client.post(
            reverse("agreement-clause-add", args=[agreement.pk]),
            {
                "clause-party": party.pk,
                "clause-kind": "responsibility",
                "clause-category": "talent_training",
                "clause-text": "Host 40 students a year.",
                "clause-due_date": "2027-03-01",
            },
        )
        self.assertEqual(response.status_code, 302)
        page = self.client.get(agreement.get_absolute_url())
        self.assertContains(page, "Host 40 students a year.")
        self.assertContains(page, 'data-testid="clause-matrix"')

    def test_a_clause_without_text_shows_the_error_next_to_the_field(self):
        agreement = make_agreement(self.college, self.enterprise)
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("agreement-clause-add", args=[agreement.pk]),
            {
                "clause-party": agreement.parties.first().pk,
                "clause-kind": "right",
                "clause-category": "other",
            },
        )
        self.assertContains(response, 'id="id_clause-text_errors"', status_code=400)

    def test_expiry_before_effective_is_refused_next_to_the_field(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("agreement-create"),
            {
                "title": "X",
                "kind": "framework",
                "effective_date": "2027-01-01",
                "expiry_date": "2026-01-01",
                "own_party": self.college.pk,
                "other_parties": [self.enterprise.pk],
            },
        )
        self.assertContains(response, 'id="id_expiry_date_errors"')
        self.assertFalse(Agreement.objects.exists())

    def test_signing_and_an_illegal_step_through_the_pages(self):
        agreement = make_agreement(
            self.college, self.enterprise, status=AgreementStatus.NEGOTIATING, signed=False
        )
        self.client.force_login(self.alice)
        self.assertContains(
            self.client.get(agreement.get_absolute_url()), "Sign for Riverside College"
        )
        self.client.post(reverse("agreement-sign", args=[agreement.pk]), {"place": "Hangzhou"})
        self.client.force_login(self.hua)
        self.client.post(reverse("agreement-sign", args=[agreement.pk]), {"place": "Hangzhou"})
        agreement.refresh_from_db()
        self.assertEqual(agreement.status, AgreementStatus.SIGNED)
        response = self.client.post(reverse("agreement-send", args=[agreement.pk]), follow=True)
        self.assertContains(response, "cannot move from")

    def test_a_partnership_is_created_with_members(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("partnership-create"),
            {
                "name": "Industry college",
                "kind": "industry_college",
                "lead": self.college.pk,
                "members": [self.enterprise.pk],
            },
        )
        self.assertEqual(response.status_code, 302)
        partnership = Partnership.objects.get(name="Industry college")
        self.assertEqual(
            set(partnership.members.values_list("organization", flat=True)),
            {self.college.pk, self.enterprise.pk},
        )
        self.client.force_login(self.hua)
        self.assertContains(self.client.get(response["Location"]), "Riverside College")


class TestListsAndExports(PartnershipsPageCase):
    def test_agreement_filters_and_csv(self):
        make_agreement(self.college, self.enterprise, status="active", title="Active one")
        make_agreement(self.college, self.bureau, status="draft", title="Draft one")
        self.client.force_login(self.alice)
        response = self.client.get(reverse("agreement-list"), {"status": "active"})
        self.assertContains(response, "Active one")
        self.assertNotContains(response, "Draft one")
        response = self.client.get(
            reverse("agreement-list"), {"party": self.bureau.pk, "export": "csv"}
        )
        text = response.content.decode("utf-8-sig")
        self.assertIn("Draft one", text)
        self.assertIn("Riverside College; Education Bureau", text)
        self.assertNotIn("Active one", text)

    def test_overdue_clause_filter(self):
        agreement = make_agreement(self.college, self.enterprise, status="active", effective_in=-30)
        late = agreement.clauses.get(party__organization=self.enterprise)
        Clause.objects.filter(pk=late.pk).update(
            due_date=timezone.localdate() - timezone.timedelta(days=2)
        )
        self.client.force_login(self.alice)
        response = self.client.get(reverse("clause-list"), {"overdue": "true"})
        self.assertContains(response, "Responsibility 1 of Huaxin")
        self.assertNotContains(response, "Responsibility 1 of Riverside College")

    def test_the_cooperation_tab_lists_what_the_organization_is_party_to(self):
        make_agreement(self.college, self.enterprise, title="Shared agreement")
        make_agreement(self.other_college, self.enterprise, title="Someone else's")
        self.client.force_login(self.alice)
        response = self.client.get(
            reverse("organization-detail", args=[self.college.pk]) + "?tab=cooperation"
        )
        self.assertContains(response, "Shared agreement")
        self.assertNotContains(response, "Someone else")

    def test_search_finds_agreements_by_reference(self):
        agreement = make_agreement(self.college, self.enterprise, title="Sensor research")
        self.client.force_login(self.alice)
        self.assertContains(
            self.client.get(reverse("search"), {"q": agreement.reference}), "Sensor research"
        )
        self.client.force_login(self.charlie)
        self.assertNotContains(
            self.client.get(reverse("search"), {"q": agreement.reference}), "Sensor research"
        )

    def test_the_dashboard_lists_agreements_to_sign(self):
        agreement = make_agreement(
            self.college, self.enterprise, status="negotiating", signed=False
        )
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("home")), f"Sign {agreement.reference}")
        self.client.force_login(self.bob)  # staff do not sign
        self.assertNotContains(self.client.get(reverse("home")), f"Sign {agreement.reference}")


class TestQueryCounts(PartnershipsPageCase):
    def add_agreements(self, count):
        for _ in range(count):
            make_agreement(
                self.college, self.enterprise, self.bureau, status="negotiating", signed=False
            )

    def test_the_agreement_list_page_and_endpoint(self):
        self.add_agreements(1)
        self.client.force_login(self.alice)
        assert_constant_queries(
            self, lambda: self.client.get(reverse("agreement-list")), self.add_agreements, rows=25
        )
        assert_constant_queries(
            self,
            lambda: self.client.get(reverse("api:agreement-list"), {"page_size": 200}),
            self.add_agreements,
        )

    def test_the_agreement_page_with_many_parties_and_clauses(self):
        agreement = make_agreement(self.college, self.enterprise, status="active", clauses=1)
        self.client.force_login(self.alice)

        def add_parties_and_clauses(count):
            from partnerships.models import AgreementParty, ClauseCategory, ClauseKind

            for _ in range(count):
                party = AgreementParty.objects.create(
                    agreement=agreement, organization=OrganizationFactory()
                )
                Clause.objects.create(
                    agreement=agreement,
                    party=party,
                    kind=ClauseKind.RIGHT,
                    category=ClauseCategory.OTHER,
                    text="A right",
                )

        assert_constant_queries(
            self, lambda: self.client.get(agreement.get_absolute_url()), add_parties_and_clauses
        )

    def test_the_clause_endpoint(self):
        agreement = make_agreement(self.college, self.enterprise, status="active", clauses=1)
        self.client.force_login(self.alice)

        def add_clauses(count):
            for clause in [agreement.clauses.first()] * count:
                clause.pk = None
                clause.save()

        assert_constant_queries(
            self,
            lambda: self.client.get(reverse("api:clause-list"), {"page_size": 200}),
            add_clauses,
        )


class TestPartnershipMembers(PartnershipsPageCase):
    def test_the_lead_sets_a_members_role_and_others_cannot(self):
        from tests.partnerships.test_permissions import make_partnership

        partnership = make_partnership(self.college, self.enterprise)
        member = partnership.members.get(organization=self.enterprise)
        url = reverse("partnership-member-role", args=[member.pk])
        self.client.force_login(self.hua)  # a member, not the lead
        self.assertEqual(self.client.post(url, {"role": "Trainers"}).status_code, 403)
        self.client.force_login(self.bob)
        self.client.post(url, {"role": "Provides trainers and a workshop"})
        member.refresh_from_db()
        self.assertEqual(member.role, "Provides trainers and a workshop")
