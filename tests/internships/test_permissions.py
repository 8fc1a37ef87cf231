"""The shared permission cases for the practice base and placement endpoints and pages.

For placements the host is an enterprise: alice is its admin, victor its viewer;
charlie is admin of a college the placement is not open to."""

from django.urls import reverse

from accounts.models import OrganizationKind, Role
from tests.factories import OrganizationFactory, member
from tests.helpers import permissions

from .helpers import api_data, form_data, make_base, make_placement


class EnterpriseHost:
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.alice = member(cls.host, Role.ADMIN, "hx_alice")
        cls.victor = member(cls.host, Role.VIEWER, "hx_victor")


class TestPlacementApi(EnterpriseHost, permissions.ApiPermissionCases):
    basename = "placement"

    def make_record(self):
        return make_placement(self.host, self.college)

    def create_data(self):
        return {**api_data(open_to_colleges=[self.college.pk]), "host": self.host.pk}

    def update_data(self):
        return {"description": "Mentored by a senior engineer."}

    def test_a_college_sees_it_only_once_published_to_it(self):
        college_admin = member(self.college, Role.ADMIN, "rv_admin")
        self.client.force_authenticate(college_admin)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        self.as_user("alice")
        self.client.post(self.detail_url() + "publish/")
        self.client.force_authenticate(college_admin)
        response = self.client.get(self.detail_url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["actions"], [])
        self.assertEqual(self.client.post(self.detail_url() + "close/").status_code, 403)
        self.as_user("charlie")  # a college it is not open to
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)

    def test_a_viewer_cannot_move_it(self):
        self.as_user("victor")
        self.assertEqual(self.client.post(self.detail_url() + "publish/").status_code, 403)
        self.as_user("charlie")
        self.assertEqual(self.client.post(self.detail_url() + "publish/").status_code, 404)

    def test_a_college_cannot_post_placements(self):
        self.client.force_authenticate(member(self.college, Role.ADMIN, "rv_admin2"))
        data = {**api_data(), "host": self.college.pk}
        self.assertEqual(self.client.post(self.list_url(), data, format="json").status_code, 403)


class TestPracticeBaseApi(permissions.ApiPermissionCases):
    basename = "practice-base"

    def make_record(self):
        self.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        return make_base(self.enterprise, self.college)

    def create_data(self):
        return {
            "name": "Joint CNC base",
            "host": self.enterprise.pk,
            "colleges": [self.college.pk],
            "address": "1 Park Road",
            "stations": 20,
            "safety_officer_name": "Li",
            "safety_officer_phone": "123",
        }

    def update_data(self):
        return {"stations": 30}

    def test_status_moves_only_by_the_hosts_admins(self):
        self.as_user("alice")  # a college admin: edits, but does not move the status
        response = self.client.patch(self.detail_url(), {"status": "active"})
        self.assertEqual(response.status_code, 403)
        self.client.force_authenticate(member(self.enterprise, Role.ADMIN, "hx_admin"))
        response = self.client.patch(self.detail_url(), {"status": "active"})
        self.assertEqual(response.json()["status"], "active")
        response = self.client.patch(self.detail_url(), {"status": "proposed"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "invalid_transition")

    def test_the_agreement_must_be_a_visible_practice_base_agreement(self):
        from tests.factories import make_agreement

        hidden = make_agreement(self.enterprise, self.other_college)
        mine = make_agreement(self.college, self.enterprise)
        self.as_user("alice")
        response = self.client.patch(self.detail_url(), {"agreement": hidden.pk})
        self.assertEqual(response.status_code, 400)
        response = self.client.patch(self.detail_url(), {"agreement": mine.pk})
        self.assertEqual(response.status_code, 400)  # a framework agreement
        mine.kind = "practice_base"
        mine.save()
        response = self.client.patch(self.detail_url(), {"agreement": mine.pk})
        self.assertEqual(response.status_code, 200, response.content)


class TestPlacementPages(EnterpriseHost, permissions.PagePermissionCases):
    list_url_name = "placement-list"
    detail_url_name = "placement-detail"
    edit_url_name = "placement-edit"

    def make_record(self):
        return make_placement(self.host, self.college)

    def edit_data(self):
        return {**form_data(), "open_to_colleges": [self.college.pk]}

    def test_creating_publishing_closing(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("placement-create"),
            {
                **form_data(title="Welder"),
                "host": self.host.pk,
                "open_to_colleges": [self.college.pk],
            },
        )
        self.assertEqual(response.status_code, 302)
        placement = self.host.placements.get(title="Welder")
        self.client.post(reverse("placement-publish", args=[placement.pk]))
        placement.refresh_from_db()
        self.assertEqual(placement.status, "published")
        self.client.post(reverse("placement-close", args=[placement.pk]))
        placement.refresh_from_db()
        self.assertEqual(placement.status, "closed")

    def test_a_refused_publish_shows_the_rules_next_to_the_fields(self):
        placement = make_placement(self.host, self.college, monthly_pay="100", night_shifts=True)
        self.client.force_login(self.alice)
        response = self.client.post(reverse("placement-publish", args=[placement.pk]), follow=True)
        self.assertRedirects(response, reverse("placement-edit", args=[placement.pk]))
        self.assertContains(response, 'data-rule="pay_below_80_percent"')
        self.assertContains(response, 'data-rule="night_shifts"')
        placement.refresh_from_db()
        self.assertEqual(placement.status, "draft")

    def test_cancelling_needs_a_reason(self):
        self.client.force_login(self.alice)
        url = reverse("placement-cancel", args=[self.record.pk])
        self.client.post(url, {"reason": ""})
        self.record.refresh_from_db()
        self.assertEqual(self.record.status, "draft")
        self.client.post(url, {"reason": "Workshop refit"})
        self.record.refresh_from_db()
        self.assertEqual(self.record.status, "cancelled")

    def test_the_list_exports_csv(self):
        self.client.force_login(self.alice)
        response = self.client.get(reverse("placement-list") + "?export=csv&status=draft")
        self.assertEqual(response.status_code, 200)
        self.assertIn("CNC operator", response.content.decode())


class TestPracticeBasePages(permissions.PagePermissionCases):
    list_url_name = "practice-base-list"
    detail_url_name = "practice-base-detail"
    edit_url_name = "practice-base-edit"

    def make_record(self):
        self.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        return make_base(self.enterprise, self.college)

    def edit_data(self):
        return {
            "name": "Huaxin base",
            "address": "88 Binjiang Park",
            "stations": 50,
            "safety_officer_name": "Li Qiang",
            "safety_officer_phone": "0571",
            "colleges": [self.college.pk],
        }

    def test_the_page_shows_its_placements_and_the_host_admin_moves_it(self):
        placement = make_placement(self.enterprise, self.college, practice_base=self.record)
        host_admin = member(self.enterprise, Role.ADMIN, "hx_admin")
        self.client.force_login(host_admin)
        response = self.client.get(self.detail_url())
        self.assertContains(response, placement.get_absolute_url())
        self.client.post(reverse("practice-base-activate", args=[self.record.pk]))
        self.record.refresh_from_db()
        self.assertEqual(self.record.status, "active")
        self.client.force_login(self.alice)  # a college admin cannot
        self.client.post(reverse("practice-base-suspend", args=[self.record.pk]))
        self.record.refresh_from_db()
        self.assertEqual(self.record.status, "active")
