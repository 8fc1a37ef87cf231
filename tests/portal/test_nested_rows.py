"""A PATCH that replaces a list of rows (an agreement's parties, a partnership's members,
a program's criteria, an application's budget lines) needs every row whole: a row
missing a required field is a 400 naming it, never a 500 (found by schema fuzzing)."""

from django.urls import reverse
from rest_framework.test import APITestCase

from accounts.models import Membership, OrganizationKind, Role
from tests.factories import (
    OrganizationFactory,
    make_agreement,
    make_application,
    make_program,
    member,
)
from tests.partnerships.test_permissions import make_partnership
from tests.people import People


class TestWholeRows(People, APITestCase):
    def setUp(self):
        self.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")

    def patch(self, user, url, data):
        self.client.force_authenticate(user)
        return self.client.patch(url, data, format="json")

    def test_an_agreement_party_without_its_organization(self):
        agreement = make_agreement(self.college, self.enterprise, status="draft", signed=False)
        url = reverse("api:agreement-detail", args=[agreement.pk])
        response = self.patch(self.alice, url, {"parties": [{"role": "college"}]})
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("organization", str(response.json()))

    def test_a_partnership_member_without_its_organization(self):
        partnership = make_partnership(self.college, self.enterprise)
        url = reverse("api:partnership-detail", args=[partnership.pk])
        response = self.patch(self.alice, url, {"members": [{"role": "Partner"}]})
        self.assertEqual(response.status_code, 400, response.content)

    def test_a_criterion_without_its_name(self):
        program = make_program(self.bureau, status="draft")
        url = reverse("api:fund-program-detail", args=[program.pk])
        response = self.patch(self.olivia, url, {"criteria": [{"weight": "100", "max_score": 5}]})
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("name", str(response.json()))

    def test_a_budget_line_without_its_category(self):
        application = make_application(make_program(self.bureau), self.college)
        url = reverse("api:fund-application-detail", args=[application.pk])
        response = self.patch(
            self.alice, url, {"budget_lines": [{"description": "Robots", "amount": "1000.00"}]}
        )
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("category", str(response.json()))

    def test_a_membership_without_a_role_is_a_staff_membership(self):
        newcomer = OrganizationFactory(kind=OrganizationKind.COLLEGE)
        person = member(newcomer, Role.ADMIN, "newcomer")
        self.client.force_authenticate(self.alice)
        response = self.client.post(
            reverse("api:membership-list"),
            {"user": person.username, "organization": self.college.pk},
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(
            Membership.objects.get(user=person, organization=self.college).role, Role.STAFF
        )
