"""Who may open and act on the nomination pages.

Riverside College (alice admin, bob staff, victor viewer) nominates its students to a
placement of Huaxin (hua admin, hank staff, vera viewer); charlie is admin of Eastlake
College, which the placement is not open to. Every step answers 403 to the viewers of
either side and 404 to anyone who does not see the nomination."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from accounts.models import OrganizationKind, Role
from internships.models import Evaluation, Nomination
from portal.models import Attachment
from tests.factories import OrganizationFactory, member
from tests.helpers import permissions
from tests.people import People

from .helpers import make_nomination, make_placement, satisfy_gates
from .students import make_student

PDF = b"%PDF-1.4\n% consent\n"
SCORES = {"attendance": 5, "skills": 4, "attitude": 4, "safety": 5}

# Each step: the status it is taken from, whose step it is, and the data it posts.
STEPS = {
    "shortlist": ("nominated", "host"),
    "offer": ("nominated", "host"),
    "reject": ("nominated", "host"),
    "withdraw": ("nominated", "college"),
    "decline": ("offered", "college"),
    "accept": ("offered", "college"),
    "start": ("accepted", "college"),
    "complete": ("started", "host"),
}
MOVED_TO = {
    "shortlist": "shortlisted",
    "offer": "offered",
    "reject": "rejected",
    "withdraw": "withdrawn",
    "decline": "declined",
    "accept": "accepted",
    "start": "started",
    "complete": "completed",
}


def step_data(verb: str) -> dict:
    if verb == "accept":
        return {"consent": SimpleUploadedFile("consent.pdf", PDF, "application/pdf")}
    return {"reason": "Not this time"}


class HuaxinPlacement:
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.host, Role.ADMIN, "hx_hua")
        cls.hank = member(cls.host, Role.STAFF, "hx_hank")
        cls.vera = member(cls.host, Role.VIEWER, "hx_vera")

    def make_placement(self, **fields):
        return make_placement(
            self.host, self.college, status="published", guide_name="Chen Gang", **fields
        )

    def nomination_in(self, status: str, number: str):
        nomination = make_nomination(
            self.placement, make_student(self.college, number), status=status
        )
        if status == "accepted":
            satisfy_gates(nomination)
        if status == "started":
            for role in ("guide", "teacher"):
                Evaluation.objects.create(
                    nomination=nomination, role=role, evaluator_name="Zhou", **SCORES
                )
        return nomination


class TestNominationPages(HuaxinPlacement, permissions.PagePermissionCases):
    """The shared cases: list, page and the gates form (the "edit" page)."""

    list_url_name = "nomination-list"
    detail_url_name = "nomination-detail"
    edit_url_name = "nomination-gates"

    def make_record(self):
        self.placement = self.make_placement()
        return make_nomination(self.placement, make_student(self.college, "S1"), "offered")

    def edit_data(self):
        return {"insurer": "PICC", "policy_number": "P-1", "tracking_teacher_name": "Zhou Min"}

    def test_the_hosts_members_read_it_and_its_viewer_cannot_record_gates(self):
        for person in (self.hua, self.vera):
            self.client.force_login(person)
            self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
            self.assertContains(self.client.get(reverse("nomination-list")), self.detail_url())
        self.assertEqual(self.client.get(self.edit_url()).status_code, 403)
        self.client.force_login(self.hank)
        self.assertEqual(self.client.post(self.edit_url(), self.edit_data()).status_code, 302)
        self.record.refresh_from_db()
        self.assertEqual(self.record.insurer, "PICC")


class TestNominationSteps(HuaxinPlacement, People, TestCase):
    def setUp(self):
        self.placement = self.make_placement(slots=20)

    def step_url(self, verb: str, nomination) -> str:
        return reverse(f"nomination-{verb}", args=[nomination.pk])

    def test_anonymous_visitors_are_sent_to_login_by_every_step(self):
        nomination = self.nomination_in("nominated", "S1")
        for verb in STEPS:
            response = self.client.post(self.step_url(verb, nomination), step_data(verb))
            self.assertEqual(response.status_code, 302, verb)
            self.assertTrue(response["Location"].startswith(reverse("login")), verb)
        for role in ("guide", "teacher"):
            url = reverse("nomination-evaluate", args=[nomination.pk, role])
            self.assertTrue(self.client.get(url)["Location"].startswith(reverse("login")))

    def test_every_step_is_403_for_viewers_404_for_others_and_taken_by_its_side(self):
        for index, (verb, (status, side)) in enumerate(STEPS.items()):
            nomination = self.nomination_in(status, f"T{index}")
            url = self.step_url(verb, nomination)
            for viewer in (self.victor, self.vera):
                self.client.force_login(viewer)
                self.assertEqual(self.client.post(url, step_data(verb)).status_code, 403, verb)
            self.client.force_login(self.charlie)
            self.assertEqual(self.client.post(url, step_data(verb)).status_code, 404, verb)
            self.client.force_login(self.olivia)  # government oversight reads, never acts
            self.assertEqual(self.client.post(url, step_data(verb)).status_code, 403, verb)
            nomination.refresh_from_db()
            self.assertEqual(nomination.status, status, verb)
            self.client.force_login(self.hank if side == "host" else self.bob)
            response = self.client.post(url, step_data(verb))
            self.assertEqual(response.status_code, 302, verb)
            nomination.refresh_from_db()
            self.assertEqual(nomination.status, MOVED_TO[verb], verb)

    def test_the_other_side_cannot_take_a_step_that_is_not_its_own(self):
        nomination = self.nomination_in("offered", "S1")
        self.client.force_login(self.hank)
        response = self.client.post(self.step_url("accept", nomination), step_data("accept"))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Attachment.objects.for_record(nomination).exists())
        self.client.force_login(self.bob)
        response = self.client.post(self.step_url("reject", nomination), step_data("reject"))
        self.assertEqual(response.status_code, 403)
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, "offered")

    def test_each_side_records_its_own_evaluation(self):
        nomination = self.nomination_in("started", "S1")
        guide = reverse("nomination-evaluate", args=[nomination.pk, "guide"])
        teacher = reverse("nomination-evaluate", args=[nomination.pk, "teacher"])
        data = {"evaluator_name": "Chen Gang", **SCORES}
        expected = {
            self.hua: (200, 403),
            self.hank: (200, 403),
            self.alice: (403, 200),
            self.bob: (403, 200),
            self.victor: (403, 403),
            self.vera: (403, 403),
            self.olivia: (403, 403),
            self.charlie: (404, 404),
        }
        for person, (on_guide, on_teacher) in expected.items():
            self.client.force_login(person)
            self.assertEqual(self.client.get(guide).status_code, on_guide, person)
            self.assertEqual(self.client.get(teacher).status_code, on_teacher, person)
            if on_guide != 200:
                self.assertEqual(self.client.post(guide, data).status_code, on_guide, person)
        self.client.force_login(self.hua)
        boss = reverse("nomination-evaluate", args=[nomination.pk, "boss"])
        self.assertEqual(self.client.get(boss).status_code, 404)


class TestWhoSeesWhat(HuaxinPlacement, People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rival = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Rival Works")
        cls.rita = member(cls.rival, Role.ADMIN, "rv_rita")

    def setUp(self):
        self.placement = self.make_placement()
        self.rival_placement = make_placement(self.rival, self.college, status="published")
        self.student = make_student(self.college, "S1")
        self.ours = make_nomination(self.placement, self.student)
        self.theirs = make_nomination(self.rival_placement, self.student)
        self.never_nominated = make_student(self.college, "S2")

    def test_an_enterprise_sees_only_the_nominations_to_its_own_placements(self):
        self.client.force_login(self.hua)
        self.assertEqual(self.client.get(self.ours.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.get(self.theirs.get_absolute_url()).status_code, 404)
        listed = self.client.get(reverse("nomination-list"))
        self.assertContains(listed, self.ours.get_absolute_url())
        self.assertNotContains(listed, self.theirs.get_absolute_url())
        gates = reverse("nomination-gates", args=[self.theirs.pk])
        self.assertEqual(self.client.get(gates).status_code, 404)
        tab = self.client.get(self.rival_placement.get_absolute_url() + "?tab=nominations")
        self.assertEqual(tab.status_code, 404)

    def test_an_enterprise_sees_only_students_nominated_to_it_and_only_their_nominations_to_it(
        self,
    ):
        self.client.force_login(self.hua)
        page = self.client.get(self.student.get_absolute_url())
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, self.ours.get_absolute_url())
        self.assertNotContains(page, self.theirs.get_absolute_url())
        self.assertNotContains(page, self.student.date_of_birth.isoformat())
        self.assertEqual(self.client.get(self.never_nominated.get_absolute_url()).status_code, 404)

    def test_the_host_sees_every_colleges_nominations_on_its_placement_a_college_its_own(self):
        eastlake_student = make_student(self.other_college, "E1")
        self.placement.open_to_colleges.add(self.other_college)
        eastlake = make_nomination(self.placement, eastlake_student)
        tab = self.placement.get_absolute_url() + "?tab=nominations"
        self.client.force_login(self.hua)
        response = self.client.get(tab)
        self.assertContains(response, self.ours.get_absolute_url())
        self.assertContains(response, eastlake.get_absolute_url())
        self.assertNotContains(response, 'data-testid="nominate-form"')
        self.client.force_login(self.charlie)
        response = self.client.get(tab)
        self.assertContains(response, eastlake.get_absolute_url())
        self.assertNotContains(response, self.ours.get_absolute_url())
        self.assertContains(response, 'data-testid="nominate-form"')

    def test_a_college_cannot_nominate_to_a_placement_not_open_to_it(self):
        charlies_student = make_student(self.other_college, "E1")
        url = reverse("placement-nominate", args=[self.placement.pk])
        self.client.force_login(self.charlie)
        response = self.client.post(url, {"students": [charlies_student.pk]})
        self.assertEqual(response.status_code, 404)
        draft = make_placement(self.host, self.college)
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("placement-nominate", args=[draft.pk]), {"students": [self.never_nominated.pk]}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Nomination.objects.filter(student=charlies_student).count(), 0)

    def test_only_a_colleges_admins_and_staff_nominate(self):
        url = reverse("placement-nominate", args=[self.placement.pk])
        data = {"students": [self.never_nominated.pk]}
        for person in (self.victor, self.hua, self.olivia):
            self.client.force_login(person)
            self.assertEqual(self.client.post(url, data).status_code, 403, person)
        self.client.force_login(self.victor)
        tab = self.client.get(self.placement.get_absolute_url() + "?tab=nominations")
        self.assertNotContains(tab, 'data-testid="nominate-form"')
        self.client.logout()
        self.assertTrue(self.client.post(url, data)["Location"].startswith(reverse("login")))
        self.assertFalse(Nomination.objects.filter(student=self.never_nominated).exists())

    def test_another_colleges_student_cannot_be_slipped_into_the_form(self):
        self.placement.open_to_colleges.add(self.other_college)
        eastlake_student = make_student(self.other_college, "E1")
        self.client.force_login(self.alice)
        self.client.post(
            reverse("placement-nominate", args=[self.placement.pk]),
            {"students": [eastlake_student.pk]},
        )
        self.assertFalse(Nomination.objects.filter(student=eastlake_student).exists())
