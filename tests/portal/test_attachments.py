"""Attachments: allowed types checked against their content, a size cap, stored
privately and downloaded only by those who see the record."""

import hashlib
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from portal.models import Attachment
from tests.people import People

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


class TestAttachments(People, TestCase):
    def upload(self, name, content, user=None):
        self.client.force_login(user or self.alice)
        return self.client.post(
            reverse("attachment-upload", args=["accounts.organization", self.college.pk]),
            {"file": SimpleUploadedFile(name, content), "description": "Signed scan"},
        )

    def test_a_member_attaches_a_pdf_and_others_who_see_the_record_download_it(self):
        response = self.upload("agreement.pdf", PDF)
        self.assertEqual(response.status_code, 302)
        attachment = Attachment.objects.get()
        self.assertEqual(attachment.sha256, hashlib.sha256(PDF).hexdigest())
        self.assertEqual(attachment.size, len(PDF))
        self.assertNotIn("agreement", attachment.file.name)  # stored under its hash
        self.client.force_login(self.olivia)
        download = self.client.get(reverse("attachment-download", args=[attachment.pk]))
        self.assertEqual(download.status_code, 200)
        self.assertIn('attachment; filename="agreement.pdf"', download["Content-Disposition"])
        self.assertEqual(b"".join(download.streaming_content), PDF)

    def test_a_renamed_executable_is_refused(self):
        response = self.upload("report.pdf", EXE)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "does not match its .pdf extension", status_code=400)
        self.assertFalse(Attachment.objects.exists())

    def test_a_disallowed_extension_is_refused(self):
        response = self.upload("setup.exe", EXE)
        self.assertContains(response, "Only these file types", status_code=400)

    def test_a_docx_must_really_be_a_word_document(self):
        self.assertEqual(self.upload("plan.docx", docx_bytes()).status_code, 302)
        self.assertEqual(self.upload("plan.xlsx", docx_bytes()).status_code, 400)
        self.assertEqual(self.upload("plan.docx", b"PK\x03\x04 not a zip").status_code, 400)

    @override_settings(ATTACHMENT_MAX_BYTES=1024)
    def test_files_over_the_size_cap_are_refused(self):
        response = self.upload("big.pdf", PDF + b"0" * 2048)
        self.assertContains(response, "larger than", status_code=400)

    def test_viewers_cannot_attach_and_other_organizations_cannot_see(self):
        self.assertEqual(self.upload("a.pdf", PDF, user=self.victor).status_code, 403)
        self.assertEqual(self.upload("a.pdf", PDF, user=self.charlie).status_code, 404)
        self.upload("a.pdf", PDF)
        attachment = Attachment.objects.get()
        self.client.force_login(self.charlie)
        url = reverse("attachment-download", args=[attachment.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_a_member_removes_an_attachment_and_a_viewer_cannot(self):
        self.upload("a.pdf", PDF)
        attachment = Attachment.objects.get()
        self.client.force_login(self.victor)
        self.assertEqual(
            self.client.post(reverse("attachment-delete", args=[attachment.pk])).status_code, 403
        )
        self.client.force_login(self.bob)
        self.client.post(reverse("attachment-delete", args=[attachment.pk]))
        self.assertFalse(Attachment.objects.exists())

    def test_the_attachments_tab_lists_the_files(self):
        self.upload("agreement.pdf", PDF)
        response = self.client.get(
            reverse("organization-detail", args=[self.college.pk]) + "?tab=attachments"
        )
        self.assertContains(response, "agreement.pdf")


class TestWhereAnUploadLands(TestCase):
    """After a file is attached or removed, the page that lists the record's files."""

    def test_a_record_with_its_own_files_page_lands_there(self):
        from portal.views import attachments_url

        class Tranche:
            def get_absolute_url(self):
                return "/funding/applications/1/?tab=award#tranche-2"

            def get_attachments_url(self):
                return "/funding/tranches/2/evidence/"

        self.assertEqual(attachments_url(Tranche()), "/funding/tranches/2/evidence/")

    def test_a_tab_joins_the_query_and_the_fragment_is_dropped(self):
        from portal.views import attachments_url

        class Report:
            def get_absolute_url(self):
                return "/funding/applications/1/?tab=award#report-3"

        class Organization:
            def get_absolute_url(self):
                return "/organizations/4/"

        self.assertEqual(attachments_url(Report()), "/funding/applications/1/?tab=attachments")
        self.assertEqual(attachments_url(Organization()), "/organizations/4/?tab=attachments")


class TestAttachmentsApi(People, TestCase):
    def setUp(self):
        from rest_framework.test import APIClient

        self.api = APIClient()
        self.record = f"accounts.organization:{self.college.pk}"

    def post(self, user, name="scan.pdf", content=PDF):
        self.api.force_authenticate(user)
        return self.api.post(
            reverse("api:attachment-list"),
            {"record": self.record, "file": SimpleUploadedFile(name, content)},
            format="multipart",
        )

    def test_a_member_uploads_and_lists_and_downloads(self):
        response = self.post(self.bob)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["record"], self.record)
        listed = self.api.get(reverse("api:attachment-list"), {"record": self.record}).json()
        self.assertEqual([row["original_name"] for row in listed["results"]], ["scan.pdf"])
        download = self.api.get(listed["results"][0]["download_url"])
        self.assertEqual(b"".join(download.streaming_content), PDF)

    def test_a_renamed_executable_is_a_400_with_a_field_error(self):
        response = self.post(self.bob, "scan.pdf", EXE)
        self.assertEqual(response.status_code, 400)
        self.assertIn("non_field_errors", response.json())

    def test_permissions_follow_the_record(self):
        self.assertEqual(self.post(self.victor).status_code, 403)
        self.assertEqual(self.post(self.charlie).status_code, 404)
        self.post(self.alice)
        attachment = Attachment.objects.get()
        detail = reverse("api:attachment-detail", args=[attachment.pk])
        self.api.force_authenticate(self.charlie)
        self.assertEqual(self.api.get(detail).status_code, 404)
        listed = self.api.get(reverse("api:attachment-list"), {"record": self.record})
        self.assertEqual(listed.status_code, 404)
        self.api.force_authenticate(self.victor)
        self.assertEqual(self.api.delete(detail).status_code, 403)
        self.api.force_authenticate(self.olivia)
        self.assertEqual(self.api.get(detail).status_code, 200)
        self.assertEqual(self.api.delete(detail).status_code, 403)
        self.api.force_authenticate(None)
        self.assertEqual(self.api.get(detail).status_code, 401)
        self.api.force_authenticate(self.bob)
        self.assertEqual(self.api.delete(detail).status_code, 204)

    def test_the_list_needs_a_record(self):
        self.api.force_authenticate(self.alice)
        response = self.api.get(reverse("api:attachment-list"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("record", response.json())
