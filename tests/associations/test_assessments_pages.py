"""The assessment pages: the shared permission cases for a draft, the assessed
organization reading only published ones, drafting in two steps (whom, then the
assessment) with the rubric's rows and the evidence, errors next to the fields (never a
500), publishing, the response page, evidence linked only where the reader sees the
record, the organization page's section and chart, the CSV export, the dashboard and the
search, and constant query counts."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from associations.dashboard import assessments_to_answer, assessments_to_publish
from associations.models import (
    Assessment,
    AssessmentResponse,
    AssessmentStatus,
    Entrustment,
    EntrustmentStatus,
)
from associations.services import assessments as service
from associations.templatetags.assessment_tags import SHOWN, published_assessments, score_chart
from portal import access
from portal.models import Attachment
from tests.factories import make_agreement
from tests.helpers import permissions
from tests.helpers.queries import assert_constant_queries, count_queries
from tests.portal.test_attachments import PDF

from .assessments import AssessmentPeople, make_assessment

S = AssessmentStatus


def rubric(*rows, initial: int = 0) -> dict:
    """The rubric's formset as a page posts it: rows of (name, weight, highest, score)."""
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": str(initial),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "30",
    }
    for index, (name, weight, highest, score) in enumerate(rows):
        data.update(
            {
                f"criteria-{index}-name": name,
                f"criteria-{index}-weight": weight,
                f"criteria-{index}-max_score": highest,
                f"criteria-{index}-score": score,
                f"criteria-{index}-comment": "",
            }
        )
    return data


def form_data(**overrides) -> dict:
    data = {
        "title": "Cooperation quality 2026",
        "summary": "From the records of 2025 and a site visit.",
        "subject": "",
        **rubric(("Talent training", "60", "10", "8"), ("Resources", "40", "5", "")),
    }
    data.update(overrides)
    return data


class TestDraftAssessmentPages(AssessmentPeople, permissions.PagePermissionCases):
    list_url_name = "assessment-list"
    detail_url_name = "assessment-detail"
    edit_url_name = "assessment-edit"

    def make_record(self):
        return make_assessment(self.association, self.huaxin, entrustment=self.entrustment)

    def edit_data(self):
        return form_data()


class PageCase(AssessmentPeople, TestCase):
    def login(self, user):
        access.forget_grants(user)
        self.client.force_login(user)


class TestTheAssessedOrganizationsPages(PageCase):
    def test_it_reads_published_assessments_of_it_and_edits_none(self):
        draft = make_assessment(self.association, self.huaxin, entrustment=self.entrustment)
        published = make_assessment(
            self.association,
            self.huaxin,
            entrustment=self.entrustment,
            status=S.PUBLISHED,
            title="Published one",
        )
        for user in (self.hua, self.hazel):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 404)
                response = self.client.get(published.get_absolute_url())
                self.assertContains(response, "80.00")
                listed = self.client.get(reverse("assessment-list"))
                self.assertContains(listed, published.get_absolute_url())
                self.assertNotContains(listed, draft.get_absolute_url() + '"')
                edit = reverse("assessment-edit", args=[published.pk])
                self.assertEqual(self.client.get(edit).status_code, 403)
                publish = reverse("assessment-publish", args=[draft.pk])
                self.assertEqual(self.client.post(publish).status_code, 404)


class TestDrafting(PageCase):
    def setUp(self):
        self.agreement = make_agreement(self.college, self.huaxin, status="active")
        self.create_url = reverse("assessment-create")

    def test_first_whom_then_the_assessment(self):
        self.login(self.asa)
        response = self.client.get(self.create_url)
        self.assertContains(response, 'data-testid="assessment-start"')
        self.assertContains(response, "Huaxin")
        self.assertNotContains(response, "Lanting")  # outside the scope
        response = self.client.get(self.create_url, {"organization": self.huaxin.pk})
        self.assertContains(response, 'data-testid="assessment-parties"')
        self.assertContains(response, str(self.agreement))  # offered as subject and evidence
        data = form_data(
            assessor=self.association.pk,
            organization=self.huaxin.pk,
            entrustment=self.entrustment.pk,
            subject=f"agreement:{self.agreement.pk}",
            evidence=[f"partnerships.agreement:{self.agreement.pk}"],
        )
        response = self.client.post(self.create_url, data)
        assessment = Assessment.objects.get()
        self.assertRedirects(response, assessment.get_absolute_url())
        self.assertEqual(assessment.agreement, self.agreement)
        self.assertEqual(assessment.entrustment, self.entrustment)
        self.assertEqual(
            [(c.name, c.score) for c in assessment.criteria.order_by("position")],
            [("Talent training", 8), ("Resources", None)],
        )
        self.assertEqual(assessment.evidence.get().record_id, self.agreement.pk)
        page = self.client.get(assessment.get_absolute_url())
        self.assertContains(page, "1 of 2 criteria scored")
        self.assertContains(page, f'href="{self.agreement.get_absolute_url()}"')

    def test_an_organization_outside_every_open_scope_is_refused_at_the_first_step(self):
        self.login(self.asa)
        response = self.client.get(self.create_url, {"organization": self.lanting.pk})
        self.assertContains(response, 'data-testid="assessment-start"')
        self.assertContains(response, "is-invalid")
        Entrustment.objects.filter(pk=self.entrustment.pk).update(
            status=EntrustmentStatus.CANCELLED
        )
        # With no open entrustment left, nothing could be chosen: the page says why.
        self.login(self.asa)
        response = self.client.get(self.create_url, {"organization": self.huaxin.pk})
        self.assertContains(response, "none of yours names one today", status_code=403)
        response = self.client.post(
            self.create_url,
            form_data(assessor=self.association.pk, organization=self.huaxin.pk),
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Assessment.objects.exists())

    def test_a_department_assesses_directly(self):
        self.login(self.olivia)
        response = self.client.get(self.create_url, {"organization": self.lanting.pk})
        self.assertNotContains(response, 'name="entrustment"')
        response = self.client.post(
            self.create_url, form_data(assessor=self.bureau.pk, organization=self.lanting.pk)
        )
        self.assertEqual(response.status_code, 302)
        self.assertIsNone(Assessment.objects.get().entrustment)

    def test_people_who_assess_for_no_one_are_refused(self):
        for user in (self.hua, self.charlie):
            self.login(user)
            self.assertEqual(self.client.get(self.create_url).status_code, 403)
        self.login(self.val)
        self.assertEqual(self.client.get(self.create_url).status_code, 403)

    def test_hostile_input_is_an_error_next_to_the_field(self):
        self.login(self.asa)
        base = {
            "assessor": self.association.pk,
            "organization": self.huaxin.pk,
            "entrustment": self.entrustment.pk,
        }
        for overrides in (
            rubric(("A", "1e999", "10", "1")),
            rubric(("A", "NaN", "10", "1")),
            rubric(("A", "60", "10", "11")),
            rubric(("A", "60", str(10**30), "1")),
            rubric(("", "60", "10", "1")),
            rubric(("A", "", "10", "1")),
            rubric(*[("A", "1", "10", "1")] * 31),
            {"criteria-TOTAL_FORMS": str(10**9)},
            {"criteria-TOTAL_FORMS": "many"},
            {"title": "x" * 201},
            {"summary": "x" * 20_001},
            {"subject": "partnerships.agreement:99999999999999999999999999"},
            {"subject": "nonsense"},
            {"evidence": ["partnerships.agreement:1" + "0" * 30]},
            {"evidence": ["accounts.user:1"]},
            {"entrustment": str(10**30)},
        ):
            with self.subTest(overrides=str(overrides)[:80]):
                response = self.client.post(self.create_url, {**base, **form_data(**overrides)})
                self.assertEqual(response.status_code, 200)
                self.assertTrue(
                    b"invalid-feedback" in response.content or b"alert-danger" in response.content,
                    str(overrides)[:80],
                )
        for organization in (str(10**30), "-1", "abc"):
            response = self.client.post(
                self.create_url, {**form_data(), **base, "organization": organization}
            )
            self.assertContains(response, 'data-testid="assessment-start"')
        self.assertFalse(Assessment.objects.exists())


class TestEditingAndPublishing(PageCase):
    def setUp(self):
        self.assessment = make_assessment(
            self.association,
            self.huaxin,
            entrustment=self.entrustment,
            criteria=[("Talent training", "60", 10, "8"), ("Resources", "40", 5, None)],
        )
        self.edit_url = reverse("assessment-edit", args=[self.assessment.pk])
        self.publish_url = reverse("assessment-publish", args=[self.assessment.pk])

    def test_the_rubric_is_replaced_whole_and_an_emptied_row_removed(self):
        self.login(self.sam)
        response = self.client.get(self.edit_url)
        self.assertContains(response, 'value="Talent training"')
        self.assertContains(response, "associations/assessment.js")
        data = form_data(
            **rubric(("Talent training", "60", "10", "9"), ("", "", "10", ""), initial=2)
        )
        response = self.client.post(self.edit_url, data)
        self.assertRedirects(response, self.assessment.get_absolute_url())
        self.assertEqual(
            [(c.name, c.score) for c in self.assessment.criteria.all()], [("Talent training", 9)]
        )

    def test_publishing_needs_every_score_then_fixes_it(self):
        self.login(self.asa)
        response = self.client.post(self.publish_url, follow=True)
        self.assertContains(response, "Score every criterion before publishing: Resources.")
        self.assessment.criteria.filter(name="Resources").update(score=5)
        response = self.client.post(self.publish_url, follow=True)
        self.assertContains(response, "Published: the score is fixed")
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, S.PUBLISHED)
        self.assertEqual(str(self.assessment.score), "88.00")
        response = self.client.get(self.edit_url, follow=True)
        self.assertContains(response, "A published assessment never changes.")
        response = self.client.post(self.publish_url, follow=True)
        self.assertContains(response, "cannot move from")

    def test_a_viewer_and_government_may_not(self):
        for user in (self.val, self.olivia):
            self.login(user)
            self.client.post(self.publish_url)
            self.assertEqual(self.client.post(self.edit_url, form_data()).status_code, 403)
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, S.DRAFT)


class TestTheResponsePages(PageCase):
    def setUp(self):
        self.assessment = make_assessment(
            self.association, self.huaxin, entrustment=self.entrustment, status=S.PUBLISHED
        )
        self.respond_url = reverse("assessment-respond", args=[self.assessment.pk])

    def test_the_assessed_organization_answers_once_with_a_file(self):
        self.login(self.hank)
        page = self.client.get(self.assessment.get_absolute_url())
        self.assertContains(page, self.respond_url)
        self.assertEqual(self.client.get(self.respond_url).status_code, 200)
        upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
        response = self.client.post(
            self.respond_url, {"text": "We will add two trainers.", "file": upload}
        )
        answer = AssessmentResponse.objects.get()
        self.assertRedirects(response, answer.get_absolute_url())
        self.assertEqual(Attachment.objects.for_record(answer).count(), 1)
        page = self.client.get(answer.get_absolute_url())
        self.assertContains(page, "We will add two trainers.")
        self.assertContains(page, "plan.pdf")
        self.assertContains(page, "Attach a file")
        again = self.client.get(self.respond_url)
        self.assertRedirects(again, answer.get_absolute_url())
        self.login(self.asa)
        page = self.client.get(answer.get_absolute_url())
        self.assertContains(page, "plan.pdf")
        self.assertNotContains(page, "Attach a file")

    def test_others_may_not(self):
        for user, status in (
            (self.asa, 403),
            (self.hazel, 403),
            (self.olivia, 403),
            (self.charlie, 404),
        ):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.respond_url).status_code, status)
                response = self.client.post(self.respond_url, {"text": "Hi"})
                self.assertEqual(response.status_code, status)
        self.assertFalse(AssessmentResponse.objects.exists())

    def test_an_empty_or_overlong_response_or_a_bad_file_is_an_error(self):
        self.login(self.hua)
        for data in (
            {"text": "   "},
            {"text": "x" * 20_001},
            {
                "text": "Fine",
                "file": SimpleUploadedFile("x.exe", b"MZ", content_type="application/pdf"),
            },
        ):
            with self.subTest(data=str(data)[:40]):
                self.assertContains(self.client.post(self.respond_url, data), "invalid-feedback")
        self.assertFalse(AssessmentResponse.objects.exists())


class TestEvidenceLinks(PageCase):
    def test_a_link_only_while_the_reader_sees_the_record(self):
        agreement = make_agreement(self.college, self.huaxin, status="active")
        assessment = make_assessment(
            self.association, self.huaxin, entrustment=self.entrustment, evidence=[agreement]
        )
        link = f'href="{agreement.get_absolute_url()}"'
        self.login(self.asa)
        self.assertContains(self.client.get(assessment.get_absolute_url()), link)
        Entrustment.objects.filter(pk=self.entrustment.pk).update(status=EntrustmentStatus.APPROVED)
        self.login(self.asa)
        page = self.client.get(assessment.get_absolute_url())
        self.assertNotContains(page, link)
        self.assertContains(page, str(agreement))


class TestTheOrganizationPage(PageCase):
    def page(self, user):
        self.login(user)
        return self.client.get(self.huaxin.get_absolute_url() + "?tab=cooperation")

    def test_it_shows_the_published_assessments_newest_first_with_a_chart(self):
        make_assessment(self.association, self.huaxin, entrustment=self.entrustment, title="Draft")
        make_assessment(
            self.association,
            self.huaxin,
            entrustment=self.entrustment,
            status=S.PUBLISHED,
            title="First",
            published_days_ago=300,
            criteria=[("A", "1", 10, "6")],
        )
        response = self.page(self.hua)
        self.assertContains(response, 'data-testid="organization-assessments"')
        self.assertContains(response, "60.00")
        self.assertNotContains(response, 'data-testid="assessment-chart"')  # one is no line
        make_assessment(
            self.association,
            self.huaxin,
            entrustment=self.entrustment,
            status=S.PUBLISHED,
            title="Second",
            published_days_ago=10,
            criteria=[("A", "1", 10, "9")],
        )
        response = self.page(self.hua)
        text = response.content.decode()
        self.assertLess(text.index("Second"), text.index("First"))
        self.assertNotIn(">Draft<", text)
        self.assertContains(response, 'data-testid="assessment-chart"')
        self.assertContains(response, "<polyline")

    def test_government_reads_them_and_is_offered_to_assess(self):
        make_assessment(
            self.association, self.huaxin, entrustment=self.entrustment, status=S.PUBLISHED
        )
        assess = reverse("assessment-create") + f"?organization={self.huaxin.pk}"
        response = self.page(self.hua)
        self.assertContains(response, "Cooperation quality 2026")
        self.assertNotContains(response, assess)
        response = self.page(self.olivia)
        self.assertContains(response, "Cooperation quality 2026")
        self.assertContains(response, assess)
        self.login(self.olivia)
        follow = self.client.get(assess)
        self.assertContains(follow, 'data-testid="assessment-parties"')

    def test_an_organization_without_assessments_says_so(self):
        response = self.page(self.hazel)
        self.assertContains(response, "No published assessment of this organization")
        self.assertEqual(published_assessments(self.charlie, self.huaxin), [])

    def test_the_chart_places_the_scores_by_date_oldest_first(self):
        for days, score in ((100, "5"), (50, "10"), (0, "0")):
            make_assessment(
                self.association,
                self.huaxin,
                entrustment=self.entrustment,
                status=S.PUBLISHED,
                published_days_ago=days,
                criteria=[("A", "1", 10, score)],
            )
        chart = score_chart(published_assessments(self.hua, self.huaxin))
        xs = [point.x for point in chart.points]
        ys = [point.y for point in chart.points]
        self.assertEqual(xs, sorted(xs))
        self.assertAlmostEqual(xs[1] - xs[0], xs[2] - xs[1], delta=1)
        self.assertLess(ys[1], ys[0])  # 100 is higher (smaller y) than 50
        self.assertGreater(ys[2], ys[0])

    def test_the_section_runs_as_many_queries_for_1_assessment_as_for_20(self):
        def add(count):
            for index in range(count):
                make_assessment(
                    self.association,
                    self.huaxin,
                    entrustment=self.entrustment,
                    status=S.PUBLISHED,
                    published_days_ago=index + 2,
                )

        add(1)
        self.login(self.hua)
        url = self.huaxin.get_absolute_url() + "?tab=cooperation"
        assert_constant_queries(self, lambda: self.client.get(url), add, rows=SHOWN)
        access.grants(self.hua)
        queries, rows = count_queries(lambda: published_assessments(self.hua, self.huaxin))
        self.assertEqual((queries, len(rows)), (1, SHOWN))


class TestTheList(PageCase):
    def test_filters_and_the_csv_export(self):
        agreement = make_agreement(self.college, self.huaxin, status="active")
        make_assessment(
            self.association,
            self.huaxin,
            entrustment=self.entrustment,
            status=S.PUBLISHED,
            agreement=agreement,
            title="=HYPERLINK(1)",
        )
        make_assessment(self.bureau, self.lanting, title="The bureau's own")
        self.login(self.olivia)
        url = reverse("assessment-list")
        response = self.client.get(url, {"subject": "agreement"})
        self.assertContains(response, "HYPERLINK")
        self.assertNotContains(response, "bureau&#x27;s own")
        response = self.client.get(url, {"export": "csv", "ordering": "subject"})
        text = response.content.decode("utf-8-sig")
        header, *rows = text.splitlines()
        self.assertEqual(
            header, "id,title,assessor,organization,subject,status,score,published_at,updated_at"
        )
        self.assertIn(
            "'=HYPERLINK(1),Regional Manufacturing Association,Huaxin,"
            "Agreement's fulfilment,Published,80.00,",
            rows[0],
        )
        for params in ({"assessor": 10**30}, {"subject": "x"}, {"ordering": "nonsense"}):
            self.assertEqual(self.client.get(url, params).status_code, 200)

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
                )

        add(1)
        self.login(self.asa)
        url = reverse("assessment-list")
        assert_constant_queries(self, lambda: self.client.get(url), add)
        assert_constant_queries(self, lambda: self.client.get(url + "?export=csv"), add)

    def test_the_page_runs_as_many_queries_for_1_criterion_as_for_30(self):
        agreement = make_agreement(self.college, self.huaxin, status="active")
        assessment = make_assessment(
            self.association,
            self.huaxin,
            entrustment=self.entrustment,
            criteria=[("A", "1", 10, "1")],
            evidence=[agreement],
        )

        def add(count):
            from associations.models import AssessmentCriterion

            AssessmentCriterion.objects.bulk_create(
                AssessmentCriterion(assessment=assessment, name=f"C{n}", weight=1, max_score=5)
                for n in range(count)
            )

        self.login(self.asa)
        assert_constant_queries(
            self, lambda: self.client.get(assessment.get_absolute_url()), add, rows=30
        )


class TestDashboardAndSearch(PageCase):
    def test_the_assessor_is_asked_to_publish_its_drafts(self):
        draft = make_assessment(self.association, self.huaxin, entrustment=self.entrustment)
        make_assessment(
            self.association, self.huaxin, entrustment=self.entrustment, status=S.PUBLISHED
        )
        access.grants(self.sam)
        queries, items = count_queries(lambda: assessments_to_publish(self.sam))
        self.assertEqual(queries, 1)
        self.assertEqual([item.url for item in items], [draft.get_absolute_url()])
        self.assertEqual(assessments_to_publish(self.val), [])
        self.assertEqual(assessments_to_publish(self.hua), [])

    def test_the_assessed_organization_is_asked_to_answer_new_ones(self):
        new = make_assessment(
            self.association, self.huaxin, entrustment=self.entrustment, status=S.PUBLISHED
        )
        make_assessment(
            self.association,
            self.huaxin,
            entrustment=self.entrustment,
            status=S.PUBLISHED,
            published_days_ago=31,
        )
        make_assessment(self.association, self.huaxin, entrustment=self.entrustment)
        access.grants(self.hua)
        queries, items = count_queries(lambda: assessments_to_answer(self.hua))
        self.assertEqual(queries, 1)
        self.assertEqual([item.url for item in items], [new.get_absolute_url()])
        self.assertEqual(assessments_to_answer(self.hazel), [])
        service.response_create(actor=self.hua, assessment=new, text="Thanks")
        self.assertEqual(assessments_to_answer(self.hua), [])
        self.login(self.hank)
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_search_finds_the_assessments_each_reader_sees_by_title(self):
        make_assessment(
            self.association, self.huaxin, entrustment=self.entrustment, title="Draft robotics"
        )
        make_assessment(
            self.association,
            self.huaxin,
            entrustment=self.entrustment,
            status=S.PUBLISHED,
            title="Published robotics",
        )
        for user, found, hidden in (
            (self.asa, ("Draft robotics", "Published robotics"), ()),
            (self.hua, ("Published robotics",), ("Draft robotics",)),
            (self.charlie, (), ("Draft robotics", "Published robotics")),
        ):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(reverse("search"), {"q": "robotics"})
                for title in found:
                    self.assertContains(response, title)
                for title in hidden:
                    self.assertNotContains(response, title)

    def test_the_dashboard_caps_its_lists(self):
        for index in range(25):
            make_assessment(
                self.association,
                self.huaxin,
                entrustment=self.entrustment,
                status=S.PUBLISHED,
                published_days_ago=1 + index / 10,
            )
        self.assertEqual(len(assessments_to_answer(self.hua)), 20)
        self.assertLess(
            timezone.now() - timedelta(days=30),
            Assessment.objects.order_by("published_at")[0].published_at,
        )
