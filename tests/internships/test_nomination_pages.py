"""The nomination pages with the test client: the whole road from nominating to
completing, the errors each step shows, the list's filters and CSV, the practice base's
and the student's pages, and the query counts of the list and the placement's tab.

Riverside College (bob, staff) nominates its students to Huaxin's placement (hank,
staff) at Huaxin's practice base; it starts 2027-03-01."""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from accounts.models import OrganizationKind, Role
from internships import compliance
from internships.models import Evaluation, Nomination, NominationStatus, Placement
from portal.models import Attachment
from tests.factories import OrganizationFactory, member
from tests.helpers.queries import assert_constant_queries, count_queries
from tests.people import People

from .helpers import make_base, make_nomination, make_placement, satisfy_gates
from .students import make_student

N = NominationStatus
PDF = b"%PDF-1.4\n% a signed page\n"
SCORES = {"attendance": "5", "skills": "4", "attitude": "5", "safety": "4"}


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def stored_files() -> set[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()}


def said(response) -> list[str]:
    """The messages the response's request left for the next page."""
    return [str(message) for message in get_messages(response.wsgi_request)]


class NominationPageCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hank = member(cls.host, Role.STAFF, "hx_hank")

    def setUp(self):
        self.base = make_base(self.host, self.college, status="active")
        self.placement = make_placement(
            self.host, self.college, status="published", slots=2, practice_base=self.base
        )

    def tab_url(self, placement=None) -> str:
        return (placement or self.placement).get_absolute_url() + "?tab=nominations"

    def nominate_url(self, placement=None) -> str:
        return reverse("placement-nominate", args=[(placement or self.placement).pk])

    def step(self, verb: str, nomination, data=None, **kwargs):
        url = reverse(f"nomination-{verb}", args=[nomination.pk])
        return self.client.post(url, data or {}, **kwargs)


class TestTheWholeRoad(NominationPageCase):
    def test_from_nominating_three_to_completing_one(self):
        minor = make_student(self.college, "S1", name="Li Lei", date_of_birth="2010-01-01")
        adult = make_student(self.college, "S2", name="Han Meimei")
        third = make_student(self.college, "S3", name="Wang Tao")

        # The college nominates three students from the placement's tab.
        self.client.force_login(self.bob)
        tab = self.client.get(self.tab_url())
        self.assertContains(tab, 'data-testid="nominate-form"')
        for student in (minor, adult, third):
            self.assertContains(tab, f'name="students" value="{student.pk}"')
        response = self.client.post(
            self.nominate_url(),
            {"students": [minor.pk, adult.pk, third.pk], "note": "Top of the class"},
        )
        self.assertRedirects(response, self.tab_url())
        self.assertIn("3 students nominated: the host has been told.", said(response))
        first, second, _third = (
            Nomination.objects.get(student=student) for student in (minor, adult, third)
        )
        tab = self.client.get(self.tab_url())  # the nominated are no longer offered
        self.assertNotContains(tab, f'name="students" value="{minor.pk}"')
        self.assertContains(tab, "Slots filled: 0 of 2")

        # The host offers two of them.
        self.client.force_login(self.hank)
        listed = self.client.get(reverse("nomination-list"))
        for nomination in (first, second, _third):
            self.assertContains(listed, nomination.get_absolute_url())
        page = self.client.get(first.get_absolute_url())
        self.assertContains(page, reverse("nomination-offer", args=[first.pk]))
        self.assertContains(page, "Top of the class")
        for nomination in (first, second):
            self.assertRedirects(self.step("offer", nomination), nomination.get_absolute_url())
        first.refresh_from_db()
        self.assertEqual(first.status, N.OFFERED)

        # The college accepts one offer with the student's signed consent.
        self.client.force_login(self.bob)
        page = self.client.get(first.get_absolute_url())
        self.assertContains(page, 'data-testid="accept-form"')
        self.step("accept", first, {"consent": pdf("consent.pdf")})
        first.refresh_from_db()
        self.placement.refresh_from_db()
        self.assertEqual(first.status, N.ACCEPTED)
        self.assertEqual(first.student_consent.original_name, "consent.pdf")
        self.assertEqual(self.placement.filled_slots, 1)
        page = self.client.get(first.get_absolute_url())
        self.assertContains(page, reverse("attachment-download", args=[first.student_consent.pk]))

        # Starting is refused, naming every missing gate with its article.
        response = self.step("start", first, follow=True)
        texts = [str(message) for message in response.context["messages"]]
        missing = compliance.missing_gates(first)
        self.assertEqual(
            {gate.code for gate in missing},
            {
                "tripartite_agreement_unsigned",
                "tripartite_scan_missing",
                "guardian_consent_missing",
                "insurance_missing",
                "tracking_teacher_missing",
                "guide_missing",
            },
        )
        for gate in missing:
            self.assertIn(compliance.gate_message(gate), texts)
            self.assertIn(gate.article, compliance.gate_message(gate))
        self.assertContains(response, 'data-gate="guardian_consent_missing" data-gate-done="false"')
        first.refresh_from_db()
        self.assertEqual(first.status, N.ACCEPTED)

        # The gates page takes the documents and the rest.
        gates_url = reverse("nomination-gates", args=[first.pk])
        form = self.client.get(gates_url)
        self.assertContains(form, 'name="guardian_consent"')
        self.assertContains(form, 'data-gate-field="tripartite_signed_on"')
        response = self.client.post(
            gates_url,
            {
                "tripartite_signed_on": "2027-02-10",
                "tripartite_scan": pdf("tripartite.pdf"),
                "guardian_consent": pdf("guardian.pdf"),
                "insurer": "PICC",
                "policy_number": "P-2027-001",
                "policy_start": "2027-03-01",
                "policy_end": "2027-08-01",
                "policy_paid_by": "enterprise",
                "tracking_teacher_name": "Zhou Min",
                "tracking_teacher_phone": "0571-8800 1234",
                "guide_name": "Chen Gang",
            },
        )
        self.assertRedirects(response, first.get_absolute_url())
        first.refresh_from_db()
        self.assertEqual(first.tripartite_scan.original_name, "tripartite.pdf")
        self.assertEqual(first.guardian_consent.original_name, "guardian.pdf")
        self.assertEqual(compliance.missing_gates(first), [])
        page = self.client.get(first.get_absolute_url())
        self.assertNotContains(page, 'data-gate-done="false"')
        self.assertContains(page, reverse("attachment-download", args=[first.tripartite_scan.pk]))

        # Now it starts.
        self.step("start", first)
        first.refresh_from_db()
        self.assertEqual(first.status, N.STARTED)

        # Completing waits for both evaluations; the guide's is the host's to record.
        response = self.step("complete", first, follow=True)
        texts = [str(message) for message in response.context["messages"]]
        self.assertIn("The enterprise guide's evaluation is missing.", texts)
        self.assertIn("The tracking teacher's evaluation is missing.", texts)
        self.client.force_login(self.hank)
        guide_url = reverse("nomination-evaluate", args=[first.pk, "guide"])
        self.assertNotContains(self.client.get(guide_url), 'data-testid="base-ratings"')
        response = self.client.post(
            guide_url, {"evaluator_name": "Chen Gang", "comments": "Careful.", **SCORES}
        )
        self.assertRedirects(response, first.get_absolute_url())

        # The teacher also rates the practice base.
        self.client.force_login(self.bob)
        teacher_url = reverse("nomination-evaluate", args=[first.pk, "teacher"])
        self.assertContains(self.client.get(teacher_url), 'data-testid="base-ratings"')
        response = self.client.post(teacher_url, {"evaluator_name": "Zhou Min", **SCORES})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="id_base_safety_errors"')
        response = self.client.post(
            teacher_url,
            {
                "evaluator_name": "Zhou Min",
                "base_safety": "5",
                "base_guidance": "4",
                "base_conditions": "3",
                **SCORES,
            },
        )
        self.assertRedirects(response, first.get_absolute_url())
        page = self.client.get(first.get_absolute_url())
        self.assertContains(page, "Careful.")
        self.assertContains(page, "4.5")  # the average of 5, 4, 5, 4

        self.step("complete", first)
        first.refresh_from_db()
        self.assertEqual(first.status, N.COMPLETED)

        # The practice base counts its intern and the teacher's ratings.
        base_page = self.client.get(self.base.get_absolute_url())
        self.assertContains(base_page, 'data-testid="interns-per-year"')
        self.assertContains(base_page, "<td>2027</td>", html=False)
        self.assertContains(base_page, "4.0 / 5")  # guidance
        # The student's page lists the nomination.
        student_page = self.client.get(minor.get_absolute_url())
        self.assertContains(student_page, first.get_absolute_url())


class TestStepErrors(NominationPageCase):
    def test_nominating_names_every_student_who_may_not_be_and_nominates_no_one(self):
        first_year = make_student(self.college, "F1", name="Fresh", enrolment_year=2026)
        young = make_student(self.college, "Y1", name="Young", date_of_birth="2011-03-02")
        fine = make_student(self.college, "A1", name="Fine")
        self.client.force_login(self.bob)
        response = self.client.post(
            self.nominate_url(), {"students": [first_year.pk, young.pk, fine.pk]}
        )
        self.assertRedirects(response, self.tab_url())
        text = " ".join(said(response))
        self.assertIn("First-year students may not take on-the-job internships.", text)
        self.assertIn("under 16", text)
        self.assertIn("第十六条", text)
        self.assertFalse(Nomination.objects.exists())

    def test_nominating_nobody_or_someone_already_nominated_is_refused(self):
        student = make_student(self.college, "S1")
        make_nomination(self.placement, student)
        self.client.force_login(self.bob)
        response = self.client.post(self.nominate_url(), {"students": []})
        self.assertIn("Students: Choose at least one student.", said(response))
        response = self.client.post(self.nominate_url(), {"students": [student.pk]})
        self.assertTrue(any("Select a valid choice" in text for text in said(response)))
        self.assertEqual(Nomination.objects.count(), 1)

    def test_a_closed_placement_takes_no_nominations(self):
        student = make_student(self.college, "S1")
        Placement.objects.filter(pk=self.placement.pk).update(status="closed")
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(self.tab_url()), 'data-testid="nominate-form"')
        response = self.client.post(self.nominate_url(), {"students": [student.pk]})
        self.assertRedirects(response, self.tab_url())
        self.assertFalse(Nomination.objects.exists())

    def test_rejecting_and_withdrawing_need_a_reason(self):
        nomination = make_nomination(self.placement, make_student(self.college, "S1"))
        self.client.force_login(self.hank)
        response = self.step("reject", nomination, {"reason": "  "})
        self.assertIn("Say why.", said(response))
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, N.NOMINATED)
        self.step("reject", nomination, {"reason": "The post needs a welder."})
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, N.REJECTED)
        page = self.client.get(nomination.get_absolute_url())
        self.assertContains(page, "The post needs a welder.")
        self.assertNotContains(page, 'data-testid="accept-form"')

    def test_a_refused_accept_leaves_no_file_behind(self):
        full = make_placement(self.host, self.college, status="published", slots=1)
        make_nomination(full, make_student(self.college, "S0"), "accepted")
        nomination = make_nomination(full, make_student(self.college, "S1"), "offered")
        before = stored_files()
        self.client.force_login(self.bob)
        response = self.step("accept", nomination, {"consent": pdf("consent.pdf")})
        self.assertTrue(any("No slot left" in text for text in said(response)))
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, N.OFFERED)
        self.assertFalse(Attachment.objects.for_record(nomination).exists())
        self.assertEqual(stored_files(), before)

    def test_accepting_needs_a_real_document(self):
        nomination = make_nomination(self.placement, make_student(self.college, "S1"), "offered")
        self.client.force_login(self.bob)
        response = self.step("accept", nomination)
        self.assertIn(
            "The student's signed consent: Attach the student's signed consent.", said(response)
        )
        fake = SimpleUploadedFile("consent.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
        response = self.step("accept", nomination, {"consent": fake})
        self.assertTrue(any("does not match" in text for text in said(response)))
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, N.OFFERED)
        self.assertFalse(Attachment.objects.for_record(nomination).exists())

    def test_the_gates_page_keeps_errors_next_to_their_fields_and_stores_nothing(self):
        nomination = make_nomination(self.placement, make_student(self.college, "S1"), "accepted")
        before = stored_files()
        self.client.force_login(self.hank)
        response = self.client.post(
            reverse("nomination-gates", args=[nomination.pk]),
            {
                "tripartite_scan": pdf("tripartite.pdf"),
                "policy_start": "2027-03-01",
                "policy_end": "2027-02-01",
                "tracking_teacher_phone": "call me",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="id_policy_end_errors"')
        self.assertContains(response, 'id="id_tracking_teacher_phone_errors"')
        self.assertFalse(Attachment.objects.for_record(nomination).exists())
        self.assertEqual(stored_files(), before)
        # An upload refused for its content is the upload field's error; nothing stays.
        response = self.client.post(
            reverse("nomination-gates", args=[nomination.pk]),
            {"tripartite_scan": SimpleUploadedFile("scan.pdf", b"not a pdf"), "insurer": "PICC"},
        )
        self.assertContains(response, 'id="id_tripartite_scan_errors"')
        nomination.refresh_from_db()
        self.assertEqual(nomination.insurer, "")
        self.assertEqual(stored_files(), before)

    def test_an_adults_gates_page_asks_no_guardians_consent_and_shows_the_placements_guide(self):
        self.placement.guide_name = "Chen Gang"
        self.placement.save()
        nomination = make_nomination(self.placement, make_student(self.college, "S1"), "offered")
        self.client.force_login(self.bob)
        response = self.client.get(reverse("nomination-gates", args=[nomination.pk]))
        self.assertNotContains(response, 'name="guardian_consent"')
        self.assertContains(response, 'placeholder="Chen Gang"')
        page = self.client.get(nomination.get_absolute_url())
        self.assertNotContains(page, 'data-gate="guardian_consent_missing"')
        self.assertContains(page, 'data-gate="guide_missing" data-gate-done="true"')

    def test_gates_and_evaluations_wait_for_their_time(self):
        nomination = make_nomination(self.placement, make_student(self.college, "S1"))
        self.client.force_login(self.hank)
        gates = self.client.get(reverse("nomination-gates", args=[nomination.pk]))
        self.assertRedirects(gates, nomination.get_absolute_url())
        evaluate = reverse("nomination-evaluate", args=[nomination.pk, "guide"])
        self.assertRedirects(self.client.get(evaluate), nomination.get_absolute_url())
        response = self.client.post(evaluate, {"evaluator_name": "Zhou", **SCORES})
        self.assertRedirects(response, nomination.get_absolute_url())
        self.assertFalse(Evaluation.objects.exists())


class TestTheList(NominationPageCase):
    def setUp(self):
        super().setUp()
        self.observation = make_placement(
            self.host,
            self.college,
            status="published",
            title="Line tour",
            internship_type="observation",
            city="Ningbo",
            start_date=date(2027, 9, 1),
            end_date=date(2027, 9, 30),
        )
        self.li = make_nomination(self.placement, make_student(self.college, "S1", name="Li Lei"))
        self.han = make_nomination(
            self.observation, make_student(self.college, "S2", name="Han Meimei"), "offered"
        )

    def listed(self, **query) -> str:
        self.client.force_login(self.hank)
        response = self.client.get(reverse("nomination-list"), query)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_it_filters(self):
        cases = [
            ({"status": "offered"}, self.han),
            ({"internship_type": "on_the_job"}, self.li),
            ({"placement": self.observation.pk}, self.han),
            ({"city": "ningbo"}, self.han),
            ({"starts_after": "2027-06-01"}, self.han),
            ({"starts_before": "2027-06-01"}, self.li),
            ({"q": "Li L"}, self.li),
            ({"q": "S2"}, self.han),
            ({"q": "tour"}, self.han),
        ]
        for query, shown in cases:
            hidden = self.han if shown is self.li else self.li
            content = self.listed(**query)
            self.assertIn(shown.get_absolute_url() + '"', content, query)
            self.assertNotIn(hidden.get_absolute_url() + '"', content, query)
        content = self.listed(college=self.other_college.pk)
        self.assertNotIn(self.li.get_absolute_url() + '"', content)

    def test_it_sorts_and_exports_csv(self):
        content = self.listed(ordering="name")
        self.assertLess(content.index("Han Meimei"), content.index("Li Lei"))
        content = self.listed(ordering="-name")
        self.assertLess(content.index("Li Lei"), content.index("Han Meimei"))
        self.client.force_login(self.hank)
        response = self.client.get(
            reverse("nomination-list"), {"export": "csv", "status": "offered"}
        )
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        lines = response.content.decode("utf-8-sig").splitlines()
        self.assertEqual(
            lines[0],
            "id,student_name,student_number,college,placement,host,start_date,status,updated_at",
        )
        self.assertEqual(len(lines), 2)
        self.assertIn(
            "Han Meimei,S2,Riverside College,Line tour,Huaxin,2027-09-01,Offered", lines[1]
        )

    def test_the_navigation_shows_it_to_colleges_and_enterprises_only(self):
        link = f'href="{reverse("nomination-list")}"'
        for person, shown in ((self.hank, True), (self.bob, True), (self.olivia, False)):
            self.client.force_login(person)
            content = self.client.get(reverse("placement-list")).content.decode()
            self.assertEqual(link in content, shown, person)


class TestQueryCounts(NominationPageCase):
    def add_nominations(self, count: int, college=None):
        college = college or self.college
        for _ in range(count):
            placement = make_placement(self.host, college, status="published")
            student = make_student(college, f"Q{Nomination.objects.count():04d}")
            make_nomination(placement, student, "offered")

    def test_the_list_page(self):
        self.add_nominations(1)
        self.client.force_login(self.hank)
        assert_constant_queries(
            self, lambda: self.client.get(reverse("nomination-list")), self.add_nominations
        )

    def test_the_list_page_for_a_college(self):
        self.add_nominations(1)
        self.client.force_login(self.bob)
        assert_constant_queries(
            self, lambda: self.client.get(reverse("nomination-list")), self.add_nominations
        )

    def test_the_placements_nominations_tab(self):
        def add(count: int):
            for _ in range(count):
                number = f"Q{Nomination.objects.count():04d}"
                make_nomination(self.placement, make_student(self.college, number))
                make_student(self.college, f"{number}x")  # one more to choose from
                other = make_student(self.other_college, number)
                make_nomination(self.placement, other)

        self.placement.open_to_colleges.add(self.other_college)
        add(1)
        for person, form_shown in ((self.hank, False), (self.bob, True)):
            self.client.force_login(person)
            response = self.client.get(self.tab_url())
            self.assertEqual('data-testid="nominate-form"' in response.content.decode(), form_shown)
        small = {}
        for person in (self.hank, self.bob):
            self.client.force_login(person)
            self.client.get(self.tab_url())
            small[person], _response = count_queries(lambda: self.client.get(self.tab_url()))
        add(30)
        for person in (self.hank, self.bob):
            self.client.force_login(person)
            large, response = count_queries(lambda: self.client.get(self.tab_url()))
            self.assertEqual(response.status_code, 200)
            self.assertEqual(small[person], large, person)
            self.assertLessEqual(large, 16, person)

    def test_the_nomination_page(self):
        nomination = satisfy_gates(
            make_nomination(self.placement, make_student(self.college, "S1"), "started")
        )
        self.client.force_login(self.bob)
        url = nomination.get_absolute_url()
        self.client.get(url)
        small, _response = count_queries(lambda: self.client.get(url))
        for role in ("guide", "teacher"):
            Evaluation.objects.create(
                nomination=nomination,
                role=role,
                evaluator_name="Zhou",
                attendance=5,
                skills=5,
                attitude=5,
                safety=5,
                base_safety=4,
                base_guidance=4,
                base_conditions=4,
            )
        large, response = count_queries(lambda: self.client.get(url))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(small, large)
        self.assertLessEqual(large, 16)
