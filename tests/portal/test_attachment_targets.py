"""What may carry attachments: only the domain records declared attachable. Any other
target (an attachment, a user, an agreement's party, a malformed name) is refused before
a byte is stored, and a record the caller cannot see answers exactly like one that does
not exist."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from portal.models import Attachment, attachable_models
from tests.factories import make_agreement, make_application, make_program
from tests.people import People
from tests.portal.test_attachments import PDF

ATTACHABLE = {
    "accounts.organization",
    "partnerships.partnership",
    "partnerships.agreement",
    "partnerships.clause",
    "funding.fundprogram",
    "funding.fundapplication",
    "funding.award",
    "funding.tranche",
    "funding.progressreport",
    "internships.practicebase",
    "internships.placement",
    "internships.nomination",
    "internships.secondment",
    "governance.articles",
    "governance.articleversion",
    "governance.board",
    "governance.meeting",
    "governance.resolution",
    "associations.associationmembership",
    "associations.deliverable",
    "associations.entrustment",
    "associations.certificationapplication",
    "associations.assessment",
    "associations.assessmentresponse",
    "associations.talentdemandreport",
}


def page_text(response) -> str:
    """A page without what differs between any two requests: its own path and the CSRF
    token."""
    text = response.content.decode().replace(response.wsgi_request.path, "PATH")
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "TOKEN", text)  # a masked CSRF token


def stored_files() -> set[Path]:
    return {path for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if path.is_file()}


class AttachmentCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin = User.objects.create_superuser("root", "root@example.org", "x")
        cls.agreement = make_agreement(cls.college, cls.other_college)
        cls.party = cls.agreement.parties.get(organization=cls.college)

    def setUp(self):
        self.api = APIClient()

    def attach(self, record, name="scan.pdf") -> Attachment:
        """An attachment written straight to the table, as older code could have left."""
        attachment = Attachment(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            original_name=name,
            media_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            uploaded_by=self.alice,
        )
        attachment.file.save(name, ContentFile(PDF), save=False)
        attachment.save()
        return attachment

    def api_post(self, user, record: str):
        self.api.force_authenticate(user)
        return self.api.post(
            reverse("api:attachment-list"),
            {"record": record, "file": SimpleUploadedFile("scan.pdf", PDF)},
            format="multipart",
        )

    def page_post(self, user, target: str, object_id: int):
        self.client.force_login(user)
        return self.client.post(
            reverse("attachment-upload", args=[target, object_id]),
            {"file": SimpleUploadedFile("scan.pdf", PDF), "description": ""},
        )


class TestWhatIsAttachable(AttachmentCase):
    def test_the_declared_records_are_the_ones_pages_and_the_api_offer(self):
        labels = {model._meta.label_lower for model in attachable_models()}
        self.assertEqual(labels, ATTACHABLE)

    def test_every_attachable_record_has_a_page_and_access_rules(self):
        for model in attachable_models():
            with self.subTest(model=model._meta.label):
                self.assertTrue(hasattr(model._default_manager, "visible_to"))
                self.assertTrue(callable(getattr(model, "get_absolute_url", None)))

    def test_every_page_with_an_attachments_tab_shows_an_attachable_record(self):
        import config.urls  # noqa: F401 - imports every app's views
        from portal.views import RecordDetailView

        def subclasses(cls):
            for subclass in cls.__subclasses__():
                yield subclass
                yield from subclasses(subclass)

        views = [view for view in subclasses(RecordDetailView) if "attachments" in view.tabs]
        self.assertTrue(views)
        for view in views:
            with self.subTest(view=view.__name__):
                self.assertIn(view.model, attachable_models())

    def test_nothing_else_is_attachable(self):
        for label in ("portal.attachment", "accounts.user", "partnerships.agreementparty"):
            self.assertNotIn(apps.get_model(label), attachable_models())


class TestApiTargets(AttachmentCase):
    def test_an_attachment_or_a_user_is_not_a_target_even_for_a_superuser(self):
        existing = self.attach(self.college)
        for user in (self.alice, self.admin):
            for record in (
                f"portal.attachment:{existing.pk}",
                f"accounts.user:{self.alice.pk}",
                f"partnerships.agreementparty:{self.party.pk}",
            ):
                with self.subTest(user=user.username, record=record):
                    response = self.api_post(user, record)
                    self.assertEqual(response.status_code, 400, response.content)
                    self.assertIn("record", response.json())
                    listed = self.api.get(reverse("api:attachment-list"), {"record": record})
                    self.assertEqual(listed.status_code, 400, listed.content)
                    self.assertIn("record", listed.json())
        self.assertEqual(Attachment.objects.count(), 1)

    def test_malformed_targets_are_a_400_on_record(self):
        for record in (
            "accounts.organization",
            f"accounts.organization:{self.college.pk}x",
            f"accounts.organization:-{self.college.pk}",
            "accounts.organization:²",
            "accounts.organization:١",
            f"organization:{self.college.pk}",
            f"accounts.nothing:{self.college.pk}",
            f"nothing.organization:{self.college.pk}",
            f"accounts.organization.extra:{self.college.pk}",
            "",
        ):
            with self.subTest(record=record):
                response = self.api_post(self.alice, record)
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn("record", response.json())
        self.assertFalse(Attachment.objects.exists())

    def test_a_stray_row_on_an_odd_target_breaks_nobody_else(self):
        good = self.attach(self.college)
        stray = self.attach(good)  # what a superuser could once create: a file on a file
        self.attach(self.alice)  # and one on a user
        self.api.force_authenticate(self.bob)
        listed = self.api.get(
            reverse("api:attachment-list"), {"record": f"accounts.organization:{self.college.pk}"}
        )
        self.assertEqual(listed.status_code, 200, listed.content)
        self.assertEqual([row["id"] for row in listed.json()["results"]], [good.pk])
        self.assertEqual(
            self.api.get(reverse("api:attachment-detail", args=[good.pk])).status_code, 200
        )
        download = self.api.get(reverse("api:attachment-download", args=[good.pk]))
        self.assertEqual(download.status_code, 200)
        for user in (self.bob, self.admin):
            self.api.force_authenticate(user)
            for name in ("api:attachment-detail", "api:attachment-download"):
                with self.subTest(user=user.username, name=name):
                    self.assertEqual(self.api.get(reverse(name, args=[stray.pk])).status_code, 404)
        self.client.force_login(self.admin)
        page = self.client.get(reverse("attachment-download", args=[stray.pk]))
        self.assertEqual(page.status_code, 404)
        page = self.client.get(reverse("attachment-download", args=[good.pk]))
        self.assertEqual(page.status_code, 200)


class TestPageTargets(AttachmentCase):
    def test_a_party_upload_is_refused_before_anything_is_stored(self):
        before = stored_files()
        response = self.page_post(self.alice, "partnerships.agreementparty", self.party.pk)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(stored_files(), before)

    def test_odd_targets_are_refused_on_pages_too(self):
        existing = self.attach(self.college)
        before = stored_files()
        for target, object_id in (
            ("portal.attachment", existing.pk),
            ("accounts.user", self.admin.pk),
            ("accounts", self.college.pk),
            ("accounts.nothing", self.college.pk),
        ):
            with self.subTest(target=target):
                self.assertEqual(self.page_post(self.admin, target, object_id).status_code, 404)
        self.assertEqual(Attachment.objects.count(), 1)
        self.assertEqual(stored_files(), before)

    def test_every_attachments_tab_uploads_and_comes_back(self):
        program = make_program(self.bureau)
        application = make_application(program, self.college)
        for record, user in (
            (self.college, self.alice),
            (self.agreement, self.alice),
            (program, self.olivia),
            (application, self.alice),
        ):
            with self.subTest(record=record):
                response = self.page_post(user, record._meta.label_lower, record.pk)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(record.get_absolute_url()))


class TestNoExistenceLeaks(AttachmentCase):
    """Hidden and missing look the same: same status, same body."""

    def test_the_api_list_of_a_hidden_record_answers_like_a_missing_one(self):
        self.api.force_authenticate(self.charlie)
        url = reverse("api:attachment-list")
        hidden = self.api.get(url, {"record": f"accounts.organization:{self.college.pk}"})
        missing = self.api.get(url, {"record": "accounts.organization:987654"})
        huge = self.api.get(url, {"record": "accounts.organization:99999999999999999999999"})
        self.assertEqual(hidden.status_code, 404)
        self.assertEqual((missing.status_code, missing.json()), (404, hidden.json()))
        self.assertEqual((huge.status_code, huge.json()), (404, hidden.json()))

    def test_an_api_upload_to_a_hidden_record_answers_like_a_missing_one(self):
        hidden = self.api_post(self.charlie, f"accounts.organization:{self.college.pk}")
        missing = self.api_post(self.charlie, "accounts.organization:987654")
        self.assertEqual(hidden.status_code, 404)
        self.assertEqual((missing.status_code, missing.json()), (404, hidden.json()))
        self.assertFalse(Attachment.objects.exists())

    def test_api_detail_and_download_of_a_hidden_file_answer_like_a_missing_one(self):
        attachment = self.attach(self.college)
        self.api.force_authenticate(self.charlie)
        for name in ("api:attachment-detail", "api:attachment-download"):
            with self.subTest(name=name):
                hidden = self.api.get(reverse(name, args=[attachment.pk]))
                missing = self.api.get(reverse(name, args=[attachment.pk + 1000]))
                self.assertEqual(hidden.status_code, 404)
                self.assertEqual((missing.status_code, missing.json()), (404, hidden.json()))

    def test_a_file_on_a_record_that_takes_none_answers_like_a_missing_one(self):
        """Rows that older code let through (a file on a file, on a person) are seen by
        nobody, and asking for one looks exactly like asking for nothing."""
        stray = self.attach(self.attach(self.college))
        on_a_person = self.attach(self.charlie)
        missing = stray.pk + 1000
        for user in (self.charlie, self.alice, self.admin):
            self.api.force_authenticate(user)
            self.client.force_login(user)
            for name in ("api:attachment-detail", "api:attachment-download"):
                expected = self.api.get(reverse(name, args=[missing]))
                for attachment in (stray, on_a_person):
                    with self.subTest(user=user.username, name=name, pk=attachment.pk):
                        response = self.api.get(reverse(name, args=[attachment.pk]))
                        self.assertEqual(response.status_code, 404)
                        self.assertEqual(response.json(), expected.json())
            expected = page_text(self.client.get(reverse("attachment-download", args=[missing])))
            for attachment in (stray, on_a_person):
                with self.subTest(user=user.username, page="download", pk=attachment.pk):
                    response = self.client.get(reverse("attachment-download", args=[attachment.pk]))
                    self.assertEqual(response.status_code, 404)
                    self.assertEqual(page_text(response), expected)

    def test_page_download_and_upload_of_a_hidden_record_answer_like_missing_ones(self):
        attachment = self.attach(self.college)
        self.client.force_login(self.charlie)
        hidden = self.client.get(reverse("attachment-download", args=[attachment.pk]))
        missing = self.client.get(reverse("attachment-download", args=[attachment.pk + 1000]))
        self.assertEqual((hidden.status_code, missing.status_code), (404, 404))
        self.assertEqual(page_text(hidden), page_text(missing))
        hidden = self.client.post(reverse("attachment-delete", args=[attachment.pk]))
        missing = self.client.post(reverse("attachment-delete", args=[attachment.pk + 1000]))
        self.assertEqual((hidden.status_code, missing.status_code), (404, 404))
        hidden = self.page_post(self.charlie, "accounts.organization", self.college.pk)
        missing = self.page_post(self.charlie, "accounts.organization", 987654)
        self.assertEqual((hidden.status_code, missing.status_code), (404, 404))
        self.assertEqual(page_text(hidden), page_text(missing))
        self.assertEqual(Attachment.objects.count(), 1)


class TestAttachmentListQueries(AttachmentCase):
    def test_the_api_list_runs_the_same_queries_for_1_or_20_files(self):
        from tests.helpers.queries import assert_constant_queries

        self.attach(self.college)
        self.api.force_authenticate(self.bob)
        record = f"accounts.organization:{self.college.pk}"

        def add(count: int) -> None:
            for n in range(count):
                self.attach(self.college, name=f"scan-{n}.pdf")

        assert_constant_queries(
            self,
            lambda: self.api.get(reverse("api:attachment-list"), {"record": record}),
            add,
            rows=20,
        )
