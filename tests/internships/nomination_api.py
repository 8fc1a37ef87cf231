"""The people and records of the nominations API tests.

Huaxin (an enterprise) hosts a published placement open to Riverside College: hua is
Huaxin's admin, hx_viewer its viewer; rival is the admin of another enterprise. The
college's people are those of ``tests.people`` (alice admin, bob staff, victor viewer;
charlie is Eastlake's admin)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APITestCase

from accounts.models import OrganizationKind, Role
from tests.factories import OrganizationFactory, member
from tests.people import People

from .helpers import make_placement
from .students import make_student

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOT_SEEN = "No such record, or not one you can see."


class EnterpriseSide:
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.host, Role.ADMIN, "hx_hua")
        cls.hx_viewer = member(cls.host, Role.VIEWER, "hx_viewer")
        cls.rival_host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Rival")
        cls.rival = member(cls.rival_host, Role.ADMIN, "rv_rival")


class NominationApiCase(EnterpriseSide, People, APITestCase):
    def setUp(self):
        self.placement = make_placement(self.host, self.college, status="published", slots=2)
        self.student = make_student(self.college, "S1")

    def as_user(self, user) -> None:
        self.client.force_authenticate(user)

    def url(self, nomination=None, verb: str = "") -> str:
        if nomination is None:
            return reverse("api:nomination-list")
        url = reverse("api:nomination-detail", args=[nomination.pk])
        return url + (f"{verb}/" if verb else "")

    def act(self, user, nomination, verb: str, data=None):
        self.as_user(user)
        return self.client.post(self.url(nomination, verb), data or {}, format="json")

    def upload(self, user, nomination, name: str = "consent.pdf") -> int:
        """A file uploaded to the nomination through the attachments API; its id."""
        self.as_user(user)
        response = self.client.post(
            reverse("api:attachment-list"),
            {
                "record": f"internships.nomination:{nomination.pk}",
                "file": SimpleUploadedFile(name, PDF),
            },
            format="multipart",
        )
        self.assertEqual(response.status_code, 201, response.content)
        return response.json()["id"]

    def new_student(self, number: str, **fields):
        return make_student(self.college, number, **fields)
