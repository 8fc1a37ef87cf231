"""The shared permission cases for needs and offers, adapted: a draft is its owner's
alone (not even government reads it); an open one is read by everyone signed in in its
audience, and by government, and changed only by its owner's admins and staff."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APITestCase

from discovery.models import NeedStatus
from discovery.services import needs as service
from tests.discovery.needs import DiscoveryPeople, make_need
from tests.helpers import permissions


def valid_until() -> str:
    return (timezone.localdate() + timedelta(days=20)).isoformat()


class TestDraftNeedApi(DiscoveryPeople, permissions.ApiPermissionCases):
    basename = "cooperation-need"

    def make_record(self):
        return make_need(self.college, status=NeedStatus.DRAFT)

    def create_data(self):
        return {
            "direction": "need",
            "kind": "internship",
            "title": "Internships in CNC machining",
            "valid_until": valid_until(),
        }

    def update_data(self):
        return {"title": "Teacher practice posts, summer"}

    def test_government_reads_everything_but_changes_only_its_own(self):
        # A draft is not government's to read; once open it is, and still not to change.
        self.as_user("olivia")
        self.assert_hidden()
        service.need_open(actor=self.alice, need=self.record)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
        self.assertIn(self.record.pk, self.listed_ids())
        self.assertEqual(self.client.patch(self.detail_url(), self.update_data()).status_code, 403)

    def test_an_open_need_is_read_but_not_changed_by_another_organization(self):
        service.need_open(actor=self.alice, need=self.record)
        self.as_user("charlie")
        self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
        self.assertEqual(self.client.patch(self.detail_url(), self.update_data()).status_code, 403)
        self.assertEqual(
            self.client.post(self.detail_url() + "close/").status_code, 403, "not the owner"
        )


class TestDraftNeedPages(DiscoveryPeople, permissions.PagePermissionCases):
    list_url_name = "cooperation-need-list"
    detail_url_name = "cooperation-need-detail"
    edit_url_name = "cooperation-need-edit"

    def make_record(self):
        return make_need(self.college, status=NeedStatus.DRAFT)

    def edit_data(self):
        return {
            "direction": "need",
            "kind": "teacher_practice",
            "title": "Teacher practice posts, summer",
            "description": "",
            "specialties": "Mechatronics",
            "region": "Hangzhou",
            "headcount": "6",
            "amount": "",
            "valid_until": valid_until(),
        }

    def test_a_member_reads_and_edits(self):
        self.client.force_login(self.alice)
        for tab in ("", "?tab=history"):
            self.assertEqual(self.client.get(self.detail_url() + tab).status_code, 200)
        self.assertEqual(self.client.get(self.edit_url()).status_code, 200)
        response = self.client.post(self.edit_url(), self.edit_data())
        self.assertEqual(response.status_code, 302)
        self.record.refresh_from_db()
        self.assertEqual(self.record.title, "Teacher practice posts, summer")

    def test_government_reads_but_cannot_edit_others_records(self):
        self.client.force_login(self.olivia)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        service.need_open(actor=self.alice, need=self.record)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
        self.assertEqual(self.client.get(self.edit_url()).status_code, 403)


class TestAudience(DiscoveryPeople, APITestCase):
    """An open need for enterprises only: Huaxin reads it, another college and an
    association do not, as if it did not exist; its owner and government do."""

    def test_only_the_chosen_kinds_see_it(self):
        need = make_need(self.college, audience=["enterprise"])
        url = reverse("api:cooperation-need-detail", args=[need.pk])
        for user, status in (
            (self.erin, 200),
            (self.alice, 200),
            (self.olivia, 200),
            (self.charlie, 404),
            (self.ada, 404),
        ):
            with self.subTest(user=user.username):
                self.client.force_authenticate(user)
                self.assertEqual(self.client.get(url).status_code, status)
                listed = self.client.get(reverse("api:cooperation-need-list")).json()["results"]
                self.assertEqual(need.pk in {row["id"] for row in listed}, status == 200)
        self.client.force_login(self.charlie)
        page = reverse("cooperation-need-detail", args=[need.pk])
        self.assertEqual(self.client.get(page).status_code, 404)

    def test_an_organization_outside_the_audience_cannot_answer(self):
        need = make_need(self.huaxin, direction="offer", audience=["college"])
        self.client.force_authenticate(self.ada)
        response = self.client.post(
            reverse("api:cooperation-interest-list"),
            {"need": need.pk, "organization": self.guild.pk, "message": "Us too"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("need", response.json())
