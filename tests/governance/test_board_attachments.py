"""A board's files (its charter, appointment letters): the body's admins attach and
remove them; everyone who sees the board reads them (its staff and viewers, seated
members from elsewhere, government); anyone else gets a 404 as if there were no board,
and an anonymous caller is sent to log in (pages) or gets a 401 (API)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import OrganizationKind, Role
from portal.models import Attachment
from tests.factories import OrganizationFactory, member
from tests.internships.helpers import attach
from tests.partnerships.test_permissions import make_partnership
from tests.people import People
from tests.portal.test_attachments import PDF

from .helpers import make_articles, make_board, make_meeting, make_resolution, make_version, seat

TARGET = "governance.board"


def pdf(name: str = "charter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


class BoardAttachmentCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.director = member(cls.enterprise, Role.ADMIN, "hx_director")

    def setUp(self):
        self.board = make_board(self.college)
        seat(self.board, self.director, constituency="enterprise")
        self.charter = attach(self.board, "charter.pdf", self.alice)
        self.api = APIClient()

    def tab(self, board=None) -> str:
        return f"{(board or self.board).get_absolute_url()}?tab=attachments"

    def page_upload(self, user, board=None):
        self.client.force_login(user)
        return self.client.post(
            reverse("attachment-upload", args=[TARGET, (board or self.board).pk]),
            {"file": pdf("letter.pdf"), "description": "Appointment letter"},
        )

    def api_upload(self, user, board=None):
        self.api.force_authenticate(user)
        return self.api.post(
            reverse("api:attachment-list"),
            {"record": f"{TARGET}:{(board or self.board).pk}", "file": pdf("letter.pdf")},
            format="multipart",
        )

    def api_list(self, user):
        self.api.force_authenticate(user)
        return self.api.get(reverse("api:attachment-list"), {"record": f"{TARGET}:{self.board.pk}"})


class TestAnonymous(BoardAttachmentCase):
    def test_pages_send_them_to_log_in_and_the_api_answers_401(self):
        self.client.logout()
        for response in (
            self.client.get(self.tab()),
            self.client.get(reverse("attachment-download", args=[self.charter.pk])),
            self.client.post(reverse("attachment-upload", args=[TARGET, self.board.pk])),
            self.client.post(reverse("attachment-delete", args=[self.charter.pk])),
        ):
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("login"), response["Location"])
        self.api.force_authenticate(None)
        self.assertEqual(self.api_list(None).status_code, 401)
        detail = reverse("api:attachment-detail", args=[self.charter.pk])
        self.assertEqual(self.api.get(detail).status_code, 401)
        self.assertEqual(self.api.delete(detail).status_code, 401)
        self.assertEqual(Attachment.objects.count(), 1)


class TestAnotherOrganization(BoardAttachmentCase):
    def test_everything_answers_404_as_if_there_were_no_board(self):
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.tab()).status_code, 404)
        download = reverse("attachment-download", args=[self.charter.pk])
        self.assertEqual(self.client.get(download).status_code, 404)
        delete = reverse("attachment-delete", args=[self.charter.pk])
        self.assertEqual(self.client.post(delete).status_code, 404)
        self.assertEqual(self.page_upload(self.charlie).status_code, 404)
        self.assertEqual(self.api_upload(self.charlie).status_code, 404)
        self.assertEqual(self.api_list(self.charlie).status_code, 404)
        detail = reverse("api:attachment-detail", args=[self.charter.pk])
        self.assertEqual(self.api.get(detail).status_code, 404)
        self.assertEqual(Attachment.objects.count(), 1)


class TestReaders(BoardAttachmentCase):
    def test_the_bodys_staff_viewers_seated_members_and_government_read_only(self):
        for user in (self.victor, self.bob, self.director, self.olivia):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                page = self.client.get(self.tab())
                self.assertContains(page, "charter.pdf")
                self.assertNotContains(page, reverse("attachment-delete", args=[self.charter.pk]))
                self.assertNotContains(
                    page, reverse("attachment-upload", args=[TARGET, self.board.pk])
                )
                download = self.client.get(reverse("attachment-download", args=[self.charter.pk]))
                self.assertEqual(download.status_code, 200)
                self.assertEqual(self.page_upload(user).status_code, 403)
                deleted = self.client.post(reverse("attachment-delete", args=[self.charter.pk]))
                self.assertEqual(deleted.status_code, 403)
                self.assertEqual(self.api_upload(user).status_code, 403)
                listed = self.api_list(user)
                self.assertEqual(listed.status_code, 200)
                self.assertEqual([row["id"] for row in listed.json()["results"]], [self.charter.pk])
                detail = reverse("api:attachment-detail", args=[self.charter.pk])
                self.assertEqual(self.api.delete(detail).status_code, 403)
        self.assertEqual(list(Attachment.objects.all()), [self.charter])


class TestTheBodysAdmins(BoardAttachmentCase):
    def test_an_admin_attaches_and_removes_on_the_page(self):
        self.client.force_login(self.alice)
        page = self.client.get(self.tab())
        self.assertContains(page, reverse("attachment-upload", args=[TARGET, self.board.pk]))
        response = self.page_upload(self.alice)
        self.assertRedirects(response, self.tab())
        self.assertContains(self.client.get(self.tab()), "letter.pdf")
        self.client.post(reverse("attachment-delete", args=[self.charter.pk]))
        self.assertEqual(
            list(Attachment.objects.values_list("original_name", flat=True)), ["letter.pdf"]
        )

    def test_an_admin_attaches_through_the_api(self):
        response = self.api_upload(self.alice)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["record"], f"{TARGET}:{self.board.pk}")
        detail = reverse("api:attachment-detail", args=[self.charter.pk])
        self.assertEqual(self.api.delete(detail).status_code, 204)

    def test_a_partnerships_board_is_the_leads_admins_to_file(self):
        partnership = make_partnership(self.college, self.enterprise)
        board = make_board(partnership, name="Industry college council")
        # The member enterprise's admin reads the board but files nothing on it.
        self.assertEqual(self.page_upload(self.director, board).status_code, 403)
        self.assertEqual(self.api_upload(self.director, board).status_code, 403)
        self.assertEqual(self.client.get(self.tab(board)).status_code, 200)
        self.assertEqual(self.page_upload(self.alice, board).status_code, 302)
        self.assertEqual(self.api_upload(self.alice, board).status_code, 201)


class TestEveryGovernanceRecordIsTheAdminsToFile(BoardAttachmentCase):
    """Meetings, resolutions, articles and their versions follow the board's rule: the
    body's staff read the files but add none, its admins add them."""

    def test_staff_read_but_only_admins_attach(self):
        document = make_articles(self.college)
        records = {
            "governance.meeting": make_meeting(self.board),
            "governance.resolution": make_resolution(self.board),
            "governance.articles": document,
            "governance.articleversion": make_version(document, 1),
        }
        for target, record in records.items():
            with self.subTest(target=target):
                self.api.force_authenticate(self.bob)
                data = {"record": f"{target}:{record.pk}", "file": pdf("minutes.pdf")}
                url = reverse("api:attachment-list")
                self.assertEqual(self.api.post(url, data, format="multipart").status_code, 403)
                self.client.force_login(self.bob)
                upload = reverse("attachment-upload", args=[target, record.pk])
                self.assertEqual(self.client.post(upload, {"file": pdf()}).status_code, 403)
                self.api.force_authenticate(self.alice)
                data["file"] = pdf("minutes.pdf")
                self.assertEqual(self.api.post(url, data, format="multipart").status_code, 201)
