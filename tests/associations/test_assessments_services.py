"""Assessments in the service layer: the transition table; who drafts (an association
only under an open entrustment whose scope includes the organization, a department
directly); subjects and evidence the drafter cannot see read as missing; the score's
arithmetic at its boundaries; publishing needs every score and fixes it; a published
assessment never changes; the assessed organization answers once."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from associations.models import (
    MAX_CRITERIA,
    MAX_EVIDENCE,
    Assessment,
    AssessmentCriterion,
    AssessmentResponse,
    AssessmentStatus,
    Entrustment,
    EntrustmentStatus,
)
from associations.services import assessments as service
from internships.models import PracticeBase
from partnerships.models import Partnership, PartnershipMember
from portal import access
from portal.models import Notification
from portal.workflow import InvalidTransition
from tests.factories import OrganizationFactory, make_agreement, member

from .assessments import AssessmentPeople, criterion_rows, make_assessment
from .entrustments import TODAY, make_entrustment

S = AssessmentStatus


class AssessmentCase(AssessmentPeople, TestCase):
    def draft(self, actor=None, **overrides):
        data = {
            "actor": actor or self.asa,
            "assessor": self.association,
            "organization": self.huaxin,
            "title": "Cooperation quality 2026",
            "criteria": criterion_rows(),
        }
        data.update(overrides)
        for user in (data["actor"],):
            access.forget_grants(user)  # the scopes are cached on the user object
        return service.assessment_create(**data)


class TestTheTransitionTable(AssessmentCase):
    def test_a_draft_only_publishes_and_a_published_one_goes_nowhere(self):
        self.assertEqual(service.TRANSITIONS[S.DRAFT], {S.PUBLISHED})
        self.assertEqual(service.TRANSITIONS[S.PUBLISHED], frozenset())
        self.assertEqual(set(service.TRANSITIONS), set(S.values))

    def test_every_status_meets_the_table(self):
        for status in S.values:
            with self.subTest(status=status):
                assessment = make_assessment(
                    self.association, self.huaxin, entrustment=self.entrustment, status=status
                )
                if S.PUBLISHED in service.TRANSITIONS[status]:
                    published = service.assessment_publish(actor=self.sam, assessment=assessment)
                    self.assertEqual(published.status, S.PUBLISHED)
                else:
                    with self.assertRaises(InvalidTransition):
                        service.assessment_publish(actor=self.sam, assessment=assessment)

    def test_a_published_assessment_never_changes(self):
        assessment = make_assessment(
            self.association, self.huaxin, entrustment=self.entrustment, status=S.PUBLISHED
        )
        with self.assertRaises(InvalidTransition):
            service.assessment_update(actor=self.asa, assessment=assessment, title="Changed")
        assessment.refresh_from_db()
        self.assertEqual(assessment.title, "Cooperation quality 2026")


class TestWhoDrafts(AssessmentCase):
    def test_an_association_drafts_under_its_open_entrustment(self):
        for user in (self.asa, self.sam):
            with self.subTest(user=user.username):
                assessment = self.draft(user)
                self.assertEqual(assessment.entrustment, self.entrustment)
                self.assertEqual(assessment.status, S.DRAFT)
                self.assertEqual(assessment.created_by, user)
                self.assertEqual(assessment.criteria.count(), 2)

    def test_a_viewer_or_an_outsider_may_not(self):
        for user in (self.val, self.hua, self.charlie):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.draft(user)
        self.assertFalse(Assessment.objects.exists())

    def test_outside_the_scope_it_is_refused(self):
        with self.assertRaises(ValidationError) as refused:
            self.draft(organization=self.lanting)
        self.assertIn("organization", refused.exception.message_dict)
        self.assertIn("Lanting", str(refused.exception))

    def test_without_an_open_entrustment_it_is_refused(self):
        cases = {
            "proposed": {"status": EntrustmentStatus.PROPOSED},
            "approved": {"status": EntrustmentStatus.APPROVED},
            "cancelled": {"status": EntrustmentStatus.CANCELLED},
            "ended": {"end_date": TODAY - timedelta(days=1)},
            "not started": {"start_date": TODAY + timedelta(days=1)},
        }
        for name, change in cases.items():
            with self.subTest(name):
                Entrustment.objects.filter(pk=self.entrustment.pk).update(
                    status=EntrustmentStatus.ACCEPTED,
                    start_date=TODAY - timedelta(days=10),
                    end_date=TODAY + timedelta(days=100),
                )
                Entrustment.objects.filter(pk=self.entrustment.pk).update(**change)
                with self.assertRaises(ValidationError) as refused:
                    self.draft()
                self.assertIn("organization", refused.exception.message_dict)
        self.assertFalse(Assessment.objects.exists())

    def test_delivered_or_returned_work_is_still_open(self):
        for status in (EntrustmentStatus.DELIVERED, EntrustmentStatus.RETURNED):
            Entrustment.objects.filter(pk=self.entrustment.pk).update(status=status)
            self.assertEqual(self.draft().entrustment_id, self.entrustment.pk)

    def test_another_associations_entrustment_is_refused(self):
        other = OrganizationFactory(name="Software Association", kind="association")
        theirs = make_entrustment(
            self.bureau, other, status=EntrustmentStatus.ACCEPTED, scope=[self.huaxin]
        )
        with self.assertRaises(ValidationError) as refused:
            self.draft(entrustment=theirs)
        self.assertIn("entrustment", refused.exception.message_dict)

    def test_with_two_open_entrustments_the_one_is_named(self):
        second = make_entrustment(
            self.bureau,
            self.association,
            status=EntrustmentStatus.ACCEPTED,
            scope=[self.huaxin],
            title="Skills",
        )
        with self.assertRaises(ValidationError) as refused:
            self.draft()
        self.assertIn("entrustment", refused.exception.message_dict)
        self.assertEqual(self.draft(entrustment=second).entrustment, second)

    def test_a_department_assesses_directly(self):
        assessment = self.draft(self.olivia, assessor=self.bureau, organization=self.lanting)
        self.assertIsNone(assessment.entrustment)
        with self.assertRaises(ValidationError) as refused:
            self.draft(self.olivia, assessor=self.bureau, entrustment=self.entrustment)
        self.assertIn("entrustment", refused.exception.message_dict)

    def test_only_colleges_and_enterprises_are_assessed(self):
        for organization in (self.bureau, self.association):
            with self.subTest(organization=organization.name):
                with self.assertRaises(ValidationError) as refused:
                    self.draft(self.olivia, assessor=self.bureau, organization=organization)
                self.assertIn("organization", refused.exception.message_dict)

    def test_a_college_or_an_enterprise_does_not_assess(self):
        with self.assertRaises(PermissionDenied):
            self.draft(self.hua, assessor=self.huaxin, organization=self.lanting)


class TestTheSubject(AssessmentCase):
    def setUp(self):
        self.agreement = make_agreement(self.college, self.huaxin, status="active")
        self.partnership = Partnership.objects.create(
            name="Huaxin industry college", kind="industry_college", lead=self.college
        )
        PartnershipMember.objects.create(partnership=self.partnership, organization=self.huaxin)
        self.base = PracticeBase.objects.create(
            name="Huaxin base",
            host=self.huaxin,
            address="1 Road",
            stations=10,
            safety_officer_name="Wu",
            safety_officer_phone="123",
        )

    def test_a_subject_of_the_organization_seen_through_the_scope(self):
        for field, record in (
            ("agreement", self.agreement),
            ("partnership", self.partnership),
            ("practice_base", self.base),
        ):
            with self.subTest(field=field):
                assessment = self.draft(**{field: record})
                self.assertEqual(service.subject_kind(assessment), field)
                self.assertEqual(service.subject_record(assessment), record)

    def test_a_subject_the_drafter_cannot_see_reads_as_missing(self):
        Entrustment.objects.filter(pk=self.entrustment.pk).update(
            scope_kinds=["internships.practicebase"]
        )
        with self.assertRaises(ValidationError) as refused:
            self.draft(agreement=self.agreement)
        self.assertEqual(
            refused.exception.message_dict,
            {"agreement": ["No such record, or not one you can see."]},
        )

    def test_a_subject_of_another_organization_is_refused(self):
        theirs = make_agreement(self.college, self.lanting, status="active")
        with self.assertRaises(ValidationError) as refused:
            self.draft(self.olivia, assessor=self.bureau, agreement=theirs)
        self.assertIn("not one of Huaxin's", str(refused.exception))
        lead = Partnership.objects.create(
            name="Lanting's", kind="industry_college", lead=self.lanting
        )
        with self.assertRaises(ValidationError):
            self.draft(self.olivia, assessor=self.bureau, partnership=lead)

    def test_at_most_one_subject(self):
        with self.assertRaises(ValidationError):
            self.draft(agreement=self.agreement, practice_base=self.base)
        assessment = self.draft(agreement=self.agreement)
        with self.assertRaises(ValidationError):
            service.assessment_update(
                actor=self.asa, assessment=assessment, practice_base=self.base
            )
        moved = service.assessment_update(
            actor=self.asa, assessment=assessment, practice_base=self.base, agreement=None
        )
        self.assertEqual(service.subject_kind(moved), "practice_base")


class TestTheScore(AssessmentCase):
    def score(self, rows):
        criteria = [
            AssessmentCriterion(
                name=f"C{index}",
                weight=Decimal(weight),
                max_score=highest,
                score=None if score is None else Decimal(score),
            )
            for index, (weight, highest, score) in enumerate(rows)
        ]
        return service.rubric_score(criteria)

    def test_the_weighted_share_of_each_maximum(self):
        # (60 × 8/10 + 40 × 4/5) / 100 × 100 = 80
        self.assertEqual(self.score([("60", 10, "8"), ("40", 5, "4")]), Decimal("80.00"))
        # weights need not add up to 100: (1 × 1/3 + 2 × 2/3) / 3 × 100 = 55.555… → 55.56
        self.assertEqual(self.score([("1", 3, "1"), ("2", 3, "2")]), Decimal("55.56"))

    def test_all_zero_and_all_full_marks(self):
        self.assertEqual(self.score([("0.01", 1, "0"), ("100", 100, "0")]), Decimal("0.00"))
        self.assertEqual(self.score([("0.01", 1, "1"), ("100", 100, "100")]), Decimal("100.00"))
        self.assertEqual(self.score([("100", 100, "100")] * MAX_CRITERIA), Decimal("100.00"))

    def test_the_smallest_and_largest_weights_and_maxima(self):
        # 0.01 × 1 + 100 × 0 over 100.01: 0.0099… → 0.01
        self.assertEqual(self.score([("0.01", 1, "1"), ("100", 1, "0")]), Decimal("0.01"))
        # half a hundredth rounds up: 1 × 0.01/100 → 0.01 % of 1 → 0.01
        self.assertEqual(self.score([("1", 100, "0.01")]), Decimal("0.01"))
        self.assertEqual(self.score([("3", 100, "0.01"), ("1", 100, "0")]), Decimal("0.01"))
        # exactly half-way: 0.005 → 0.01 (half up), whatever the order of the rows
        rows = [("1", 100, "0.01"), ("1", 100, "0")]
        self.assertEqual(self.score(rows), Decimal("0.01"))
        self.assertEqual(self.score(rows[::-1]), Decimal("0.01"))

    def test_nothing_until_every_criterion_is_scored(self):
        self.assertIsNone(self.score([]))
        self.assertIsNone(self.score([("60", 10, "8"), ("40", 5, None)]))

    def test_a_score_above_the_highest_or_a_wild_number_is_refused(self):
        for rows in (
            [{"name": "A", "weight": "60", "max_score": 5, "score": "6"}],
            [{"name": "A", "weight": "0", "max_score": 5}],
            [{"name": "A", "weight": "100.01", "max_score": 5}],
            [{"name": "A", "weight": "1e30", "max_score": 5}],
            [{"name": "A", "weight": "NaN", "max_score": 5}],
            [{"name": "A", "weight": "5", "max_score": 0}],
            [{"name": "A", "weight": "5", "max_score": 101}],
            [{"name": "A", "weight": "5", "max_score": 10**30}],
            [{"name": "A", "weight": "5", "max_score": 5, "score": "-1"}],
            [{"name": "", "weight": "5"}],
            [{"name": "x" * 201, "weight": "5"}],
            [{"name": "A", "weight": "5"}] * (MAX_CRITERIA + 1),
        ):
            with self.subTest(rows=str(rows)[:80]), self.assertRaises(ValidationError) as refused:
                self.draft(criteria=rows)
            self.assertIn("criteria", refused.exception.message_dict)
        self.assertFalse(Assessment.objects.exists())


class TestPublishing(AssessmentCase):
    def test_every_criterion_must_be_scored(self):
        assessment = self.draft(
            criteria=criterion_rows([("A", "60", 10, "8"), ("B", "40", 5, None)])
        )
        with self.assertRaises(ValidationError) as refused:
            service.assessment_publish(actor=self.asa, assessment=assessment)
        self.assertIn("B", str(refused.exception))
        empty = self.draft(criteria=[])
        with self.assertRaises(ValidationError):
            service.assessment_publish(actor=self.asa, assessment=empty)

    def test_the_score_is_fixed_and_the_organization_is_told(self):
        assessment = self.draft()
        published = service.assessment_publish(actor=self.sam, assessment=assessment)
        self.assertEqual(published.score, Decimal("80.00"))
        self.assertIsNotNone(published.published_at)
        told = Notification.objects.filter(url=assessment.get_absolute_url())
        self.assertEqual({n.recipient.username for n in told}, {"hua", "hank"})

    def test_only_the_assessors_admins_and_staff_publish(self):
        assessment = self.draft()
        for user in (self.val, self.hua, self.olivia, self.charlie):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                service.assessment_publish(actor=user, assessment=assessment)

    def test_once_the_entrustment_closes_the_draft_is_frozen(self):
        assessment = self.draft()
        Entrustment.objects.filter(pk=self.entrustment.pk).update(status=EntrustmentStatus.APPROVED)
        with self.assertRaises(ValidationError) as refused:
            service.assessment_publish(actor=self.asa, assessment=assessment)
        self.assertIn("entrustment", refused.exception.message_dict)
        with self.assertRaises(ValidationError):
            service.assessment_update(actor=self.asa, assessment=assessment, title="Late")
        assessment.refresh_from_db()
        self.assertEqual(service.assessment_actions(self.asa, assessment), set())


class TestEvidence(AssessmentCase):
    def setUp(self):
        self.agreement = make_agreement(self.college, self.huaxin, status="active")
        self.elsewhere = make_agreement(self.college, self.lanting, status="active")

    def test_records_of_the_organization_the_drafter_sees_are_cited_by_name(self):
        rows = [{"record_kind": "partnerships.agreement", "record_id": self.agreement.pk}] * 2
        assessment = self.draft(evidence=rows)
        (cited,) = assessment.evidence.all()
        self.assertEqual(cited.record_name, str(self.agreement))

    def test_a_hidden_missing_or_foreign_record_reads_as_missing(self):
        for kind, record_id in (
            ("partnerships.agreement", self.elsewhere.pk),  # Lanting's: outside the scope
            ("partnerships.agreement", 10**9),
            ("internships.student", 1),
            ("partnerships.agreement", 10**30),
            ("partnerships.agreement", "12; drop table"),
        ):
            with self.subTest(kind=kind, record_id=record_id):
                with self.assertRaises(ValidationError) as refused:
                    self.draft(evidence=[{"record_kind": kind, "record_id": record_id}])
                self.assertIn("evidence", refused.exception.message_dict)
        # government sees Lanting's agreement, but it is not Huaxin's
        with self.assertRaises(ValidationError):
            self.draft(
                self.olivia,
                assessor=self.bureau,
                evidence=[
                    {"record_kind": "partnerships.agreement", "record_id": self.elsewhere.pk}
                ],
            )

    def test_at_most_max_evidence(self):
        rows = [{"record_kind": "partnerships.agreement", "record_id": n} for n in range(1, 102)]
        self.assertGreater(len(rows), MAX_EVIDENCE)
        with self.assertRaises(ValidationError):
            self.draft(evidence=rows)

    def test_links_only_for_readers_who_see_the_record(self):
        assessment = self.draft(
            evidence=[{"record_kind": "partnerships.agreement", "record_id": self.agreement.pk}]
        )
        rows = list(assessment.evidence.all())
        (seen,) = service.evidence_links(self.olivia, rows)
        self.assertEqual(seen.url, self.agreement.get_absolute_url())
        (hidden,) = service.evidence_links(self.charlie, rows)
        self.assertEqual(hidden.url, "")
        self.assertEqual(hidden.evidence.record_name, str(self.agreement))


class TestTheResponse(AssessmentCase):
    def setUp(self):
        self.assessment = make_assessment(
            self.association, self.huaxin, entrustment=self.entrustment, status=S.PUBLISHED
        )

    def test_the_assessed_organization_answers_once(self):
        response = service.response_create(
            actor=self.hank, assessment=self.assessment, text=" We disagree on resources. "
        )
        self.assertEqual(response.text, "We disagree on resources.")
        told = Notification.objects.filter(url=response.get_absolute_url())
        self.assertEqual({n.recipient.username for n in told}, {"asa", "sam", "alice", "bob"})
        with self.assertRaises(ValidationError):
            service.response_create(actor=self.hua, assessment=self.assessment, text="Again")
        self.assertEqual(AssessmentResponse.objects.count(), 1)

    def test_only_its_admins_and_staff_and_only_when_published(self):
        for user in (self.hazel, self.asa, self.olivia, self.charlie):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                service.response_create(actor=user, assessment=self.assessment, text="Hi")
        draft = make_assessment(self.association, self.huaxin, entrustment=self.entrustment)
        with self.assertRaises(InvalidTransition):
            service.response_create(actor=self.hua, assessment=draft, text="Hi")
        with self.assertRaises(ValidationError):
            service.response_create(actor=self.hua, assessment=self.assessment, text="   ")

    def test_actions_follow_the_status_and_the_role(self):
        draft = make_assessment(self.association, self.huaxin, entrustment=self.entrustment)
        self.assertEqual(service.assessment_actions(self.sam, draft), {"edit", "publish"})
        self.assertEqual(service.assessment_actions(self.val, draft), set())
        self.assertEqual(service.assessment_actions(self.olivia, draft), set())
        self.assertEqual(service.assessment_actions(self.sam, self.assessment), set())
        self.assertEqual(service.assessment_actions(self.hank, self.assessment), {"respond"})
        self.assertEqual(service.assessment_actions(self.hazel, self.assessment), set())
        service.response_create(actor=self.hank, assessment=self.assessment, text="Thanks")
        self.assessment.refresh_from_db()
        self.assertEqual(service.assessment_actions(self.hua, self.assessment), set())

    def test_files_go_on_a_draft_by_the_assessor_and_on_the_response_by_the_assessed(self):
        draft = make_assessment(self.association, self.huaxin, entrustment=self.entrustment)
        self.assertTrue(draft.attachments_changeable_by(self.sam))
        self.assertFalse(draft.attachments_changeable_by(self.hua))
        self.assertFalse(self.assessment.attachments_changeable_by(self.sam))
        response = service.response_create(actor=self.hua, assessment=self.assessment, text="Ok")
        self.assertTrue(response.attachments_changeable_by(self.hank))
        self.assertFalse(response.attachments_changeable_by(self.sam))
        self.assertFalse(response.attachments_changeable_by(self.hazel))


class TestAnotherGovernment(AssessmentCase):
    def test_a_department_changes_only_its_own_assessments(self):
        other = OrganizationFactory(name="Provincial Department", kind="government")
        stranger = member(other, "admin", "provincial")
        assessment = self.draft(self.olivia, assessor=self.bureau)
        with self.assertRaises(PermissionDenied):
            service.assessment_update(actor=stranger, assessment=assessment, title="Mine")
        self.assertIn(assessment, Assessment.objects.visible_to(stranger))
