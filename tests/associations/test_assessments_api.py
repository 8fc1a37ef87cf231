"""``assessments/`` and ``assessment-responses/`` in the API: the shared permission cases
for a draft (the assessor's, read by government), the assessed organization reading
only published ones, nested criteria and evidence replaced whole, ``publish/`` with
409 for an illegal step, one response each, the filters, hostile input as 400s (never
500s), and constant query counts."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APITestCase

from associations.models import (
    MAX_CRITERIA,
    Assessment,
    AssessmentResponse,
    AssessmentStatus,
    Entrustment,
    EntrustmentStatus,
)
from partnerships.models import Partnership
from portal import access
from tests.factories import make_agreement
from tests.helpers import permissions
from tests.helpers.queries import assert_constant_queries

from .assessments import AssessmentPeople, make_assessment

S = AssessmentStatus
LIST = "api:assessment-list"


def assessment_data(assessed, **overrides) -> dict:
    data = {
        "organization": assessed.pk,
        "title": "Cooperation quality 2026",
        "summary": "From the records of 2025.",
        "criteria": [
            {"name": "Talent training", "weight": "60", "max_score": 10, "score": "8"},
            {"name": "Resources invested", "weight": "40", "max_score": 5, "score": None},
        ],
    }
    data.update(overrides)
    return data


class TestDraftAssessmentApi(AssessmentPeople, permissions.ApiPermissionCases):
    """A draft: the assessor's members read it (its admins and staff change it),
    government reads it, another organization does not see it at all."""

    basename = "assessment"

    def make_record(self):
        return make_assessment(self.association, self.huaxin, entrustment=self.entrustment)

    def create_data(self):
        return assessment_data(self.huaxin, assessor=self.association.pk)

    def update_data(self):
        return {"summary": "Revised after the site visit."}


class AssessmentApiCase(AssessmentPeople, APITestCase):
    def as_user(self, user):
        if user is not None:
            access.forget_grants(user)
        self.client.force_authenticate(user)

    def detail(self, assessment) -> str:
        return reverse("api:assessment-detail", args=[assessment.pk])

    def listed(self, **params) -> list[int]:
        response = self.client.get(reverse(LIST), {"page_size": 200, **params})
        self.assertEqual(response.status_code, 200, response.content)
        return [row["id"] for row in response.json()["results"]]


class TestTheAssessedOrganization(AssessmentApiCase):
    def test_it_reads_only_published_assessments_of_it(self):
        draft = make_assessment(self.association, self.huaxin, entrustment=self.entrustment)
        published = make_assessment(
            self.association, self.huaxin, entrustment=self.entrustment, status=S.PUBLISHED
        )
        for user in (self.hua, self.hank, self.hazel):
            with self.subTest(user=user.username):
                self.as_user(user)
                self.assertEqual(self.client.get(self.detail(draft)).status_code, 404)
                self.assertEqual(self.client.get(self.detail(published)).status_code, 200)
                self.assertEqual(self.listed(), [published.pk])
                response = self.client.patch(self.detail(published), {"title": "Ours"})
                self.assertEqual(response.status_code, 403)

    def test_an_organization_neither_assessor_nor_assessed_sees_none(self):
        make_assessment(
            self.association, self.huaxin, entrustment=self.entrustment, status=S.PUBLISHED
        )
        self.as_user(self.charlie)
        self.assertEqual(self.listed(), [])


class TestWritingThroughTheApi(AssessmentApiCase):
    def setUp(self):
        self.agreement = make_agreement(self.college, self.huaxin, status="active")

    def test_created_with_its_rubric_and_evidence_then_scored_and_published(self):
        self.as_user(self.sam)
        data = assessment_data(
            self.huaxin,
            agreement=self.agreement.pk,
            evidence=[{"record_kind": "partnerships.agreement", "record_id": self.agreement.pk}],
        )
        response = self.client.post(reverse(LIST), data, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["assessor"], self.association.pk)
        self.assertEqual(body["entrustment"], self.entrustment.pk)
        self.assertEqual(body["subject_kind"], "agreement")
        self.assertEqual(body["subject_name"], str(self.agreement))
        self.assertEqual(body["evidence"][0]["record_name"], str(self.agreement))
        url = body["url"]
        detail = self.client.get(url).json()
        self.assertIsNone(detail["live_score"])
        self.assertEqual(detail["scored"], 1)
        self.assertEqual(detail["actions"], ["edit", "publish"])
        response = self.client.post(url + "publish/")
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("criteria", response.json())
        criteria = [dict(row, score=row["score"] or "5") for row in data["criteria"]]
        response = self.client.patch(url, {"criteria": criteria}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(self.client.get(url).json()["live_score"], "88.00")
        response = self.client.post(url + "publish/")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["score"], "88.00")
        self.assertEqual(response.json()["status"], "published")
        response = self.client.post(url + "publish/")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "invalid_transition")
        response = self.client.patch(url, {"title": "Changed"}, format="json")
        self.assertEqual(response.status_code, 409)

    def test_a_patch_replaces_the_rubric_and_the_evidence_whole(self):
        assessment = make_assessment(
            self.association, self.huaxin, entrustment=self.entrustment, evidence=[self.agreement]
        )
        self.as_user(self.asa)
        response = self.client.patch(
            self.detail(assessment),
            {
                "criteria": [{"name": "Only", "weight": "1", "max_score": 4, "score": "3"}],
                "evidence": [],
            },
            format="json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual([row["name"] for row in response.json()["criteria"]], ["Only"])
        self.assertEqual(response.json()["evidence"], [])
        response = self.client.patch(
            self.detail(assessment), {"criteria": [{"score": "3"}]}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("criteria", response.json())

    def test_an_association_without_an_open_entrustment_or_outside_its_scope_is_refused(self):
        self.as_user(self.asa)
        response = self.client.post(reverse(LIST), assessment_data(self.lanting), format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("organization", response.json())
        Entrustment.objects.filter(pk=self.entrustment.pk).update(status=EntrustmentStatus.APPROVED)
        self.as_user(self.asa)
        response = self.client.post(reverse(LIST), assessment_data(self.huaxin), format="json")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Assessment.objects.exists())

    def test_a_subject_or_evidence_the_assessor_cannot_see_reads_as_missing(self):
        Entrustment.objects.filter(pk=self.entrustment.pk).update(
            scope_kinds=["internships.practicebase"]
        )
        hidden = Partnership.objects.create(
            name="Hidden", kind="industry_college", lead=self.huaxin
        )
        self.as_user(self.asa)
        missing = "No such record, or not one you can see."
        for data in (
            {"agreement": self.agreement.pk},
            {"partnership": hidden.pk},
            {"partnership": 10**12},
        ):
            with self.subTest(data=data):
                response = self.client.post(
                    reverse(LIST), assessment_data(self.huaxin, **data), format="json"
                )
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json(), {next(iter(data)): [missing]})
        response = self.client.post(
            reverse(LIST),
            assessment_data(
                self.huaxin,
                evidence=[
                    {"record_kind": "partnerships.agreement", "record_id": self.agreement.pk}
                ],
            ),
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("evidence", response.json())

    def test_a_department_assesses_any_college_or_enterprise_directly(self):
        self.as_user(self.olivia)
        response = self.client.post(
            reverse(LIST), assessment_data(self.lanting, assessor=self.bureau.pk), format="json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertIsNone(response.json()["entrustment"])

    def test_someone_assessing_for_nobody_is_refused(self):
        self.as_user(self.hua)
        response = self.client.post(reverse(LIST), assessment_data(self.lanting), format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("assessor", response.json())
        response = self.client.post(
            reverse(LIST),
            assessment_data(self.lanting, assessor=self.association.pk),
            format="json",
        )
        self.assertEqual(response.status_code, 403)


class TestHostileInput(AssessmentApiCase):
    def post(self, **overrides):
        self.as_user(self.asa)
        return self.client.post(
            reverse(LIST), assessment_data(self.huaxin, **overrides), format="json"
        )

    def test_wild_values_are_400s_and_change_nothing(self):
        row = {"name": "A", "weight": "60", "max_score": 10, "score": "8"}
        for overrides in (
            {"organization": 10**30},
            {"organization": "1e3"},
            {"assessor": -1},
            {"entrustment": 10**30},
            {"agreement": "ninety"},
            {"title": "x" * 201},
            {"title": ""},
            {"summary": "x" * 20_001},
            {"criteria": "many"},
            {"criteria": [row] * (MAX_CRITERIA + 1)},
            {"criteria": [dict(row, weight="1e999")]},
            {"criteria": [dict(row, weight="NaN")]},
            {"criteria": [dict(row, weight="Infinity")]},
            {"criteria": [dict(row, weight="9" * 5000)]},
            {"criteria": [dict(row, weight="0")]},
            {"criteria": [dict(row, weight="0.001")]},
            {"criteria": [dict(row, max_score=10**30)]},
            {"criteria": [dict(row, max_score=0)]},
            {"criteria": [dict(row, score="11")]},
            {"criteria": [dict(row, score="-0.01")]},
            {"criteria": [dict(row, score=True)]},
            {"criteria": [dict(row, comment="x" * 4001)]},
            {"criteria": [dict(row, name="x" * 201)]},
            {"evidence": [{"record_kind": "partnerships.agreement", "record_id": 10**30}]},
            {"evidence": [{"record_kind": "partnerships.agreement", "record_id": -5}]},
            {"evidence": [{"record_kind": "accounts.user", "record_id": 1}]},
            {
                "evidence": [
                    {"record_kind": "partnerships.agreement", "record_id": 1, "note": "x" * 501}
                ]
            },
            {"evidence": [{"record_kind": "partnerships.agreement"}]},
        ):
            with self.subTest(overrides=str(overrides)[:100]):
                response = self.post(**overrides)
                self.assertEqual(response.status_code, 400, response.content[:300])
        self.assertFalse(Assessment.objects.exists())

    def test_wild_filters_are_400s(self):
        self.as_user(self.asa)
        for params in (
            {"assessor": 10**30},
            {"organization": "abc"},
            {"status": "maybe"},
            {"subject": "student"},
            {"updated_after": "yesterday"},
            {"updated_after": "0001-01-01T00:00:00+14:00"},
        ):
            with self.subTest(params=params):
                response = self.client.get(reverse(LIST), params)
                self.assertEqual(response.status_code, 400, response.content[:300])
        response = self.client.get(reverse("api:assessment-response-list"), {"assessment": 10**30})
        self.assertEqual(response.status_code, 400)


class TestTheResponseApi(AssessmentApiCase):
    def setUp(self):
        self.assessment = make_assessment(
            self.association, self.huaxin, entrustment=self.entrustment, status=S.PUBLISHED
        )
        self.url = reverse("api:assessment-response-list")

    def test_the_assessed_organization_answers_once(self):
        self.as_user(self.hank)
        response = self.client.post(self.url, {"assessment": self.assessment.pk, "text": "Noted."})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["created_by"], "hank")
        again = self.client.post(self.url, {"assessment": self.assessment.pk, "text": "Again."})
        self.assertEqual(again.status_code, 400, again.content)
        self.assertEqual(AssessmentResponse.objects.count(), 1)
        detail = self.client.get(self.detail(self.assessment)).json()
        self.assertEqual(detail["response"], response.json()["id"])
        self.assertEqual(detail["actions"], [])
        for user in (self.asa, self.olivia, self.hazel):
            self.as_user(user)
            self.assertEqual(self.client.get(response.json()["url"]).status_code, 200)
        self.as_user(self.charlie)
        self.assertEqual(self.client.get(response.json()["url"]).status_code, 404)

    def test_others_may_not_and_a_draft_reads_as_missing(self):
        for user, expected in ((self.asa, 403), (self.hazel, 403), (self.charlie, 400)):
            with self.subTest(user=user.username):
                self.as_user(user)
                response = self.client.post(
                    self.url, {"assessment": self.assessment.pk, "text": "Hello"}
                )
                self.assertEqual(response.status_code, expected, response.content)
        draft = make_assessment(self.association, self.huaxin, entrustment=self.entrustment)
        self.as_user(self.hua)
        response = self.client.post(self.url, {"assessment": draft.pk, "text": "Hello"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("assessment", response.json())

    def test_no_change_or_removal(self):
        self.as_user(self.hua)
        created = self.client.post(self.url, {"assessment": self.assessment.pk, "text": "Noted."})
        url = created.json()["url"]
        self.assertEqual(self.client.patch(url, {"text": "Changed"}).status_code, 405)
        self.assertEqual(self.client.delete(url).status_code, 405)


class TestFiltersAndQueries(AssessmentApiCase):
    def test_by_assessor_organization_status_subject_and_update_time(self):
        agreement = make_agreement(self.college, self.huaxin, status="active")
        draft = make_assessment(self.association, self.huaxin, entrustment=self.entrustment)
        of_agreement = make_assessment(
            self.association,
            self.huaxin,
            entrustment=self.entrustment,
            status=S.PUBLISHED,
            agreement=agreement,
        )
        direct = make_assessment(self.bureau, self.lanting, status=S.PUBLISHED)
        self.as_user(self.olivia)
        self.assertEqual(set(self.listed()), {draft.pk, of_agreement.pk, direct.pk})
        self.assertEqual(self.listed(assessor=self.bureau.pk), [direct.pk])
        self.assertEqual(set(self.listed(organization=self.huaxin.pk)), {draft.pk, of_agreement.pk})
        self.assertEqual(self.listed(status="draft"), [draft.pk])
        self.assertEqual(self.listed(subject="agreement"), [of_agreement.pk])
        self.assertEqual(set(self.listed(subject="organization")), {draft.pk, direct.pk})
        Assessment.objects.filter(pk=direct.pk).update(
            updated_at=timezone.now() + timedelta(hours=1)
        )
        since = (timezone.now() + timedelta(minutes=30)).isoformat()
        self.assertEqual(self.listed(updated_after=since), [direct.pk])

    def test_the_list_runs_as_many_queries_for_1_assessment_as_for_50(self):
        agreement = make_agreement(self.college, self.huaxin, status="active")

        def add(count):
            for index in range(count):
                make_assessment(
                    self.association,
                    self.huaxin,
                    entrustment=self.entrustment,
                    status=S.PUBLISHED if index % 2 else S.DRAFT,
                    agreement=agreement if index % 3 else None,
                    evidence=[agreement],
                )

        add(1)
        self.as_user(self.asa)
        assert_constant_queries(self, lambda: self.client.get(reverse(LIST)), add)

    def test_the_detail_runs_as_many_queries_for_1_criterion_as_for_30(self):
        assessment = make_assessment(
            self.association,
            self.huaxin,
            entrustment=self.entrustment,
            criteria=[("A", "1", 10, "1")],
        )

        def add(count):
            from associations.models import AssessmentCriterion

            AssessmentCriterion.objects.bulk_create(
                AssessmentCriterion(
                    assessment=assessment, name=f"C{n}", weight=1, max_score=5, score=2
                )
                for n in range(count)
            )

        self.as_user(self.asa)
        assert_constant_queries(
            self, lambda: self.client.get(self.detail(assessment)), add, rows=MAX_CRITERIA
        )
