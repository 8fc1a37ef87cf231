"""Certification pages: the shared permission cases (the owner is an enterprise), the
form with its rows, each step from the page, the published assessments shown, the
printable certificate with the surtax credit, the list and its CSV, and the badge on the
organization's page, in the directory (no extra query per row), and beside the host of
a placement and a practice base."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganizationKind
from associations.models import Assessment, CertificationApplication
from tests.factories import OrganizationFactory
from tests.helpers import permissions
from tests.helpers.queries import assert_constant_queries
from tests.internships.helpers import make_base, make_placement

from .certifications import (
    ROWS,
    S,
    form_data,
    make_application,
    make_review_entrustment,
)
from .entrustments import TODAY
from .test_certifications_api import EnterpriseOwner

BADGE = 'data-testid="certified-badge"'


class TestCertificationPagePermissions(EnterpriseOwner, permissions.PagePermissionCases):
    list_url_name = "certification-list"
    detail_url_name = "certification-detail"
    edit_url_name = "certification-edit"

    def make_record(self):
        return make_application(self.huaxin)

    def edit_data(self):
        return form_data("Huaxin trains 250 students a year.")

    def test_the_evidence_tab_opens_for_whoever_reads_it(self):
        for person in (self.alice, self.victor, self.olivia):
            self.client.force_login(person)
            response = self.client.get(self.detail_url() + "?tab=evidence")
            self.assertContains(response, 'data-testid="evidence-agreements"')


class PageCase(EnterpriseOwner, permissions.People, permissions.TestCase):
    def setUp(self):
        self.entrustment = make_review_entrustment(
            self.bureau, self.association, scope=[self.huaxin]
        )

    def page(self, user, application, suffix=""):
        self.client.force_login(user)
        return self.client.get(application.get_absolute_url() + suffix)

    def step(self, user, application, verb, data=None):
        self.client.force_login(user)
        return self.client.post(
            reverse(f"certification-{verb}", args=[application.pk]), data or {}, follow=True
        )


class TestDraftingOnThePage(PageCase):
    def test_the_enterprise_drafts_with_its_rows_and_submits(self):
        self.client.force_login(self.hua)
        response = self.client.get(reverse("certification-create"))
        self.assertContains(response, 'name="investments-0-year"')
        response = self.client.post(
            reverse("certification-create"), form_data(enterprise=self.huaxin)
        )
        self.assertEqual(response.status_code, 302)
        application = CertificationApplication.objects.get()
        self.assertEqual(application.investments.count(), 3)  # the blank line left out
        self.assertEqual(application.enterprise, self.huaxin)
        page = self.page(self.hua, application)
        self.assertContains(page, "450,000.00")
        response = self.step(self.hua, application, "submit")
        self.assertContains(response, "Submitted: government has been told.")
        application.refresh_from_db()
        self.assertEqual(application.status, S.SUBMITTED)

    def test_the_edit_keeps_unchanged_rows_and_drops_the_removed_ones(self):
        application = make_application(self.huaxin)
        self.client.force_login(self.hugo)
        response = self.client.get(reverse("certification-edit", args=[application.pk]))
        self.assertContains(response, 'value="CNC lathes for the training centre"')
        data = form_data("Updated.", rows=ROWS)
        data["investments-INITIAL_FORMS"] = "3"
        data["investments-1-DELETE"] = "on"
        response = self.client.post(reverse("certification-edit", args=[application.pk]), data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            sorted(application.investments.values_list("kind", flat=True)), ["equipment", "other"]
        )

    def test_row_errors_are_next_to_their_fields(self):
        self.client.force_login(self.hua)
        data = form_data(enterprise=self.huaxin)
        data["investments-0-amount"] = "-5"
        response = self.client.post(reverse("certification-create"), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="id_investments-0-amount_errors"')
        self.assertFalse(CertificationApplication.objects.exists())

    def test_a_second_live_application_is_said_on_the_form(self):
        live = make_application(self.huaxin, status=S.UNDER_REVIEW)
        self.client.force_login(self.hua)
        response = self.client.post(
            reverse("certification-create"), form_data(enterprise=self.huaxin)
        )
        self.assertContains(response, live.number)
        self.assertEqual(CertificationApplication.objects.count(), 1)

    def test_only_an_enterprises_admins_and_staff_apply(self):
        for person in (self.olivia, self.asa, self.charlie, self.hana):
            self.client.force_login(person)
            self.assertEqual(self.client.get(reverse("certification-create")).status_code, 403)


class TestReviewOnThePage(PageCase):
    def test_government_starts_the_review_certifies_and_revokes(self):
        application = make_application(self.huaxin, status=S.SUBMITTED)
        page = self.page(self.olivia, application)
        self.assertContains(page, "Certification review 2026 · Regional Manufacturing")
        response = self.step(
            self.olivia, application, "start-review", {"entrustment": self.entrustment.pk}
        )
        self.assertContains(response, "Review started")
        self.assertNotContains(self.page(self.olivia, application), 'action="/certifications/')
        page = self.page(self.gary, application)
        self.assertContains(page, reverse("certification-certify", args=[application.pk]))
        self.assertContains(page, reverse("certification-refuse", args=[application.pk]))
        response = self.step(self.gary, application, "certify", {"valid_until": ""})
        self.assertContains(response, "Certified: the enterprise has been told.")
        application.refresh_from_db()
        self.assertEqual(application.valid_until.year, TODAY.year + 3)
        response = self.step(self.gary, application, "revoke", {"reasons": ""})
        self.assertContains(response, "Reasons: This field is required.")
        response = self.step(self.gary, application, "revoke", {"reasons": "False figures."})
        self.assertContains(response, 'data-testid="certification-reasons"')
        self.assertContains(response, "False figures.")

    def test_no_fitting_entrustment_says_what_to_do(self):
        application = make_application(self.lanting, status=S.SUBMITTED)
        page = self.page(self.olivia, application)
        self.assertContains(page, 'data-testid="no-review-entrustment"')
        response = self.step(
            self.olivia, application, "start-review", {"entrustment": self.entrustment.pk}
        )
        self.assertContains(response, "No entrustment fits")

    def test_staff_cannot_certify_from_the_page(self):
        application = make_application(self.huaxin, status=S.UNDER_REVIEW)
        self.assertNotContains(
            self.page(self.olivia, application),
            reverse("certification-certify", args=[application.pk]),
        )
        response = self.step(self.olivia, application, "certify")
        self.assertEqual(response.status_code, 403)

    def test_the_published_assessments_are_shown_to_those_who_see_them(self):
        application = make_application(
            self.huaxin, status=S.UNDER_REVIEW, reviewer=self.entrustment
        )
        Assessment.objects.create(
            assessor=self.association,
            organization=self.huaxin,
            entrustment=self.entrustment,
            certification=application,
            title="Assessment of Huaxin's certification",
            status="published",
            score="86.50",
            published_at=timezone.now(),
        )
        Assessment.objects.create(
            assessor=self.association,
            organization=self.huaxin,
            certification=application,
            title="A draft still",
        )
        for person in (self.gary, self.hua, self.asa):
            page = self.page(person, application)
            self.assertContains(page, "Assessment of Huaxin&#x27;s certification")
            self.assertContains(page, "86.50")
            self.assertNotContains(page, "A draft still")


class TestTheCertificate(PageCase):
    def test_it_prints_the_enterprise_number_validity_and_credit(self):
        application = make_application(self.huaxin, status=S.CERTIFIED, reviewer=self.entrustment)
        response = self.page(self.hana, application, "certificate/")
        self.assertContains(response, "Huaxin")
        self.assertContains(response, application.number)
        self.assertContains(
            response,
            f"{application.valid_from:%Y-%m-%d} – {application.valid_until:%Y-%m-%d}",
        )
        self.assertContains(response, "In force")
        self.assertContains(response, "¥450,000.00")  # 30% of 1,500,000
        self.assertContains(response, "财税〔2019〕46号")
        self.assertContains(response, "the tax authority decides")
        self.assertNotContains(response, 'data-testid="certificate-void"')

    def test_a_revoked_one_is_marked_and_a_draft_has_none(self):
        revoked = make_application(self.huaxin, status=S.REVOKED, revoked_at=timezone.now())
        response = self.page(self.hua, revoked, "certificate/")
        self.assertContains(response, 'data-testid="certificate-void"')
        self.assertContains(response, "Revoked")
        draft = make_application(self.lanting)
        self.client.force_login(self.olivia)
        self.assertEqual(self.page(self.olivia, draft, "certificate/").status_code, 404)
        self.assertEqual(self.page(self.charlie, revoked, "certificate/").status_code, 404)


class TestTheList(PageCase):
    def test_filters_and_csv(self):
        huaxin = make_application(self.huaxin, status=S.CERTIFIED)
        make_application(self.lanting)
        self.client.force_login(self.olivia)
        response = self.client.get(reverse("certification-list"), {"status": "certified"})
        self.assertContains(response, huaxin.number)
        self.assertContains(response, "1,500,000.00")
        response = self.client.get(reverse("certification-list"), {"export": "csv"})
        text = response.content.decode()
        self.assertIn("qualifying_investment", text.splitlines()[0])
        self.assertIn(huaxin.number, text)

    def test_the_list_runs_the_same_queries_for_one_and_many(self):
        make_application(self.huaxin)

        def add(count):
            for number in range(count):
                enterprise = OrganizationFactory(
                    kind=OrganizationKind.ENTERPRISE, name=f"Enterprise {number}"
                )
                make_application(enterprise, status=S.CERTIFIED)

        self.client.force_login(self.olivia)
        assert_constant_queries(
            self, lambda: self.client.get(reverse("certification-list")), add, rows=25
        )


class TestTheBadge(PageCase):
    def test_it_shows_on_the_organization_page_while_the_certificate_is_in_force(self):
        application = make_application(self.huaxin, status=S.CERTIFIED)
        self.client.force_login(self.olivia)
        self.assertContains(self.client.get(self.huaxin.get_absolute_url()), BADGE)
        self.assertContains(
            self.client.get(self.huaxin.get_absolute_url()), "Industry–education integration"
        )
        self.assertNotContains(self.client.get(self.lanting.get_absolute_url()), BADGE)
        self.client.force_login(self.hana)  # its own viewer
        self.assertContains(self.client.get(self.huaxin.get_absolute_url()), BADGE)
        CertificationApplication.objects.filter(pk=application.pk).update(
            valid_until=TODAY - timedelta(days=1)
        )
        self.assertNotContains(self.client.get(self.huaxin.get_absolute_url()), BADGE)
        CertificationApplication.objects.filter(pk=application.pk).update(
            valid_until=TODAY + timedelta(days=1), status=S.REVOKED
        )
        self.assertNotContains(self.client.get(self.huaxin.get_absolute_url()), BADGE)

    def test_in_chinese_it_reads_once(self):
        make_application(self.huaxin, status=S.CERTIFIED)
        self.client.force_login(self.olivia)
        response = self.client.get(self.huaxin.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertContains(response, "产教融合型企业</span>")

    def test_the_directory_marks_each_certified_row_without_a_query_per_row(self):
        make_application(self.huaxin, status=S.CERTIFIED)
        self.client.force_login(self.olivia)
        response = self.client.get(reverse("organization-list"))
        self.assertContains(response, BADGE, count=1)

        def add(count):
            for number in range(count):
                enterprise = OrganizationFactory(
                    kind=OrganizationKind.ENTERPRISE, name=f"Certified {number}"
                )
                make_application(enterprise, status=S.CERTIFIED)

        assert_constant_queries(
            self, lambda: self.client.get(reverse("organization-list")), add, rows=20
        )
        response = self.client.get(reverse("organization-list"))
        self.assertContains(response, BADGE, count=20)

    def test_beside_the_host_of_a_placement_and_a_practice_base(self):
        make_application(self.huaxin, status=S.CERTIFIED)
        placement = make_placement(self.huaxin, self.college)
        base = make_base(self.huaxin, self.college)
        self.client.force_login(self.hua)
        for record in (placement, base):
            self.assertContains(self.client.get(record.get_absolute_url()), BADGE)
