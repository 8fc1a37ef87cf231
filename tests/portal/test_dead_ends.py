"""A form the user's organization cannot use says so, and why, instead of an empty
required picker that ends in "This field is required": the page answers 403 with the
reason (and so does a POST), and the list offers no button to it. The home page's
"Getting started" steps fit the role."""

from django.test import TestCase
from django.urls import reverse

from accounts.models import OrganizationKind, Role
from portal.dashboard import registry
from tests.factories import OrganizationFactory, member
from tests.people import People


class Roles(People):
    """Besides the people: hua (admin of an enterprise), ada (admin of an association)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.enterprise, Role.ADMIN, "hua")
        cls.association = OrganizationFactory(
            kind=OrganizationKind.ASSOCIATION, name="Manufacturing Association"
        )
        cls.ada = member(cls.association, Role.ADMIN, "ada")


class TestFormsSayWhyTheyCannotBeUsed(Roles, TestCase):
    # (url name, who cannot use it, words of the reason, who can)
    LED = "A partnership is led by a college or an enterprise"
    CASES = [
        ("partnership-create", "ada", LED, "hua"),
        ("partnership-create", "olivia", LED, "alice"),
        ("agreement-create", "victor", "your role lets you read them", "ada"),
        ("articles-create", "hua", "Articles of association belong to a college", "alice"),
        ("practice-base-create", "ada", "A practice base is registered by", "alice"),
        ("placement-create", "alice", "Placements are offered by enterprises", "hua"),
        ("student-create", "hua", "Students are kept by their college", "bob"),
        ("student-import", "ada", "Students are kept by their college", "alice"),
        ("assessment-create", "ada", "none of yours names one today", "olivia"),
    ]

    def test_each_form_says_why_instead_of_an_empty_picker(self):
        for url_name, refused, reason, allowed in self.CASES:
            with self.subTest(url_name, user=refused):
                url = reverse(url_name)
                self.client.force_login(getattr(self, refused))
                page = self.client.get(url)
                self.assertContains(page, reason, status_code=403)
                self.assertContains(page, 'data-testid="denied-reason"', status_code=403)
                self.assertNotContains(page, "This field is required", status_code=403)
                self.assertEqual(self.client.post(url, {}).status_code, 403)
                self.client.force_login(getattr(self, allowed))
                self.assertEqual(self.client.get(url).status_code, 200, allowed)

    def test_a_list_offers_no_button_to_a_form_the_user_cannot_use(self):
        lists = [
            ("partnership-list", "partnership-create", "ada", "hua"),
            ("practice-base-list", "practice-base-create", "ada", "alice"),
            ("placement-list", "placement-create", "alice", "hua"),
            ("student-list", "student-create", "hua", "bob"),
        ]
        for list_name, create_name, refused, allowed in lists:
            with self.subTest(list_name):
                self.client.force_login(getattr(self, refused))
                page = self.client.get(reverse(list_name))
                self.assertNotContains(page, f'href="{reverse(create_name)}"')
                self.client.force_login(getattr(self, allowed))
                page = self.client.get(reverse(list_name))
                self.assertContains(page, f'href="{reverse(create_name)}"')

    def test_a_refusal_without_a_reason_still_says_what_to_do(self):
        self.client.force_login(self.victor)
        page = self.client.get(reverse("organization-create"))
        self.assertEqual(page.status_code, 403)
        self.assertContains(page, "You cannot do that", status_code=403)


class TestGettingStartedFitsTheRole(Roles, TestCase):
    def steps(self, user) -> list[str]:
        return [str(step.label) for step in registry.collect("first_steps", user)]

    def test_only_college_and_enterprise_admins_are_asked_to_connect_a_campus_system(self):
        campus = "Connect a campus system: create an API token"
        self.assertIn(campus, self.steps(self.alice))
        self.assertIn(campus, self.steps(self.hua))
        for name in ("bob", "victor", "ada", "olivia", "gary"):
            self.assertNotIn(campus, self.steps(getattr(self, name)), name)

    def test_an_association_gets_its_own_steps(self):
        steps = self.steps(self.ada)
        self.assertIn("Offer a membership type, so that organizations can join", steps)
        self.assertIn("Draft your industry's talent-demand report", steps)
        self.assertNotIn("Add your students, or import them from a CSV file", steps)

    def test_government_gets_its_own_steps(self):
        self.assertIn("Entrust work to an industry association", self.steps(self.olivia))
        self.assertNotIn("Entrust work to an industry association", self.steps(self.alice))

    def test_a_college_and_an_enterprise_get_theirs(self):
        self.assertIn("Add your students, or import them from a CSV file", self.steps(self.bob))
        self.assertNotIn("Offer an internship placement to colleges", self.steps(self.bob))
        hua = self.steps(self.hua)
        self.assertIn("Offer an internship placement to colleges", hua)
        self.assertIn("Apply to be certified as an industry–education integration enterprise", hua)

    def test_a_step_taken_is_gone(self):
        from associations.models import MembershipType

        MembershipType.objects.create(
            association=self.association, name="Ordinary member", annual_dues="1000.00"
        )
        self.assertNotIn(
            "Offer a membership type, so that organizations can join", self.steps(self.ada)
        )

    def test_the_steps_show_on_the_home_page(self):
        self.client.force_login(self.ada)
        page = self.client.get(reverse("home"))
        self.assertContains(page, "Getting started")
        self.assertContains(page, reverse("membership-type-create"))
        self.assertNotContains(page, "Connect a campus system")
