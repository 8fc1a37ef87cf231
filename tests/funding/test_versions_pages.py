"""Submitted versions: what each keeps, how two compare, and the versions page (who
opens it, its choice of versions, the same queries however many versions there are)."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from funding import services
from funding.models import ApplicationVersion, FundApplication
from funding.services.versions import versions_diff
from tests.factories import make_application, make_program
from tests.funding.test_info_request_api import submitted
from tests.funding.test_money import FundingCase
from tests.helpers.queries import assert_constant_queries


def version(application, number, **content):
    base = {
        "title": "Lab",
        "summary": "",
        "requested_amount": "100.00",
        "partnership": None,
        "lines": [],
        "answers": [],
        "in_reply_to": "",
    }
    return ApplicationVersion(application=application, number=number, content={**base, **content})


class TestVersionsDiff(FundingCase):
    def setUp(self):
        self.application = make_application(make_program(self.bureau), self.college)

    def test_budget_lines_match_by_category_and_description(self):
        old = version(
            self.application,
            1,
            lines=[
                {"category": "equipment", "description": "Robots", "amount": "50.00"},
                {"category": "equipment", "description": "Robots", "amount": "10.00"},
                {"category": "training", "description": "Trainers", "amount": "40.00"},
            ],
        )
        new = version(
            self.application,
            2,
            lines=[
                {"category": "equipment", "description": " robots ", "amount": "60.00"},
                {"category": "travel", "description": "Trainers", "amount": "40.00"},
            ],
        )
        changes = [
            (line.change, line.category, line.old_amount, line.new_amount)
            for line in versions_diff(old, new).lines
        ]
        self.assertEqual(
            changes,
            [
                ("changed", "Equipment", "50.00", "60.00"),
                ("added", "Travel", None, "40.00"),
                ("removed", "Equipment", "10.00", None),
                ("removed", "Training", "40.00", None),
            ],
        )

    def test_fields_and_answers(self):
        file_answer = {"question": 3, "label": "Plan", "kind": "file", "value": ""}
        old = version(
            self.application,
            1,
            partnership={"id": 1, "name": "Industry college"},
            answers=[
                {"question": 1, "label": "Goals", "kind": "long_text", "value": "Train sixty"},
                {**file_answer, "attachment": 5, "file_name": "plan.pdf"},
                {"question": 4, "label": "Start", "kind": "date", "value": "2026-09-01"},
            ],
        )
        new = version(
            self.application,
            2,
            title="Robot lab",
            answers=[
                {"question": 1, "label": "Goals", "kind": "long_text", "value": "Train eighty"},
                {**file_answer, "attachment": 6, "file_name": "plan.pdf"},
                {"question": 2, "label": "Students", "kind": "number", "value": "80"},
            ],
        )
        diff = versions_diff(new, old)  # either order: the lower number is the older
        self.assertEqual((diff.older, diff.newer), (1, 2))
        fields = {change.field: change for change in diff.fields}
        self.assertEqual(
            [(s.kind, s.text) for s in fields["title"].segments],
            [("removed", "Lab"), ("added", "Robot lab")],
        )
        self.assertEqual(
            (fields["partnership"].old, fields["partnership"].new), ("Industry college", "")
        )
        answers = {answer.label: answer for answer in diff.answers}
        self.assertEqual(
            {label: answer.change for label, answer in answers.items()},
            {"Goals": "changed", "Plan": "changed", "Students": "added", "Start": "removed"},
        )
        self.assertIn(("added", "eighty"), [(s.kind, s.text) for s in answers["Goals"].segments])
        self.assertEqual(diff.changed_count, 6)

    def test_versions_of_two_applications_do_not_compare(self):
        other = make_application(make_program(self.bureau), self.college)
        with self.assertRaises(ValidationError):
            versions_diff(version(self.application, 1), version(other, 2))


class TestVersionsPage(FundingCase):
    def setUp(self):
        self.application, _questions = submitted(self, status="info_requested")
        services.application_resubmit(actor=self.bob, application=self.application)
        self.url = reverse("fund-application-versions", args=[self.application.pk])

    def test_who_opens_it(self):
        self.client.logout()
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))
        for user, expected in (
            (self.charlie, 404),
            (self.victor, 200),
            (self.alice, 200),
            (self.olivia, 200),
        ):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.url).status_code, expected)

    def test_a_draft_has_no_versions_and_government_does_not_see_it(self):
        draft = make_application(make_program(self.bureau), self.college)
        url = reverse("fund-application-versions", args=[draft.pk])
        self.client.force_login(self.olivia)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(url), "Not submitted yet")

    def test_versions_are_chosen_by_number_and_anything_else_is_refused(self):
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"a": 2, "b": 1})
        self.assertContains(response, "What changed from version 1 to version 2")
        for query in (
            {"a": 1},
            {"a": 1, "b": 1},
            {"a": 1, "b": 3},
            {"a": "x", "b": 2},
            {"a": "9" * 5000, "b": 1},
        ):
            with self.subTest(query=str(query)[:30]):
                response = self.client.get(self.url, query)
                self.assertContains(response, "Choose two different versions", status_code=400)

    def test_the_same_queries_for_one_version_as_for_many(self):
        self.client.force_login(self.alice)
        ApplicationVersion.objects.filter(application=self.application, number=2).delete()
        FundApplication.objects.filter(pk=self.application.pk).update(version=1)
        content = ApplicationVersion.objects.get(application=self.application).content

        def add(count):
            for number in range(2, count + 2):
                ApplicationVersion.objects.create(
                    application=self.application,
                    number=number,
                    submitted_by=self.bob,
                    content=content,
                )
            FundApplication.objects.filter(pk=self.application.pk).update(version=count + 1)

        assert_constant_queries(self, lambda: self.client.get(self.url), add, rows=20)
