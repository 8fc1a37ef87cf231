"""Nominations through their services: the transition table, who takes each step, the
student rules, overlapping placements, slots, the gates and the evaluations."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse

from accounts.models import OrganizationKind, Role
from internships import compliance, services
from internships.models import Nomination, NominationStatus, Placement, Student
from portal.models import Notification
from portal.workflow import InvalidTransition
from tests.factories import OrganizationFactory, member
from tests.people import People

from .helpers import attach, make_base, make_nomination, make_placement, satisfy_gates
from .students import make_student

N = NominationStatus


class NominationCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hr = member(cls.host, Role.STAFF, "hx_hr")
        cls.hr_viewer = member(cls.host, Role.VIEWER, "hx_viewer")

    def setUp(self):
        self.placement = make_placement(self.host, self.college, status="published", slots=2)
        self.student = make_student(self.college, "S1")

    def nominate(self, *students, actor=None, placement=None):
        return services.nomination_create(
            actor=actor or self.bob,
            placement=placement or self.placement,
            students=students or [self.student],
        )


class TestNominating(NominationCase):
    def test_a_college_nominates_its_students_and_the_host_is_told(self):
        other = make_student(self.college, "S2")
        nominations = self.nominate(self.student, other)
        self.assertEqual({n.status for n in nominations}, {N.NOMINATED})
        self.assertEqual({n.college_id for n in nominations}, {self.college.pk})
        self.assertTrue(Notification.objects.filter(recipient=self.hr).exists())

    def test_a_viewer_cannot_nominate(self):
        with self.assertRaises(PermissionDenied):
            self.nominate(actor=self.victor)

    def test_a_college_the_placement_is_not_open_to_reads_it_as_missing(self):
        theirs = make_student(self.other_college, "E1")
        with self.assertRaises(ValidationError) as raised:
            self.nominate(theirs, actor=self.charlie)
        self.assertIn("No such record", str(raised.exception))
        self.assertFalse(Nomination.objects.exists())

    def test_another_colleges_student_cannot_be_nominated(self):
        theirs = make_student(self.other_college, "E1")
        with self.assertRaises(PermissionDenied):
            self.nominate(theirs)

    def test_only_a_published_placement_takes_nominations(self):
        draft = make_placement(self.host, self.college)
        with self.assertRaises(InvalidTransition):
            self.nominate(placement=draft)

    def test_the_same_student_is_not_nominated_twice(self):
        self.nominate()
        with self.assertRaises(ValidationError) as raised:
            self.nominate()
        self.assertIn("already nominated", str(raised.exception))

    def test_first_year_and_under_16_are_refused_for_on_the_job_naming_the_rule(self):
        # The placement starts 2027-03-01.
        first_year = make_student(self.college, "F1", enrolment_year=2026)
        young = make_student(self.college, "Y1", date_of_birth="2011-03-02")
        unknown = make_student(self.college, "U1")
        unknown.date_of_birth = None
        unknown.save()
        with self.assertRaises(ValidationError) as raised:
            self.nominate(first_year, young, unknown)
        text = " ".join(raised.exception.message_dict["students"])
        self.assertIn("First-year students", text)
        self.assertIn("under 16", text)
        self.assertIn("date of birth", text)
        self.assertIn("第十六条", text)
        self.assertFalse(Nomination.objects.exists(), "all or nothing")

    def test_the_boundaries_of_the_student_rules(self):
        # 16 exactly on the start date, and the first day of the second school year.
        sixteen = make_student(self.college, "A16", date_of_birth="2011-03-01")
        second_year = make_student(self.college, "Y2", enrolment_year=2025)
        early = make_placement(
            self.host,
            self.college,
            status="published",
            start_date=date(2026, 9, 1),
            end_date=date(2026, 12, 1),
        )
        self.assertEqual(len(self.nominate(sixteen)), 1)
        self.assertEqual(len(self.nominate(second_year, placement=early)), 1)
        self.assertTrue(compliance.in_first_year(second_year, date(2026, 8, 31)))

    def test_observation_internships_take_first_years(self):
        observation = make_placement(
            self.host, self.college, status="published", internship_type="observation"
        )
        first_year = make_student(self.college, "F1", enrolment_year=2026)
        self.assertEqual(len(self.nominate(first_year, placement=observation)), 1)

    def test_a_student_holding_an_overlapping_placement_is_refused(self):
        held = make_placement(
            self.host,
            self.college,
            status="published",
            start_date=date(2027, 7, 31),
            end_date=date(2027, 12, 1),
        )
        make_nomination(held, self.student, "accepted")
        with self.assertRaises(ValidationError) as raised:
            self.nominate()
        self.assertIn("overlap", str(raised.exception))
        after = make_placement(
            self.host,
            self.college,
            status="published",
            start_date=date(2027, 12, 2),
            end_date=date(2028, 3, 1),
        )
        self.assertEqual(len(self.nominate(placement=after)), 1)


class TestTransitions(NominationCase):
    def test_every_status_has_a_row_and_the_ends_are_final(self):
        self.assertEqual(set(services.NOMINATION_TRANSITIONS), set(N.values))
        for final in (N.COMPLETED, N.DECLINED, N.REJECTED, N.WITHDRAWN):
            self.assertEqual(services.NOMINATION_TRANSITIONS[final], frozenset())
        self.assertEqual(services.NOMINATION_TRANSITIONS[N.STARTED], {N.COMPLETED})

    def test_every_verb_outside_the_table_is_refused(self):
        for status in N.values:
            for verb in ("shortlist", "offer", "reject", "withdraw", "decline"):
                target, _side = services.NOMINATION_VERBS[verb]
                nomination = make_nomination(
                    self.placement, make_student(self.college, f"{status[:4]}{verb[:3]}"), status
                )
                actor = self.hr if _side == "host" else self.bob
                allowed = target in services.NOMINATION_TRANSITIONS[status]
                if status in (N.ACCEPTED, N.STARTED, N.COMPLETED):
                    self.placement.refresh_from_db()
                try:
                    services.nomination_move(
                        actor=actor, nomination=nomination, verb=verb, reason="A reason"
                    )
                except InvalidTransition:
                    self.assertFalse(allowed, f"{verb} from {status}")
                else:
                    self.assertTrue(allowed, f"{verb} from {status}")
                Nomination.objects.filter(pk=nomination.pk).update(status=N.WITHDRAWN)
                Placement.objects.filter(pk=self.placement.pk).update(filled_slots=0)

    def test_the_host_decides_and_the_college_answers(self):
        nomination = self.nominate()[0]
        with self.assertRaises(PermissionDenied):
            services.nomination_move(actor=self.bob, nomination=nomination, verb="offer")
        with self.assertRaises(PermissionDenied):
            services.nomination_move(actor=self.hr_viewer, nomination=nomination, verb="offer")
        services.nomination_move(actor=self.hr, nomination=nomination, verb="shortlist")
        services.nomination_move(actor=self.hr, nomination=nomination, verb="offer")
        self.assertTrue(Notification.objects.filter(recipient=self.bob).exists())
        with self.assertRaises(PermissionDenied):
            services.nomination_accept(
                actor=self.hr, nomination=nomination, consent=attach(nomination)
            )

    def test_rejecting_and_withdrawing_need_a_reason_declining_does_not(self):
        nomination = self.nominate()[0]
        with self.assertRaises(ValidationError):
            services.nomination_move(actor=self.hr, nomination=nomination, verb="reject")
        services.nomination_move(actor=self.hr, nomination=nomination, verb="offer")
        services.nomination_move(actor=self.bob, nomination=nomination, verb="decline")
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, N.DECLINED)

    def test_accepting_needs_the_consent_attached_to_this_nomination(self):
        nomination = make_nomination(self.placement, self.student, "offered")
        elsewhere = make_nomination(self.placement, make_student(self.college, "S2"), "offered")
        with self.assertRaises(ValidationError):
            services.nomination_accept(actor=self.bob, nomination=nomination, consent=None)
        with self.assertRaises(ValidationError):
            services.nomination_accept(
                actor=self.bob, nomination=nomination, consent=attach(elsewhere)
            )
        services.nomination_accept(
            actor=self.bob, nomination=nomination, consent=attach(nomination)
        )
        self.placement.refresh_from_db()
        self.assertEqual(self.placement.filled_slots, 1)

    def test_no_accept_beyond_the_slots_and_a_withdrawal_frees_one(self):
        offered = [
            make_nomination(self.placement, make_student(self.college, f"T{i}"), "offered")
            for i in range(3)
        ]
        for nomination in offered[:2]:
            services.nomination_accept(
                actor=self.bob, nomination=nomination, consent=attach(nomination)
            )
        with self.assertRaises(InvalidTransition) as raised:
            services.nomination_accept(
                actor=self.bob, nomination=offered[2], consent=attach(offered[2])
            )
        self.assertIn("No slot left", raised.exception.message)
        services.nomination_move(
            actor=self.bob, nomination=offered[0], verb="withdraw", reason="Ill"
        )
        services.nomination_accept(
            actor=self.bob, nomination=offered[2], consent=attach(offered[2])
        )
        self.placement.refresh_from_db()
        self.assertEqual(self.placement.filled_slots, 2)

    def test_accepting_an_overlapping_placement_is_refused(self):
        held = make_placement(self.host, self.college, status="published")
        make_nomination(held, self.student, "started")
        nomination = make_nomination(self.placement, self.student, "offered")
        with self.assertRaises(ValidationError) as raised:
            services.nomination_accept(
                actor=self.bob, nomination=nomination, consent=attach(nomination)
            )
        self.assertIn("overlap", str(raised.exception))

    def test_cancelling_a_placement_ends_its_nominations_and_frees_the_slots(self):
        accepted = make_nomination(self.placement, self.student, "accepted")
        services.placement_cancel(actor=self.hr, placement=self.placement, reason="Line closed")
        accepted.refresh_from_db()
        self.placement.refresh_from_db()
        self.assertEqual(accepted.status, N.REJECTED)
        self.assertEqual(accepted.reason, "Line closed")
        self.assertEqual(self.placement.filled_slots, 0)
        self.assertTrue(Notification.objects.filter(recipient=self.bob).exists())

    def test_a_placement_with_interns_on_site_cannot_be_cancelled(self):
        make_nomination(self.placement, self.student, "started")
        with self.assertRaises(InvalidTransition):
            services.placement_cancel(actor=self.hr, placement=self.placement, reason="No")


class TestGates(NominationCase):
    def test_start_lists_every_missing_gate_at_once(self):
        nomination = make_nomination(self.placement, self.student, "accepted")
        with self.assertRaises(ValidationError) as raised:
            services.nomination_start(actor=self.bob, nomination=nomination)
        codes = {error.code for errors in raised.exception.error_dict.values() for error in errors}
        self.assertEqual(
            codes,
            {
                "tripartite_agreement_unsigned",
                "tripartite_scan_missing",
                "insurance_missing",
                "tracking_teacher_missing",
                "guide_missing",
            },
        )  # an adult: no guardian's consent owed

    def test_a_minor_needs_the_guardians_consent(self):
        minor = make_student(self.college, "M1", date_of_birth="2009-06-01")
        nomination = make_nomination(self.placement, minor, "accepted")
        satisfy_gates(nomination)
        nomination.guardian_consent = None
        nomination.save()
        with self.assertRaises(ValidationError) as raised:
            services.nomination_start(actor=self.bob, nomination=nomination)
        self.assertEqual(list(raised.exception.error_dict), ["guardian_consent"])

    def test_a_policy_that_does_not_cover_the_whole_internship_is_refused(self):
        nomination = satisfy_gates(make_nomination(self.placement, self.student, "accepted"))
        services.nomination_record_gates(
            actor=self.hr, nomination=nomination, policy_end=date(2027, 7, 31)
        )
        with self.assertRaises(ValidationError) as raised:
            services.nomination_start(actor=self.bob, nomination=nomination)
        self.assertEqual(list(raised.exception.error_dict), ["policy_end"])

    def test_gates_in_place_start_the_internship(self):
        nomination = make_nomination(self.placement, self.student, "accepted")
        scan = attach(nomination, "tripartite.pdf")
        services.nomination_record_gates(
            actor=self.bob,
            nomination=nomination,
            tripartite_signed_on=date(2027, 2, 1),
            tripartite_scan=scan,
            insurer="PICC",
            policy_number="P1",
            policy_start=date(2027, 3, 1),
            policy_end=date(2027, 8, 1),
            policy_paid_by="college",
            tracking_teacher_name="Zhou Min",
        )
        self.placement.guide_name = "Chen Gang"
        self.placement.save()
        services.nomination_start(actor=self.bob, nomination=nomination)
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, N.STARTED)

    def test_a_document_from_another_record_is_refused(self):
        nomination = make_nomination(self.placement, self.student, "accepted")
        with self.assertRaises(ValidationError):
            services.nomination_record_gates(
                actor=self.bob, nomination=nomination, tripartite_scan=attach(self.placement)
            )


class TestEvaluations(NominationCase):
    SCORES = {"attendance": 5, "skills": 4, "attitude": 5, "safety": 4}

    def test_complete_needs_both_evaluations_and_the_base_rating(self):
        self.placement.practice_base = make_base(self.host, self.college)
        self.placement.save()
        nomination = make_nomination(self.placement, self.student, "started")
        with self.assertRaises(ValidationError) as raised:
            services.nomination_complete(actor=self.bob, nomination=nomination)
        self.assertEqual(len(raised.exception.message_dict["evaluations"]), 2)
        with self.assertRaises(PermissionDenied):
            services.evaluation_record(
                actor=self.bob,
                nomination=nomination,
                role="guide",
                evaluator_name="X",
                **self.SCORES,
            )
        services.evaluation_record(
            actor=self.hr, nomination=nomination, role="guide", evaluator_name="Chen", **self.SCORES
        )
        with self.assertRaises(ValidationError) as raised:
            services.evaluation_record(
                actor=self.bob,
                nomination=nomination,
                role="teacher",
                evaluator_name="Zhou",
                **self.SCORES,
            )
        self.assertIn("base_safety", raised.exception.message_dict)
        services.evaluation_record(
            actor=self.bob,
            nomination=nomination,
            role="teacher",
            evaluator_name="Zhou",
            base_safety=5,
            base_guidance=4,
            base_conditions=3,
            **self.SCORES,
        )
        services.nomination_complete(actor=self.hr, nomination=nomination)
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, N.COMPLETED)

    def test_scores_out_of_range_are_refused(self):
        nomination = make_nomination(self.placement, self.student, "started")
        with self.assertRaises(ValidationError) as raised:
            services.evaluation_record(
                actor=self.hr,
                nomination=nomination,
                role="guide",
                evaluator_name="Chen",
                **{**self.SCORES, "skills": 6},
            )
        self.assertIn("skills", raised.exception.message_dict)

    def test_evaluations_wait_for_the_start(self):
        nomination = make_nomination(self.placement, self.student, "accepted")
        with self.assertRaises(InvalidTransition):
            services.evaluation_record(
                actor=self.hr,
                nomination=nomination,
                role="guide",
                evaluator_name="C",
                **self.SCORES,
            )


class TestTheRulesHoldUntilTheStart(NominationCase):
    def test_a_student_withdrawn_since_the_offer_cannot_accept(self):
        nomination = make_nomination(self.placement, self.student, "offered")
        self.student.status = "withdrawn"
        self.student.save()
        with self.assertRaises(ValidationError) as raised:
            services.nomination_accept(
                actor=self.bob, nomination=nomination, consent=attach(nomination)
            )
        self.assertIn("not enrolled", str(raised.exception))
        self.placement.refresh_from_db()
        self.assertEqual(self.placement.filled_slots, 0)

    def test_a_birth_date_corrected_to_under_16_stops_the_start(self):
        nomination = satisfy_gates(make_nomination(self.placement, self.student, "accepted"))
        self.student.date_of_birth = date(2012, 1, 1)
        self.student.save()
        with self.assertRaises(ValidationError) as raised:
            services.nomination_start(actor=self.bob, nomination=nomination)
        self.assertIn("under 16", str(raised.exception))


class TestWhatAHostSeesOfStudents(NominationCase):
    def test_a_college_member_reads_students_by_the_college_index_alone(self):
        sql = str(Student.objects.visible_to(self.alice).query)
        self.assertNotIn("EXISTS", sql)
        self.assertIn("EXISTS", str(Student.objects.visible_to(self.hr).query))

    def test_a_host_reads_a_nominated_student_but_lists_and_filters_none(self):
        make_nomination(self.placement, self.student)
        self.client.force_login(self.hr)
        detail = self.client.get(reverse("api:student-detail", args=[self.student.pk])).json()
        self.assertEqual(
            set(detail) - {"url", "id", "actions", "created_at", "updated_at"},
            {"college", "college_name", "student_number", "name", "specialty", "enrolment_year"},
        )
        for query in ({}, {"status": "enrolled"}, {"class_name": self.student.class_name}):
            listed = self.client.get(reverse("api:student-list"), query).json()
            self.assertEqual(listed["results"], [], query)
        page = self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.assertNotContains(page, self.student.class_name)
        self.assertNotContains(page, "?tab=history")
