"""A secondment's evidence is the college admins' to keep: the host and the college's
staff read it, and neither adds nor removes a file (pages and API)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from portal.models import Attachment
from tests.people import People

from .helpers import attach
from .secondments import HostEnterprises, make_secondment


def pdf():
    return SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


class TestSecondmentEvidence(HostEnterprises, People, TestCase):
    def setUp(self):
        self.secondment = make_secondment(self.college, self.host)
        self.evidence = attach(self.secondment, "log.pdf", self.alice)
        self.upload_url = reverse(
            "attachment-upload", args=["internships.secondment", self.secondment.pk]
        )

    def test_the_host_and_the_college_staff_read_but_do_not_change_the_evidence(self):
        for user in (self.hugo, self.hua, self.bob):
            self.client.force_login(user)
            page = self.client.get(self.secondment.get_absolute_url(), {"tab": "attachments"})
            self.assertContains(page, "log.pdf")
            self.assertNotContains(page, reverse("attachment-delete", args=[self.evidence.pk]))
            self.assertEqual(self.client.post(self.upload_url, {"file": pdf()}).status_code, 403)
            deleted = self.client.post(reverse("attachment-delete", args=[self.evidence.pk]))
            self.assertEqual(deleted.status_code, 403)
            api = self.client.delete(reverse("api:attachment-detail", args=[self.evidence.pk]))
            self.assertEqual(api.status_code, 403)
        self.assertTrue(Attachment.objects.filter(pk=self.evidence.pk).exists())

    def test_the_college_admin_keeps_the_evidence(self):
        self.client.force_login(self.alice)
        self.client.post(self.upload_url, {"file": pdf()})
        self.assertEqual(Attachment.objects.count(), 2)
        self.client.post(reverse("attachment-delete", args=[self.evidence.pk]))
        self.assertFalse(Attachment.objects.filter(pk=self.evidence.pk).exists())
