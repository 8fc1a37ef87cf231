"""The associations demo data: seeded twice it stays the same; holds the association's
three members (one in grace) with their dues and a renewal, its published talent-demand
reports, the evaluation of Huaxin it accepted with the published assessment under it,
Huaxin's certification under review under the certification review, and work waiting
on the home pages of ``association``, ``officer2`` and ``enterprise``; and it keeps to
the rules the services enforce."""

from datetime import timedelta
from unittest import mock

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, User
from associations import dashboard
from associations.demo import (
    ASSOCIATION,
    CERTIFICATION_ASSESSMENT,
    CERTIFICATION_REVIEW,
    EVALUATION,
    EVALUATION_ASSESSMENT,
    EVALUATION_SCORE,
    FORECAST,
    SKILLS,
)
from associations.models import (
    Assessment,
    AssessmentCriterion,
    AssessmentEvidence,
    AssessmentStatus,
    AssociationMembership,
    CertificationApplication,
    CertificationStatus,
    DeclaredInvestment,
    Deliverable,
    DemandRow,
    DuesPayment,
    Entrustment,
    EntrustmentKind,
    EntrustmentStatus,
    MembershipRenewal,
    MembershipStatus,
    MembershipType,
    ReportStatus,
    ScopedRead,
    TalentDemandReport,
)
from associations.services import assessments as assessment_services
from associations.services import certifications as certification_services
from associations.services import demand as demand_services
from associations.services import entrustments as entrustment_services
from associations.services.memberships import dues_paid
from partnerships.models import Agreement
from portal.models import Attachment, Notification

MODELS = (
    MembershipType,
    AssociationMembership,
    MembershipRenewal,
    DuesPayment,
    TalentDemandReport,
    DemandRow,
    Entrustment,
    Deliverable,
    ScopedRead,
    Assessment,
    AssessmentCriterion,
    AssessmentEvidence,
    CertificationApplication,
    DeclaredInvestment,
    Attachment,
    Notification,
)

HUAXIN = "Huaxin Precision Manufacturing"
LANTING = "Lanting Software"
RIVERSIDE = "Riverside Vocational College"
BUREAU = "Municipal Education Bureau"
FRAMEWORK = "Framework agreement on the Huaxin Intelligent Manufacturing Industry College"


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def user(username: str) -> User:
    """A fresh user object: the grants and scopes are cached on it."""
    return User.objects.get(username=username)


class TestDemo(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", stdout=mock.MagicMock())
        cls.association = Organization.objects.get(name=ASSOCIATION)
        cls.huaxin = Organization.objects.get(name=HUAXIN)
        cls.evaluation = Entrustment.objects.get(title=EVALUATION)
        cls.review = Entrustment.objects.get(title=CERTIFICATION_REVIEW)
        cls.application = CertificationApplication.objects.get(enterprise=cls.huaxin)

    def test_seeding_twice_changes_nothing(self):
        before = counts()
        call_command("seed_demo", stdout=mock.MagicMock())
        self.assertEqual(counts(), before)
        self.assertGreater(before["AssociationMembership"], 0)
        self.assertGreater(before["ScopedRead"], 0)

    def test_three_members_one_in_grace(self):
        memberships = {
            m.member.name: m
            for m in AssociationMembership.objects.filter(association=self.association)
        }
        self.assertEqual(
            {name: m.status for name, m in memberships.items()},
            {
                HUAXIN: MembershipStatus.ACTIVE,
                RIVERSIDE: MembershipStatus.ACTIVE,
                LANTING: MembershipStatus.GRACE,
            },
        )
        today = timezone.localdate()
        self.assertTrue(today - timedelta(days=30) <= memberships[LANTING].end_date < today)
        types = {t.name: t.annual_dues for t in self.association.membership_types.all()}
        self.assertEqual(len(types), 2)
        self.assertTrue(all(dues > 0 for dues in types.values()))
        for membership in memberships.values():
            payments = list(membership.payments.all())
            self.assertTrue(payments, membership)
            for payment in payments:
                self.assertEqual(payment.amount, membership.membership_type.annual_dues)
                self.assertLessEqual(payment.paid_on, today)
                self.assertGreaterEqual(payment.paid_on, membership.start_date)
        huaxin = memberships[HUAXIN]
        renewal = huaxin.renewals.get()
        self.assertEqual(renewal.new_end, huaxin.end_date)
        self.assertLess(renewal.previous_end, today)
        self.assertEqual(renewal.renewed_by.username, "association")
        self.assertLess(renewal.renewed_at.date(), renewal.previous_end)
        self.assertEqual(dues_paid(huaxin), 2 * huaxin.membership_type.annual_dues)

    def test_the_evaluation_is_accepted_and_scoped_to_huaxin(self):
        entrustment = self.evaluation
        self.assertEqual(
            (entrustment.kind, entrustment.status),
            (EntrustmentKind.EVALUATION, EntrustmentStatus.ACCEPTED),
        )
        self.assertEqual(entrustment.department.name, BUREAU)
        self.assertEqual(entrustment.association, self.association)
        self.assertEqual(list(entrustment.scope_organizations.all()), [self.huaxin])
        self.assertEqual(
            set(entrustment.scope_kinds),
            {
                "partnerships.agreement",
                "partnerships.partnership",
                "internships.practicebase",
                "internships.placement",
            },
        )
        self.assertTrue(entrustment_services.reads_open(entrustment))
        self.assertGreaterEqual(entrustment.deliverables.count(), 2)
        self.assertLess(entrustment.created_at, entrustment.accepted_at)
        self.assertLess(entrustment.accepted_at, timezone.now() - timedelta(days=30))
        accepted = Notification.objects.get(
            recipient__username="officer2", title=f"Accepted: {EVALUATION}"
        )
        self.assertEqual(accepted.created_at, entrustment.accepted_at)

    def test_the_published_assessment_of_huaxin(self):
        assessment = Assessment.objects.get(title=EVALUATION_ASSESSMENT)
        self.assertEqual(assessment.status, AssessmentStatus.PUBLISHED)
        self.assertEqual(
            (assessment.assessor, assessment.organization, assessment.entrustment),
            (self.association, self.huaxin, self.evaluation),
        )
        criteria = list(assessment.criteria.all())
        self.assertTrue(4 <= len(criteria) <= 5)
        self.assertTrue(all(c.score is not None and c.comment for c in criteria))
        self.assertEqual(assessment.score, EVALUATION_SCORE)
        self.assertEqual(assessment_services.rubric_score(criteria), assessment.score)
        self.assertTrue(assessment.created_at < assessment.published_at < timezone.now())
        names = {row.record_name for row in assessment.evidence.all()}
        self.assertTrue(any(FRAMEWORK in name for name in names), names)
        self.assertIn("Huaxin Intelligent Manufacturing Practice Base", names)
        links = assessment_services.evidence_links(user("association"), assessment.evidence.all())
        self.assertGreaterEqual(len(links), 4)
        self.assertTrue(all(link.url for link in links), links)

    def test_the_published_talent_demand_reports(self):
        reports = list(
            TalentDemandReport.objects.filter(
                association=self.association, status=ReportStatus.PUBLISHED
            ).order_by("-published_at")
        )
        self.assertEqual(len(reports), 2)
        current, earlier = reports
        this_year = timezone.localdate().year
        self.assertEqual((current.first_year, current.last_year), (this_year, this_year + 2))
        for report in reports:
            self.assertEqual((report.industry, report.region), ("Manufacturing", "Hangzhou"))
            rows = list(report.rows.all())
            specialties = {row.specialty for row in rows}
            self.assertGreaterEqual(len(specialties), 4)
            self.assertEqual(len(rows), 3 * len(specialties))
        self.assertEqual(demand_services.newer_report(earlier), current)
        self.assertGreater(current.published_at, timezone.now() - timedelta(days=30))

    def test_the_forecast_was_delivered_with_its_files(self):
        entrustment = Entrustment.objects.get(title=FORECAST)
        self.assertEqual(entrustment.status, EntrustmentStatus.DELIVERED)
        self.assertEqual(entrustment_services.undelivered(entrustment), [])
        self.assertTrue(entrustment.accepted_at < entrustment.delivered_at < timezone.now())
        for deliverable in entrustment.deliverables.all():
            self.assertEqual(deliverable.delivered_at, entrustment.delivered_at)

    def test_the_certification_is_under_review_under_the_certification_review(self):
        application = self.application
        self.assertEqual(application.status, CertificationStatus.UNDER_REVIEW)
        self.assertEqual(application.reviewer, self.review)
        review = self.review
        self.assertEqual(
            (review.kind, review.status),
            (EntrustmentKind.CERTIFICATION, EntrustmentStatus.ACCEPTED),
        )
        self.assertEqual(list(review.scope_organizations.all()), [self.huaxin])
        self.assertIn("associations.certificationapplication", review.scope_kinds)
        self.assertIn("partnerships.agreement", review.scope_kinds)
        self.assertIn("internships.practicebase", review.scope_kinds)
        self.assertEqual(certification_services.review_problem(review, application), "")
        investments = list(application.investments.all())
        self.assertGreaterEqual(len({row.year for row in investments}), 2)
        self.assertGreaterEqual(len({row.kind for row in investments}), 4)
        self.assertTrue(all(row.year < timezone.localdate().year for row in investments))
        self.assertTrue(
            application.created_at < application.submitted_at < application.review_started_at
        )
        self.assertGreater(review.accepted_at, review.created_at)
        self.assertLess(review.accepted_at, application.review_started_at)
        submitted = Notification.objects.filter(
            recipient__username="officer2", title__contains=f"{application.number} of {HUAXIN}"
        )
        self.assertEqual(submitted.count(), 1)
        self.assertIn(
            application,
            CertificationApplication.objects.visible_to(user("association")),
        )
        draft = Assessment.objects.get(title=CERTIFICATION_ASSESSMENT)
        self.assertEqual(
            (draft.status, draft.certification, draft.entrustment),
            (AssessmentStatus.DRAFT, application, review),
        )

    def test_each_demo_user_has_work_waiting(self):
        association = user("association")
        self.assertEqual(
            [item.label for item in dashboard.entrustments_to_accept(association)],
            [f"Accept or decline “{SKILLS}”"],
        )
        due = dashboard.deliverables_due(association)
        self.assertEqual(len(due), 1)
        self.assertIn(EVALUATION, due[0].label)
        self.assertTrue(0 <= (due[0].due - timezone.localdate()).days <= 14)
        to_publish = dashboard.assessments_to_publish(association)
        self.assertEqual(len(to_publish), 1)
        self.assertIn(CERTIFICATION_ASSESSMENT, to_publish[0].label)
        to_renew = dashboard.memberships_to_renew(association)
        self.assertEqual(len(to_renew), 1)
        self.assertIn(f"{LANTING}'s membership", to_renew[0].label)
        self.assertIn("in grace", to_renew[0].label)

        officer = user("officer2")
        to_review = dashboard.deliveries_to_review(officer)
        self.assertEqual(len(to_review), 1)
        self.assertIn(FORECAST, to_review[0].label)

        enterprise = user("enterprise")
        to_answer = dashboard.assessments_to_answer(enterprise)
        self.assertEqual(len(to_answer), 1)
        self.assertIn(EVALUATION_ASSESSMENT, to_answer[0].label)
        self.assertIn(str(EVALUATION_SCORE), to_answer[0].label)

    def test_the_association_reads_huaxins_agreements_through_the_scope_only(self):
        association = user("association")
        visible = set(Agreement.objects.visible_to(association))
        huaxins = set(Agreement.objects.filter(parties__organization=self.huaxin))
        lantings = set(Agreement.objects.filter(parties__organization__name=LANTING))
        self.assertTrue(huaxins)
        self.assertTrue(lantings)
        self.assertLessEqual(huaxins, visible)
        self.assertFalse(lantings & visible)
        framework = Agreement.objects.get(title=FRAMEWORK)
        self.assertFalse(framework.parties.filter(organization=self.association).exists())
        read = ScopedRead.objects.filter(
            record_kind="partnerships.agreement", record_id=framework.pk
        ).earliest("read_at")
        self.assertEqual(read.user.username, "association")
        self.assertEqual(read.entrustment, self.evaluation)
        self.assertLess(
            read.read_at, Assessment.objects.get(title=EVALUATION_ASSESSMENT).created_at
        )

    def test_the_past_is_not_news(self):
        """Notifications of what happened before today are read and not emailed; the
        proposal made today is news."""
        past = Notification.objects.filter(created_at__lt=timezone.now() - timedelta(days=1))
        self.assertTrue(past.filter(title__contains=EVALUATION_ASSESSMENT).exists())
        self.assertFalse(past.filter(read_at__isnull=True).exists())
        self.assertFalse(past.filter(email_pending=True).exists())
        proposal = Notification.objects.get(
            recipient__username="association", title__contains=SKILLS
        )
        self.assertIsNone(proposal.read_at)

    def test_the_demo_pages_open(self):
        pages = {
            "association": [
                self.evaluation,
                self.review,
                self.application,
                Assessment.objects.get(title=EVALUATION_ASSESSMENT),
                Assessment.objects.get(title=CERTIFICATION_ASSESSMENT),
                AssociationMembership.objects.get(member__name=LANTING),
            ],
            "officer2": [Entrustment.objects.get(title=FORECAST), self.application],
            "enterprise": [Assessment.objects.get(title=EVALUATION_ASSESSMENT), self.application],
        }
        for username, records in pages.items():
            self.client.force_login(user(username))
            for record in records:
                response = self.client.get(record.get_absolute_url())
                self.assertEqual(response.status_code, 200, (username, record))
        waiting = {
            "association": [
                "Entrustments to accept",
                "Deliverables due",
                "Assessments to publish",
                "Memberships to renew",
            ],
            "officer2": ["Deliveries to review"],
            "enterprise": ["New assessments to answer"],
        }
        for username, categories in waiting.items():
            self.client.force_login(user(username))
            home = self.client.get(reverse("home"))
            for category in categories:
                self.assertContains(home, category, msg_prefix=username)
