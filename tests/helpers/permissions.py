"""Shared permission tests (the idea of NetBox's utilities/testing/api.py, much smaller).

A test class names its model's routes, how to make a record owned by ``self.college``
(for a government-only record, such as a review: one about it), and valid payloads; it
inherits the tests for anonymous callers, another organization, a viewer, a member and
government. Import this module, not the classes, so pytest does not collect the bases
themselves.
"""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APITestCase

from tests.people import People


class ApiPermissionCases(People, APITestCase):
    basename: str = ""  # the router basename, e.g. "organization"
    member_name = "alice"  # who, in the owning organization, may change the record
    creator_name: str | None = "alice"  # who may create one (None: no create endpoint)
    can_update = True  # False: no PATCH; it changes through workflow actions, or never
    can_delete = False
    government_writes = False  # government members change only their own records
    government_only = False  # True: the college it is about never sees it (reviews)

    def make_record(self):
        raise NotImplementedError

    def create_data(self) -> dict:
        raise NotImplementedError

    def update_data(self) -> dict:
        raise NotImplementedError

    def setUp(self):
        self.record = self.make_record()

    def list_url(self) -> str:
        return reverse(f"api:{self.basename}-list")

    def detail_url(self, record=None) -> str:
        return reverse(f"api:{self.basename}-detail", args=[(record or self.record).pk])

    def as_user(self, name: str | None):
        self.client.logout()
        self.client.force_authenticate(getattr(self, name) if name else None)

    def listed_ids(self) -> set[int]:
        response = self.client.get(self.list_url(), {"page_size": 200})
        self.assertEqual(response.status_code, 200, response.content)
        return {row["id"] for row in response.json()["results"]}

    def assert_hidden(self) -> None:
        """The record answers 404 and is not listed, as if it did not exist."""
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        self.assertNotIn(self.record.pk, self.listed_ids())

    def test_anonymous_callers_get_401(self):
        self.as_user(None)
        self.assertEqual(self.client.get(self.list_url()).status_code, 401)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 401)
        self.assertEqual(self.client.patch(self.detail_url(), {}).status_code, 401)
        if self.creator_name:
            self.assertEqual(self.client.post(self.list_url(), {}).status_code, 401)

    def test_another_organization_gets_404_and_an_empty_list(self):
        self.as_user("charlie")
        self.assert_hidden()
        if self.can_update:
            response = self.client.patch(self.detail_url(), self.update_data())
            self.assertEqual(response.status_code, 404)

    def test_a_viewer_reads_but_cannot_write(self):
        self.as_user("victor")
        if self.government_only:
            self.assert_hidden()
        else:
            self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
            self.assertIn(self.record.pk, self.listed_ids())
        refused = 404 if self.government_only else 403
        if self.can_update:
            response = self.client.patch(self.detail_url(), self.update_data())
            self.assertEqual(response.status_code, refused)
        if self.can_delete:
            self.assertEqual(self.client.delete(self.detail_url()).status_code, refused)
        if self.creator_name:
            self.assertEqual(self.client.post(self.list_url(), self.create_data()).status_code, 403)

    def test_a_member_reads_and_changes(self):
        self.as_user(self.member_name)
        response = self.client.get(self.detail_url())
        self.assertEqual(response.status_code, 200)
        body = response.json()
        for field in ("id", "url", "created_at", "updated_at"):
            self.assertIn(field, body)
        if self.can_update:
            response = self.client.patch(self.detail_url(), self.update_data())
            self.assertEqual(response.status_code, 200, response.content)
        history = self.client.get(self.detail_url() + "history/")
        self.assertEqual(history.status_code, 200)
        self.assertGreaterEqual(len(history.json()), 2 if self.can_update else 1)
        if self.can_delete:
            self.assertEqual(self.client.delete(self.detail_url()).status_code, 204)

    def test_the_creator_creates(self):
        if not self.creator_name:
            self.skipTest("no create endpoint")
        self.as_user(self.creator_name)
        response = self.client.post(self.list_url(), self.create_data())
        self.assertEqual(response.status_code, 201, response.content)
        self.assertIn("url", response.json())

    def test_government_reads_everything_but_changes_only_its_own(self):
        self.as_user("olivia")
        self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
        self.assertIn(self.record.pk, self.listed_ids())
        if self.can_update and not self.government_writes:
            response = self.client.patch(self.detail_url(), self.update_data())
            self.assertEqual(response.status_code, 403)


class PagePermissionCases(People, TestCase):
    """The same rules for pages; anonymous visitors are sent to the login page."""

    list_url_name: str = ""
    detail_url_name: str = ""
    edit_url_name: str | None = None
    member_name = "alice"

    def make_record(self):
        raise NotImplementedError

    def edit_data(self) -> dict:
        raise NotImplementedError

    def setUp(self):
        self.record = self.make_record()

    def urls(self) -> list[str]:
        urls = [reverse(self.list_url_name), reverse(self.detail_url_name, args=[self.record.pk])]
        if self.edit_url_name:
            urls.append(reverse(self.edit_url_name, args=[self.record.pk]))
        return urls

    def detail_url(self) -> str:
        return reverse(self.detail_url_name, args=[self.record.pk])

    def edit_url(self) -> str:
        return reverse(self.edit_url_name, args=[self.record.pk])

    def test_anonymous_visitors_are_sent_to_login(self):
        for url in self.urls():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith(reverse("login")), url)

    def test_another_organization_gets_404_and_does_not_see_it_listed(self):
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        if self.edit_url_name:
            self.assertEqual(self.client.get(self.edit_url()).status_code, 404)
        response = self.client.get(reverse(self.list_url_name))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, self.detail_url() + '"')

    def test_a_viewer_reads_but_cannot_edit(self):
        self.client.force_login(self.victor)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
        self.assertContains(self.client.get(reverse(self.list_url_name)), self.detail_url())
        if self.edit_url_name:
            self.assertEqual(self.client.get(self.edit_url()).status_code, 403)
            self.assertEqual(self.client.post(self.edit_url(), self.edit_data()).status_code, 403)

    def test_a_member_reads_and_edits(self):
        self.client.force_login(getattr(self, self.member_name))
        for tab in ("", "?tab=history", "?tab=attachments"):
            self.assertEqual(self.client.get(self.detail_url() + tab).status_code, 200)
        if self.edit_url_name:
            self.assertEqual(self.client.get(self.edit_url()).status_code, 200)
            response = self.client.post(self.edit_url(), self.edit_data())
            self.assertEqual(response.status_code, 302, getattr(response, "context", None))

    def test_government_reads_but_cannot_edit_others_records(self):
        self.client.force_login(self.olivia)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
        if self.edit_url_name:
            self.assertEqual(self.client.get(self.edit_url()).status_code, 403)
