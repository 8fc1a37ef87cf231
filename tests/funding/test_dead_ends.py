"""Applying to a program and drafting one say why a user cannot, instead of a form
whose required picker (applicant, department) is empty: the page answers 403 with the
reason, a POST too, and the program's page and the list offer no button to it."""

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from accounts.models import OrganizationKind, Role
from funding.models import FundApplication, FundProgram
from tests.factories import OrganizationFactory, make_program, member
from tests.people import People

NOT_OPEN = "This program is not open for applications."
WRONG_KIND = "This program takes applications from these kinds of organization only"
APPLY_ROLE = "your role lets you read it"
NOT_GOVERNMENT = "Fund programs are run by government departments"
PROGRAM_ROLE = "Only a department&#x27;s admins and staff draft its fund programs"


class Roles(People):
    """Besides the people: ada (admin of an association), vera (viewer of the bureau)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.association = OrganizationFactory(
            kind=OrganizationKind.ASSOCIATION, name="Manufacturing Association"
        )
        cls.ada = member(cls.association, Role.ADMIN, "ada")
        cls.vera = member(cls.bureau, Role.VIEWER, "vera")
        cls.program = make_program(cls.bureau)  # open, for colleges and enterprises


class Refused:
    def assert_refused(self, url: str, user, reason: str) -> None:
        self.client.force_login(user)
        page = self.client.get(url)
        self.assertContains(page, reason, status_code=403)
        self.assertContains(page, 'data-testid="denied-reason"', status_code=403)
        self.assertNotContains(page, "This field is required", status_code=403)
        self.assertEqual(self.client.post(url, {"title": "Robot lab"}).status_code, 403)


class TestApplying(Roles, Refused, TestCase):
    def url(self, program=None) -> str:
        return reverse("fund-application-create", args=[(program or self.program).pk])

    def test_who_may_not_apply_is_told_why(self):
        cases = [
            ("ada", WRONG_KIND),  # an association; the program takes colleges and enterprises
            ("olivia", WRONG_KIND),  # government runs programs, it does not apply
            ("victor", APPLY_ROLE),  # a viewer of a college
        ]
        for name, reason in cases:
            with self.subTest(name):
                self.assert_refused(self.url(), getattr(self, name), reason)
        self.assertFalse(FundApplication.objects.exists())

    def test_the_reason_names_the_kinds_that_may_apply(self):
        self.client.force_login(self.ada)
        self.assertContains(self.client.get(self.url()), "College, Enterprise", status_code=403)

    def test_a_program_not_open_takes_no_application(self):
        for status in ("closed", "finalized"):
            with self.subTest(status):
                program = make_program(self.bureau, status=status)
                self.assert_refused(self.url(program), self.alice, NOT_OPEN)
        self.assertFalse(FundApplication.objects.exists())

    def test_an_association_applies_to_a_program_open_to_associations(self):
        program = make_program(self.bureau, kinds=("association",))
        self.client.force_login(self.ada)
        self.assertEqual(self.client.get(self.url(program)).status_code, 200)
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(self.url(program)), "Association", status_code=403)

    def test_admins_and_staff_of_an_eligible_organization_get_the_form(self):
        for user in (self.alice, self.bob):
            with self.subTest(user.username):
                self.client.force_login(user)
                page = self.client.get(self.url())
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, f'<option value="{self.college.pk}" selected')

    def test_the_program_page_offers_apply_only_to_who_may(self):
        closed = make_program(self.bureau, status="closed")
        for user, program, offered in [
            (self.alice, self.program, True),
            (self.bob, self.program, True),
            (self.victor, self.program, False),
            (self.ada, self.program, False),
            (self.olivia, self.program, False),
            (self.alice, closed, False),
        ]:
            with self.subTest(user.username, program=program.status):
                self.client.force_login(user)
                page = self.client.get(program.get_absolute_url())
                link = f'href="{self.url(program)}"'
                if offered:
                    self.assertContains(page, link)
                else:
                    self.assertNotContains(page, link)

    def test_anonymous_is_sent_to_sign_in(self):
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    def test_a_program_the_user_cannot_see_is_missing(self):
        draft = make_program(self.bureau, status="draft")
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url(draft)).status_code, 404)


class TestDraftingAProgram(Roles, Refused, TestCase):
    @property
    def url(self) -> str:
        return reverse("fund-program-create")

    def test_who_may_not_draft_a_program_is_told_why(self):
        cases = [
            ("alice", NOT_GOVERNMENT),
            ("ada", NOT_GOVERNMENT),
            ("vera", PROGRAM_ROLE),  # a viewer of the department
        ]
        for name, reason in cases:
            with self.subTest(name):
                self.assert_refused(self.url, getattr(self, name), reason)
        self.assertEqual(FundProgram.objects.count(), 1)

    def test_the_departments_admins_and_staff_get_the_form(self):
        for user in (self.olivia, self.gary):
            with self.subTest(user.username):
                self.client.force_login(user)
                page = self.client.get(self.url)
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, f'<option value="{self.bureau.pk}" selected')

    def test_a_superuser_picks_any_department(self):
        other = OrganizationFactory(kind=OrganizationKind.GOVERNMENT, name="Finance Bureau")
        root = get_user_model().objects.create_superuser("root", "root@example.org", "x-pass-2026")
        self.client.force_login(root)
        page = self.client.get(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, f'<option value="{self.bureau.pk}"')
        self.assertContains(page, f'<option value="{other.pk}"')
        self.assertNotContains(page, f'<option value="{self.college.pk}"')

    def test_the_list_offers_new_program_only_to_who_may(self):
        link = f'href="{self.url}"'
        for user, offered in [
            (self.olivia, True),
            (self.gary, True),
            (self.vera, False),
            (self.alice, False),
            (self.ada, False),
        ]:
            with self.subTest(user.username):
                self.client.force_login(user)
                page = self.client.get(reverse("fund-program-list"))
                if offered:
                    self.assertContains(page, link)
                else:
                    self.assertNotContains(page, link)

    def test_anonymous_is_sent_to_sign_in(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])
