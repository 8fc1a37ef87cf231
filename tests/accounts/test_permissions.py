"""The shared permission tests, applied to organizations and memberships."""

from django.urls import reverse

from accounts.models import Membership, OrganizationKind, Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.helpers import permissions
from tests.helpers.queries import assert_constant_queries


class TestOrganizationApi(permissions.ApiPermissionCases):
    basename = "organization"
    creator_name = "olivia"  # government staff register organizations

    def make_record(self):
        return self.college

    def create_data(self):
        return {
            "kind": OrganizationKind.ENTERPRISE,
            "name": "Huaxin Precision",
            "credit_code": "91350100M000100Y43",
            "region": "Fuzhou",
        }

    def update_data(self):
        return {"address": "18 Riverside Road"}

    def test_a_college_cannot_register_organizations(self):
        self.as_user("alice")
        response = self.client.post(self.list_url(), self.create_data())
        self.assertEqual(response.status_code, 403)

    def test_a_wrong_credit_code_is_a_field_error(self):
        self.as_user("olivia")
        data = {**self.create_data(), "credit_code": "91350100M000100Y44"}
        response = self.client.post(self.list_url(), data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("credit_code", response.json())

    def test_another_organization_gets_404_and_an_empty_list(self):
        # The directory rule: another organization reads the public profile (list and
        # detail); its history and any change still answer 404, as before.
        self.as_user("charlie")
        self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
        self.assertIn(self.record.pk, self.listed_ids())
        self.assertEqual(self.client.get(self.detail_url() + "history/").status_code, 404)
        response = self.client.patch(self.detail_url(), self.update_data())
        self.assertEqual(response.status_code, 404)

    def test_staff_cannot_edit_their_organization_only_admins_can(self):
        self.as_user("bob")
        self.assertEqual(self.client.patch(self.detail_url(), self.update_data()).status_code, 403)

    def test_the_list_runs_the_same_queries_for_one_and_fifty_rows(self):
        self.as_user("olivia")
        assert_constant_queries(
            self,
            lambda: self.client.get(self.list_url(), {"page_size": 200}),
            lambda n: OrganizationFactory.create_batch(n),
        )

    def test_updated_after_returns_only_recent_changes(self):
        self.as_user("olivia")
        self.college.address = "new"
        self.college.save()
        since = self.college.updated_at.isoformat()
        response = self.client.get(self.list_url(), {"updated_after": since})
        self.assertEqual([row["id"] for row in response.json()["results"]], [self.college.pk])


class TestMembershipApi(permissions.ApiPermissionCases):
    basename = "membership"
    can_delete = True

    def make_record(self):
        return Membership.objects.get(user=self.bob, organization=self.college)

    def create_data(self):
        newcomer = UserFactory(username="newcomer")
        return {"user": newcomer.username, "organization": self.college.pk, "role": Role.VIEWER}

    def update_data(self):
        return {"role": Role.VIEWER}

    def test_staff_cannot_manage_members(self):
        self.as_user("bob")
        response = self.client.patch(self.detail_url(), {"role": Role.ADMIN})
        self.assertEqual(response.status_code, 403)

    def test_delete_deactivates_rather_than_removes(self):
        self.as_user("alice")
        self.assertEqual(self.client.delete(self.detail_url()).status_code, 204)
        self.record.refresh_from_db()
        self.assertFalse(self.record.is_active)

    def test_the_list_runs_the_same_queries_for_one_and_fifty_rows(self):
        self.as_user("charlie")
        assert_constant_queries(
            self,
            lambda: self.client.get(self.list_url(), {"page_size": 200}),
            lambda n: MembershipFactory.create_batch(n, organization=self.other_college),
        )


class TestOrganizationPages(permissions.PagePermissionCases):
    list_url_name = "organization-list"
    detail_url_name = "organization-detail"
    edit_url_name = "organization-edit"

    def make_record(self):
        return self.college

    def edit_data(self):
        return {
            "name": "Riverside College",
            "credit_code": self.college.credit_code,
            "region": "Hangzhou",
            "industry": "Education",
            "address": "18 Riverside Road",
            "website": "",
        }

    def test_another_organization_gets_404_and_does_not_see_it_listed(self):
        # The directory rule: another organization opens the profile and finds it
        # listed; every other tab, and the edit page, still answer 404.
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
        for tab in ("cooperation", "members", "attachments", "history"):
            response = self.client.get(f"{self.detail_url()}?tab={tab}")
            self.assertEqual(response.status_code, 404, tab)
        self.assertEqual(self.client.get(self.edit_url()).status_code, 404)
        self.assertContains(self.client.get(reverse(self.list_url_name)), self.detail_url())

    def test_the_members_tab_shows_members_to_everyone_who_sees_the_organization(self):
        self.client.force_login(self.victor)
        response = self.client.get(self.detail_url() + "?tab=members")
        self.assertContains(response, "@alice")
        self.assertNotContains(response, "Send invitation")

    def test_the_list_page_runs_the_same_queries_for_one_and_fifty_rows(self):
        self.client.force_login(self.olivia)
        assert_constant_queries(
            self,
            lambda: self.client.get(reverse("organization-list")),
            lambda n: OrganizationFactory.create_batch(n),
            rows=25,  # one page
        )

    def test_government_registers_an_organization_through_the_form(self):
        self.client.force_login(self.olivia)
        response = self.client.post(
            reverse("organization-create"),
            {
                "kind": OrganizationKind.ENTERPRISE,
                "name": "Lanting Software",
                "credit_code": "91350100M000100Y43",
            },
        )
        self.assertEqual(response.status_code, 302)

    def test_a_bad_credit_code_is_shown_next_to_the_field(self):
        self.client.force_login(self.olivia)
        response = self.client.post(
            reverse("organization-create"),
            {"kind": OrganizationKind.ENTERPRISE, "name": "X", "credit_code": "123"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="id_credit_code_errors"')
        self.assertContains(response, "18 characters")

    def test_a_college_cannot_open_the_registration_form(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(reverse("organization-create")).status_code, 403)

    def test_csv_export_lists_the_directory(self):
        # The directory rule: every active organization, not only the reader's own.
        OrganizationFactory(name="Closed College", is_active=False)
        self.client.force_login(self.alice)
        response = self.client.get(reverse("organization-list"), {"export": "csv"})
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        text = response.content.decode("utf-8-sig")
        self.assertIn("Riverside College", text)
        self.assertIn("Eastlake College", text)
        self.assertNotIn("Closed College", text)
