"""The shared permission tests for every endpoint and page of partnerships."""

from django.urls import reverse

from accounts.models import OrganizationKind
from partnerships.models import Clause, ClauseCategory, ClauseKind, Partnership, PartnershipMember
from tests.factories import OrganizationFactory, make_agreement
from tests.helpers import permissions


def make_partnership(lead, *members):
    partnership = Partnership.objects.create(
        name="Industry college", kind="industry_college", lead=lead
    )
    PartnershipMember.objects.create(partnership=partnership, organization=lead, role="Lead")
    for organization in members:
        PartnershipMember.objects.create(partnership=partnership, organization=organization)
    return partnership


class TestPartnershipApi(permissions.ApiPermissionCases):
    basename = "partnership"

    def make_record(self):
        self.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        return make_partnership(self.college, self.enterprise)

    def create_data(self):
        return {
            "name": "Joint R&D centre",
            "kind": "joint_rd_centre",
            "lead": self.college.pk,
            "members": [{"organization": self.enterprise.pk, "role": "Research partner"}],
        }

    def update_data(self):
        return {"description": "Shared curriculum and placements."}

    def test_members_are_written_through_the_api(self):
        self.as_user("alice")
        response = self.client.post(self.list_url(), self.create_data(), format="json")
        self.assertEqual(response.status_code, 201, response.content)
        roles = {m["organization_name"]: m["role"] for m in response.json()["members"]}
        self.assertEqual(roles, {"Riverside College": "", "Huaxin": "Research partner"})

    def test_status_moves_through_patch_and_illegal_moves_answer_409(self):
        self.as_user("alice")
        self.assertEqual(
            self.client.patch(self.detail_url(), {"status": "active"}).json()["status"], "active"
        )
        response = self.client.patch(self.detail_url(), {"status": "proposed"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "invalid_transition")

    def test_a_member_organization_sees_it_but_only_the_lead_changes_it(self):
        self.as_user("alice")
        enterprise_admin = self._enterprise_admin()
        self.client.force_authenticate(enterprise_admin)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
        self.assertEqual(self.client.patch(self.detail_url(), self.update_data()).status_code, 403)

    def _enterprise_admin(self):
        from tests.factories import member

        return member(self.enterprise, "admin", "hua")


class TestAgreementApi(permissions.ApiPermissionCases):
    basename = "agreement"

    def make_record(self):
        self.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        return make_agreement(self.college, self.enterprise)

    def create_data(self):
        return {
            "title": "Internship agreement",
            "kind": "internship",
            "effective_date": "2027-03-01",
            "expiry_date": "2027-08-31",
            "parties": [
                {"organization": self.college.pk, "role": "Party A"},
                {"organization": self.enterprise.pk, "role": "Host enterprise"},
            ],
        }

    def update_data(self):
        return {"summary": "Sixteen weeks of placements."}

    def test_an_organization_cannot_draft_an_agreement_it_is_not_party_to(self):
        self.as_user("charlie")
        response = self.client.post(self.list_url(), self.create_data(), format="json")
        self.assertEqual(response.status_code, 403)

    def test_one_party_is_not_an_agreement(self):
        self.as_user("alice")
        data = {**self.create_data(), "parties": [{"organization": self.college.pk}]}
        response = self.client.post(self.list_url(), data, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("parties", response.json())

    def test_dates_out_of_order_are_a_field_error(self):
        self.as_user("alice")
        data = {**self.create_data(), "expiry_date": "2027-01-01"}
        response = self.client.post(self.list_url(), data, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("expiry_date", response.json())

    def test_a_reference_number_is_generated(self):
        self.as_user("alice")
        response = self.client.post(self.list_url(), self.create_data(), format="json")
        self.assertRegex(response.json()["reference"], r"^AGR-\d{4}-\d{5}$")


class TestClauseApi(permissions.ApiPermissionCases):
    basename = "clause"
    can_delete = True

    def make_record(self):
        self.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        self.agreement = make_agreement(self.college, self.enterprise)
        return self.agreement.clauses.first()

    def create_data(self):
        return {
            "agreement": self.agreement.pk,
            "party": self.enterprise.pk,
            "kind": ClauseKind.RESPONSIBILITY,
            "category": ClauseCategory.SAFETY_INSURANCE,
            "text": "Insure every intern.",
            "due_date": "2027-03-01",
        }

    def update_data(self):
        return {"text": "Provide 40 placements a year."}

    def test_a_clause_of_an_organization_that_is_no_party_is_refused(self):
        self.as_user("alice")
        response = self.client.post(
            self.list_url(), {**self.create_data(), "party": self.other_college.pk}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("party", response.json())

    def test_a_clause_on_an_agreement_you_cannot_see_reads_like_one_that_does_not_exist(self):
        self.as_user("charlie")
        hidden = self.client.post(self.list_url(), self.create_data())
        missing = self.client.post(self.list_url(), {**self.create_data(), "agreement": 10**9})
        self.assertEqual(hidden.status_code, 400)
        self.assertEqual(hidden.json()["agreement"], missing.json()["agreement"])


class TestPartnershipPages(permissions.PagePermissionCases):
    list_url_name = "partnership-list"
    detail_url_name = "partnership-detail"
    edit_url_name = "partnership-edit"

    def make_record(self):
        return make_partnership(self.college)

    def edit_data(self):
        return {"name": "Industry college", "kind": "industry_college", "description": "Renamed"}


class TestAgreementPages(permissions.PagePermissionCases):
    list_url_name = "agreement-list"
    detail_url_name = "agreement-detail"
    edit_url_name = "agreement-edit"

    def make_record(self):
        self.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        return make_agreement(self.college, self.enterprise)

    def edit_data(self):
        return {
            "title": "Framework agreement",
            "kind": "framework",
            "effective_date": self.record.effective_date.isoformat(),
            "expiry_date": self.record.expiry_date.isoformat(),
            "legal_basis": "Vocational Education Law",
            "summary": "",
        }

    def test_the_clause_list_hides_other_organizations_clauses(self):
        self.client.force_login(self.charlie)
        response = self.client.get(reverse("clause-list"))
        self.assertNotContains(response, self.record.reference)
        self.client.force_login(self.victor)
        self.assertContains(self.client.get(reverse("clause-list")), self.record.reference)

    def test_clause_pages_follow_the_agreement(self):
        clause = Clause.objects.filter(agreement=self.record).first()
        edit = reverse("clause-edit", args=[clause.pk])
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(edit).status_code, 404)
        self.client.force_login(self.victor)
        self.assertEqual(self.client.get(edit).status_code, 403)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(edit).status_code, 200)
