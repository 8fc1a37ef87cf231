"""Nominations through the API: nominating, every verb's way forward and its refusals,
the gates and the evaluations, the list's filters and query count, hostile input."""

import time
from datetime import date

from django.urls import reverse

from internships import compliance
from internships.models import Evaluation, Nomination, NominationStatus, Placement
from portal.limits import NOTE_TEXT
from tests.helpers.queries import assert_constant_queries

from .helpers import attach, make_base, make_nomination, make_placement, satisfy_gates
from .nomination_api import NOT_SEEN, NominationApiCase

N = NominationStatus
SCORES = {"attendance": 5, "skills": 4, "attitude": 5, "safety": 4}
BASE_RATINGS = {"base_safety": 5, "base_guidance": 4, "base_conditions": 4}


class TestNominating(NominationApiCase):
    def test_a_college_nominates_several_students_in_one_request(self):
        other = self.new_student("S2")
        self.as_user(self.bob)
        data = {"placement": self.placement.pk, "students": [self.student.pk, other.pk]}
        response = self.client.post(self.url(), {**data, "note": "Both strong."}, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        rows = response.json()
        self.assertEqual({row["student"] for row in rows}, {self.student.pk, other.pk})
        self.assertEqual(
            {(row["status"], row["note"]) for row in rows}, {(N.NOMINATED, "Both strong.")}
        )
        self.assertEqual(rows[0]["host"], self.host.pk)
        self.assertEqual(rows[0]["placement_title"], "CNC operator")

    def test_one_student_who_may_not_go_refuses_the_lot_naming_the_rule(self):
        first_year = self.new_student("F1", enrolment_year=2026)
        self.as_user(self.bob)
        data = {"placement": self.placement.pk, "students": [self.student.pk, first_year.pk]}
        response = self.client.post(self.url(), data, format="json")
        self.assertEqual(response.status_code, 400)
        [message] = response.json()["students"]
        self.assertIn("First-year students", message)
        self.assertIn("第十六条", message)
        self.assertFalse(Nomination.objects.exists())

    def test_a_student_already_nominated_is_refused(self):
        make_nomination(self.placement, self.student)
        self.as_user(self.bob)
        data = {"placement": self.placement.pk, "students": [self.student.pk]}
        response = self.client.post(self.url(), data, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("already nominated", response.json()["students"][0])

    def test_a_closed_placement_takes_no_more_nominations(self):
        self.placement.status = "closed"
        self.placement.save()
        self.as_user(self.bob)
        data = {"placement": self.placement.pk, "students": [self.student.pk]}
        response = self.client.post(self.url(), data, format="json")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "invalid_transition")


class TestVerbs(NominationApiCase):
    def test_the_whole_way_through_the_api(self):
        nomination = make_nomination(self.placement, self.student)
        response = self.act(self.hua, nomination, "shortlist")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], N.SHORTLISTED)
        response = self.act(self.hua, nomination, "offer")
        self.assertEqual(response.json()["status"], N.OFFERED)
        self.as_user(self.alice)
        detail = self.client.get(self.url(nomination)).json()
        self.assertEqual(detail["actions"], ["accept", "decline", "gates", "withdraw"])

        consent = self.upload(self.alice, nomination)
        response = self.act(self.alice, nomination, "accept", {"consent": consent})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            (response.json()["status"], response.json()["student_consent"]), (N.ACCEPTED, consent)
        )
        self.placement.refresh_from_db()
        self.assertEqual(self.placement.filled_slots, 1)

        scan = self.upload(self.hua, nomination, "tripartite.pdf")  # either side records gates
        gates = {
            "tripartite_signed_on": "2027-02-20",
            "tripartite_scan": scan,
            "insurer": "PICC",
            "policy_number": "P-1",
            "policy_start": "2027-03-01",
            "policy_end": "2027-08-01",
            "policy_paid_by": "enterprise",
            "tracking_teacher_name": "Zhou Min",
            "tracking_teacher_phone": "0571-8888",
        }
        response = self.act(self.hua, nomination, "gates", gates)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            [gate["code"] for gate in response.json()["missing_gates"]], ["guide_missing"]
        )
        response = self.act(self.alice, nomination, "gates", {"guide_name": "Chen Gang"})
        self.assertEqual(response.json()["missing_gates"], [])
        self.assertEqual(response.json()["tripartite_scan"], scan)

        response = self.act(self.alice, nomination, "start")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], N.STARTED)
        self.assertEqual(response.json()["actions"], ["complete", "evaluate_teacher"])

        guide = {"role": "guide", "evaluator_name": "Chen Gang", **SCORES}
        response = self.act(self.hua, nomination, "evaluations", guide)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["average"], "4.5")
        teacher = {"role": "teacher", "evaluator_name": "Zhou Min", **SCORES}
        self.assertEqual(self.act(self.alice, nomination, "evaluations", teacher).status_code, 201)
        response = self.act(self.hua, nomination, "complete")
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["status"], N.COMPLETED)
        self.assertEqual({row["role"] for row in body["evaluations"]}, {"guide", "teacher"})
        history = self.client.get(self.url(nomination, "history")).json()
        self.assertGreaterEqual(len(history), 8)

    def test_a_verb_outside_the_table_answers_409(self):
        nomination = make_nomination(self.placement, self.student)
        for user, verb, data in (
            (self.alice, "start", {}),
            (self.hua, "complete", {}),
            (self.alice, "accept", {"consent": attach(nomination).pk}),
            (self.alice, "decline", {}),
            (self.hua, "gates", {"insurer": "PICC"}),
            (self.hua, "evaluations", {"role": "guide", **SCORES}),
        ):
            response = self.act(user, nomination, verb, data)
            self.assertEqual(response.status_code, 409, (verb, response.content))
            self.assertEqual(response.json()["code"], "invalid_transition")
        ended = make_nomination(self.placement, self.new_student("S2"), status=N.REJECTED)
        for verb in ("shortlist", "offer"):
            self.assertEqual(self.act(self.hua, ended, verb).status_code, 409)
        response = self.act(self.alice, ended, "withdraw", {"reason": "Late"})
        self.assertEqual(response.status_code, 409)
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, N.NOMINATED)

    def test_each_side_takes_only_its_own_steps(self):
        nomination = make_nomination(self.placement, self.student, status=N.OFFERED)
        self.assertEqual(
            self.act(self.alice, nomination, "reject", {"reason": "x"}).status_code, 403
        )
        self.assertEqual(
            self.act(self.hua, nomination, "withdraw", {"reason": "x"}).status_code, 403
        )
        consent = attach(nomination).pk
        self.assertEqual(
            self.act(self.hua, nomination, "accept", {"consent": consent}).status_code, 403
        )
        self.assertEqual(self.act(self.charlie, nomination, "decline").status_code, 404)

    def test_rejecting_and_withdrawing_need_a_reason_declining_does_not(self):
        nomination = make_nomination(self.placement, self.student)
        for payload in ({}, {"reason": ""}, {"reason": "   "}):
            response = self.act(self.hua, nomination, "reject", payload)
            self.assertEqual(response.status_code, 400)
            self.assertIn("reason", response.json())
        response = self.act(self.hua, nomination, "reject", {"reason": "Slots filled"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            (response.json()["status"], response.json()["reason"]), (N.REJECTED, "Slots filled")
        )

        other = make_nomination(self.placement, self.new_student("S2"))
        response = self.act(self.alice, other, "withdraw", {})
        self.assertEqual(response.status_code, 400)
        response = self.act(self.alice, other, "withdraw", {"reason": "Changed course"})
        self.assertEqual(response.json()["status"], N.WITHDRAWN)

        offered = make_nomination(self.placement, self.new_student("S3"), status=N.OFFERED)
        response = self.act(self.alice, offered, "decline")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], N.DECLINED)

    def test_accepting_needs_a_file_attached_to_this_nomination(self):
        nomination = make_nomination(self.placement, self.student, status=N.OFFERED)
        elsewhere = make_nomination(self.placement, self.new_student("S2"))
        for consent in (attach(elsewhere).pk, attach(self.placement).pk, 10**30, "x", None):
            response = self.act(self.alice, nomination, "accept", {"consent": consent})
            self.assertEqual(response.status_code, 400, consent)
            self.assertIn("consent", response.json())
        response = self.act(self.alice, nomination, "accept", {})
        self.assertEqual(response.status_code, 400)
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, N.OFFERED)

    def test_no_acceptance_beyond_the_slots(self):
        make_nomination(self.placement, self.new_student("S2"), status=N.ACCEPTED)
        make_nomination(self.placement, self.new_student("S3"), status=N.ACCEPTED)
        nomination = make_nomination(self.placement, self.student, status=N.OFFERED)
        response = self.act(self.alice, nomination, "accept", {"consent": attach(nomination).pk})
        self.assertEqual(response.status_code, 409)
        self.assertIn("No slot left", response.json()["detail"])
        self.assertEqual(Placement.objects.get(pk=self.placement.pk).filled_slots, 2)


class TestGates(NominationApiCase):
    def test_start_answers_every_missing_gate_at_once_with_its_code(self):
        minor = self.new_student("M1", date_of_birth="2010-01-01")  # 17 on the start date
        nomination = make_nomination(self.placement, minor, status=N.ACCEPTED)
        expected = {
            "tripartite_agreement_unsigned",
            "tripartite_scan_missing",
            "guardian_consent_missing",
            "insurance_missing",
            "tracking_teacher_missing",
            "guide_missing",
        }
        self.assertEqual({gate.code for gate in compliance.missing_gates(nomination)}, expected)
        response = self.act(self.alice, nomination, "start")
        self.assertEqual(response.status_code, 400)
        body = response.json()
        self.assertEqual({item["code"] for items in body.values() for item in items}, expected)
        self.assertEqual(
            [item["code"] for item in body["guardian_consent"]], ["guardian_consent_missing"]
        )
        self.assertIn("第十三条", body["tripartite_signed_on"][0]["message"])
        detail = self.client.get(self.url(nomination)).json()
        self.assertEqual({gate["code"] for gate in detail["missing_gates"]}, expected)
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, N.ACCEPTED)

    def test_a_policy_not_covering_the_internship_is_named(self):
        nomination = satisfy_gates(make_nomination(self.placement, self.student, status=N.ACCEPTED))
        response = self.act(self.alice, nomination, "gates", {"policy_end": "2027-07-01"})
        self.assertEqual(response.status_code, 200, response.content)
        response = self.act(self.alice, nomination, "start")
        self.assertEqual(response.status_code, 400)
        body = response.json()
        self.assertEqual(list(body), ["policy_end"])
        self.assertEqual([item["code"] for item in body["policy_end"]], ["insurance_not_covering"])

    def test_wrong_gate_values_are_field_errors(self):
        nomination = make_nomination(self.placement, self.student, status=N.OFFERED)
        elsewhere = make_nomination(self.placement, self.new_student("S2"))
        for data, field in (
            ({"policy_start": "2027-03-01", "policy_end": "2027-02-01"}, "policy_end"),
            ({"policy_start": "9999-01-01"}, "policy_start"),
            ({"tripartite_signed_on": "1900-01-01"}, "tripartite_signed_on"),
            ({"tripartite_signed_on": "2027-02-30"}, "tripartite_signed_on"),
            ({"tripartite_scan": attach(elsewhere).pk}, "tripartite_scan"),
            ({"guardian_consent": 10**30}, "guardian_consent"),
            ({"policy_paid_by": "student"}, "policy_paid_by"),
            ({"tracking_teacher_phone": "call me"}, "tracking_teacher_phone"),
            ({"insurer": "x" * 101}, "insurer"),
        ):
            response = self.act(self.alice, nomination, "gates", data)
            self.assertEqual(response.status_code, 400, (data, response.content))
            self.assertIn(field, response.json(), data)
        nomination.refresh_from_db()
        self.assertEqual((nomination.policy_start, nomination.insurer), (None, ""))

    def test_a_document_can_be_taken_off_again(self):
        nomination = satisfy_gates(make_nomination(self.placement, self.student, status=N.OFFERED))
        response = self.act(self.bob, nomination, "gates", {"guardian_consent": None})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertIsNone(response.json()["guardian_consent"])
        self.assertEqual(response.json()["tracking_teacher_name"], "Zhou Min")  # kept


class TestEvaluations(NominationApiCase):
    def setUp(self):
        super().setUp()
        self.nomination = satisfy_gates(
            make_nomination(self.placement, self.student, status=N.STARTED)
        )

    def evaluate(self, user, role, **fields):
        data = {"role": role, "evaluator_name": "Chen Gang", **SCORES, **fields}
        return self.act(user, self.nomination, "evaluations", data)

    def test_recorded_then_corrected_each_by_its_side(self):
        self.assertEqual(self.evaluate(self.alice, "guide").status_code, 403)
        self.assertEqual(self.evaluate(self.hua, "teacher").status_code, 403)
        self.assertEqual(self.evaluate(self.hx_viewer, "guide").status_code, 403)
        self.assertEqual(self.evaluate(self.hua, "guide").status_code, 201)
        response = self.act(
            self.hua, self.nomination, "evaluations", {"role": "guide", "skills": 2}
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual((response.json()["skills"], response.json()["attendance"]), (2, 5))
        self.as_user(self.alice)
        listed = self.client.get(self.url(self.nomination, "evaluations"))
        self.assertEqual(listed.status_code, 200)
        self.assertEqual([row["role"] for row in listed.json()], ["guide"])
        self.assertEqual(Evaluation.objects.count(), 1)

    def test_scores_are_whole_numbers_from_1_to_5(self):
        for value in (0, 6, -1, 10**30, "five", 2.5, None, [5], {"x": 5}):
            response = self.evaluate(self.hua, "guide", skills=value)
            self.assertEqual(response.status_code, 400, value)
            self.assertIn("skills", response.json())
        for role in ("boss", "", None, ["guide"]):
            response = self.evaluate(self.hua, role)
            self.assertEqual(response.status_code, 400, role)
            self.assertIn("role", response.json())
        response = self.act(self.hua, self.nomination, "evaluations", {"role": "guide"})
        self.assertEqual(response.status_code, 400)  # a new one needs every score
        self.assertIn("attendance", response.json())
        self.assertFalse(Evaluation.objects.exists())

    def test_completing_lists_the_evaluations_missing(self):
        response = self.act(self.alice, self.nomination, "complete")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(len(response.json()["evaluations"]), 2)
        self.evaluate(self.hua, "guide")
        response = self.act(self.alice, self.nomination, "complete")
        self.assertEqual(len(response.json()["evaluations"]), 1)
        self.evaluate(self.alice, "teacher")
        response = self.act(self.alice, self.nomination, "complete")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], N.COMPLETED)
        self.assertEqual(response.json()["missing_gates"], [])

    def test_at_a_practice_base_the_teacher_rates_it(self):
        base = make_base(self.host, self.college, status="active")
        Placement.objects.filter(pk=self.placement.pk).update(practice_base=base)
        response = self.evaluate(self.alice, "teacher")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), set(BASE_RATINGS))
        response = self.evaluate(self.alice, "teacher", **{**BASE_RATINGS, "base_safety": 9})
        self.assertEqual(response.status_code, 400)
        response = self.evaluate(self.alice, "teacher", **BASE_RATINGS)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["base_safety"], 5)

    def test_evaluations_wait_for_the_start(self):
        accepted = make_nomination(self.placement, self.new_student("S2"), status=N.ACCEPTED)
        response = self.act(self.hua, accepted, "evaluations", {"role": "guide", **SCORES})
        self.assertEqual(response.status_code, 409)


class TestListing(NominationApiCase):
    def listed(self, user=None, **params) -> list[int]:
        self.as_user(user or self.alice)
        response = self.client.get(self.url(), params)
        self.assertEqual(response.status_code, 200, response.content)
        return [row["id"] for row in response.json()["results"]]

    def test_the_filters(self):
        first = make_nomination(self.placement, self.student)
        second = make_nomination(self.placement, self.new_student("S2"), status=N.OFFERED)
        observation = make_placement(
            self.host,
            self.college,
            status="published",
            internship_type="observation",
            city="Ningbo",
            start_date=date(2027, 6, 1),
        )
        third = make_nomination(observation, self.student, status=N.ACCEPTED)
        self.assertEqual(set(self.listed(status=["offered", "accepted"])), {second.pk, third.pk})
        self.assertEqual(set(self.listed(placement=self.placement.pk)), {first.pk, second.pk})
        self.assertEqual(set(self.listed(student=self.student.pk)), {first.pk, third.pk})
        self.assertEqual(self.listed(internship_type="observation"), [third.pk])
        self.assertEqual(self.listed(city="ningbo"), [third.pk])
        self.assertEqual(self.listed(starts_after="2027-05-01"), [third.pk])
        self.assertEqual(set(self.listed(starts_before="2027-05-01")), {first.pk, second.pk})
        self.assertEqual(set(self.listed(college=self.college.pk)), {first.pk, second.pk, third.pk})
        self.assertEqual(self.listed(college=self.other_college.pk), [])
        self.assertEqual(self.listed(search="Student S2"), [second.pk])
        self.assertEqual(self.listed(q="S2"), [second.pk])
        self.assertEqual(len(self.listed(host=self.host.pk)), 3)
        self.assertEqual(self.listed(host=self.rival_host.pk), [])
        self.assertEqual(self.listed(ordering="placement__start_date,created_at")[-1], third.pk)
        self.assertEqual(self.listed(updated_after="2999-01-01T00:00:00Z"), [])

    def test_wrong_filter_values_are_400(self):
        self.as_user(self.alice)
        for params in (
            {"status": "lost"},
            {"placement": 10**30},
            {"student": "abc"},
            {"internship_type": "x"},
            {"starts_after": "9999-01-01"},
            {"starts_before": "2027-13-01"},
            {"updated_after": "yesterday"},
            {"city": "x" * 101},
        ):
            response = self.client.get(self.url(), params)
            self.assertEqual(response.status_code, 400, params)

    def test_the_list_runs_as_many_queries_for_1_row_as_for_50(self):
        numbers = iter(range(1000, 2000))

        def add(count):
            placement = make_placement(self.host, self.college, status="published", slots=100)
            for _ in range(count):
                make_nomination(placement, self.new_student(f"Q{next(numbers)}"))

        add(1)
        for user in (self.alice, self.hua, self.olivia):
            self.as_user(user)
            assert_constant_queries(self, lambda: self.client.get(self.url()), add, rows=50)


class TestHostileInput(NominationApiCase):
    def assert_fast_400(self, method, url, data, field=None):
        started = time.monotonic()
        response = method(url, data, format="json")
        elapsed = time.monotonic() - started
        self.assertEqual(response.status_code, 400, response.content[:500])
        if field:
            self.assertIn(field, response.json())
        self.assertLess(elapsed, 2, f"{elapsed:.1f}s")
        self.assertLess(len(response.content), 2_000)
        return response

    def test_a_huge_reason_or_note_is_a_field_error(self):
        nomination = make_nomination(self.placement, self.student)
        self.as_user(self.hua)
        huge = "x" * 100_000
        self.assert_fast_400(
            self.client.post, self.url(nomination, "reject"), {"reason": huge}, "reason"
        )
        at_limit = {"reason": "x" * NOTE_TEXT}
        self.assertEqual(
            self.client.post(self.url(nomination, "reject"), at_limit, format="json").status_code,
            200,
        )
        self.as_user(self.alice)
        data = {"placement": self.placement.pk, "students": [self.student.pk], "note": huge}
        self.assert_fast_400(self.client.post, self.url(), data, "note")
        self.assertEqual(Nomination.objects.count(), 1)

    def test_ten_thousand_students_is_one_short_error(self):
        self.as_user(self.alice)
        data = {"placement": self.placement.pk, "students": list(range(1, 10_001))}
        response = self.assert_fast_400(self.client.post, self.url(), data, "students")
        self.assertEqual(len(response.json()["students"]), 1)
        data["students"] = [{"x": [1, 2]}] * 10_000  # past the parser's limit on values
        self.assert_fast_400(self.client.post, self.url(), data)

    def test_wild_ids_and_nested_junk(self):
        self.as_user(self.alice)
        for data, field in (
            ({"placement": 10**30, "students": [self.student.pk]}, "placement"),
            ({"placement": self.placement.pk, "students": [10**30]}, "students"),
            ({"placement": {"a": [1]}, "students": [self.student.pk]}, "placement"),
            ({"placement": self.placement.pk, "students": [[1], {"a": 1}, None, True]}, "students"),
            ({"placement": self.placement.pk, "students": "1,2"}, "students"),
            ({"placement": self.placement.pk, "students": []}, "students"),
            (
                {"placement": self.placement.pk, "students": [self.student.pk], "note": ["a"]},
                "note",
            ),
        ):
            self.assert_fast_400(self.client.post, self.url(), data, field)
        self.assert_fast_400(self.client.post, self.url(), [1, 2])
        nomination = make_nomination(self.placement, self.student)
        self.as_user(self.hua)
        self.assert_fast_400(
            self.client.post, self.url(nomination, "reject"), {"reason": {"a": 1}}, "reason"
        )
        self.assert_fast_400(
            self.client.post,
            self.url(nomination, "gates"),
            {"policy_start": {"x": 1}},
            "policy_start",
        )
        self.assertEqual(Nomination.objects.count(), 1)

    def test_an_id_beyond_the_database_range_is_404(self):
        self.as_user(self.alice)
        for pk in (10**30, 2**63):
            url = reverse("api:nomination-detail", args=[pk])
            self.assertEqual(self.client.get(url).status_code, 404)
            self.assertEqual(self.client.post(url + "shortlist/").status_code, 404)
            self.assertEqual(self.client.get(url + "evaluations/").status_code, 404)

    def test_a_missing_or_hidden_placement_reads_the_same(self):
        self.as_user(self.alice)
        for pk in (self.placement.pk + 1000, 0, -5):
            data = {"placement": pk, "students": [self.student.pk]}
            response = self.assert_fast_400(self.client.post, self.url(), data, "placement")
            self.assertEqual(response.json()["placement"], [NOT_SEEN])
