"""Who sees and who nominates through ``/api/v1/nominations/``: the shared permission
cases, the host enterprise's narrow view of the students, and the placements a college
may nominate to."""

from django.urls import reverse

from internships.models import Nomination, Student
from tests.helpers import permissions

from .helpers import make_nomination, make_placement
from .nomination_api import NOT_SEEN, EnterpriseSide, NominationApiCase
from .students import make_student


class TestNominationApi(EnterpriseSide, permissions.ApiPermissionCases):
    """alice (the college's admin) nominates; the host's people are in EnterpriseSide."""

    basename = "nomination"
    can_update = False

    def make_record(self):
        self.placement = make_placement(self.host, self.college, status="published")
        self.other_student = make_student(self.college, "S2")
        return make_nomination(self.placement, make_student(self.college, "S1"))

    def create_data(self):
        return {"placement": self.placement.pk, "students": [self.other_student.pk]}

    def test_the_creator_creates(self):
        # One request may nominate several students: the answer is the list made.
        self.as_user("alice")
        response = self.client.post(self.list_url(), self.create_data(), format="json")
        self.assertEqual(response.status_code, 201, response.content)
        [row] = response.json()
        self.assertEqual((row["student"], row["status"]), (self.other_student.pk, "nominated"))
        self.assertEqual(self.client.get(row["url"]).status_code, 200)

    def test_nothing_changes_through_patch_or_delete(self):
        self.as_user("alice")
        self.assertEqual(self.client.patch(self.detail_url(), {"note": "x"}).status_code, 405)
        self.assertEqual(self.client.delete(self.detail_url()).status_code, 405)

    def test_the_host_reads_the_student_without_personal_details(self):
        self.client.force_authenticate(self.hua)
        response = self.client.get(self.detail_url())
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["student_name"], "Student S1")
        self.assertEqual((body["specialty"], body["enrolment_year"]), ("CNC machining", 2024))
        self.assertEqual(body["college_name"], "Riverside College")
        for name in Student.PERSONAL_FIELDS:
            self.assertNotIn(name, body)
        self.assertNotIn("Wang Fang", response.content.decode())  # the guardian
        self.assertIn(self.record.pk, self.listed_ids())
        self.assertEqual(body["actions"], ["offer", "reject", "shortlist"])

    def test_another_enterprise_sees_none_of_it(self):
        self.client.force_authenticate(self.rival)
        self.assert_hidden()
        self.assertEqual(self.client.post(self.detail_url() + "shortlist/").status_code, 404)
        student_url = reverse("api:student-detail", args=[self.record.student_id])
        self.assertEqual(self.client.get(student_url).status_code, 404)

    def test_an_enterprise_sees_only_the_students_nominated_to_it(self):
        self.client.force_authenticate(self.hua)
        nominated = self.client.get(reverse("api:student-detail", args=[self.record.student_id]))
        self.assertEqual(nominated.status_code, 200)
        for name in Student.PERSONAL_FIELDS:
            self.assertNotIn(name, nominated.json())
        other = reverse("api:student-detail", args=[self.other_student.pk])
        self.assertEqual(self.client.get(other).status_code, 404)
        # The list is the college's own: no filter or ordering tells a host more.
        listed = self.client.get(reverse("api:student-list")).json()["results"]
        self.assertEqual(listed, [])

    def test_the_hosts_viewer_and_government_read_but_take_no_step(self):
        for user in (self.hx_viewer, self.olivia):
            self.client.force_authenticate(user)
            self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
            self.assertEqual(self.client.get(self.detail_url()).json()["actions"], [])
            response = self.client.post(self.detail_url() + "shortlist/")
            self.assertEqual(response.status_code, 403, user)
        self.as_user("victor")
        reason = {"reason": "Changed course"}
        response = self.client.post(self.detail_url() + "withdraw/", reason, format="json")
        self.assertEqual(response.status_code, 403)

    def test_a_college_cannot_nominate_to_a_placement_not_open_to_it(self):
        theirs = make_student(self.other_college, "E1")
        self.as_user("charlie")
        data = {"placement": self.placement.pk, "students": [theirs.pk]}
        response = self.client.post(self.list_url(), data, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"placement": [NOT_SEEN]})
        draft = make_placement(self.host, self.college)  # open to alice's college, unpublished
        self.as_user("alice")
        data = {"placement": draft.pk, "students": [self.other_student.pk]}
        response = self.client.post(self.list_url(), data, format="json")
        self.assertEqual(response.json(), {"placement": [NOT_SEEN]})
        self.assertEqual(Nomination.objects.count(), 1)

    def test_a_student_the_caller_does_not_see_reads_as_missing(self):
        theirs = make_student(self.other_college, "E1")
        self.as_user("alice")
        data = {"placement": self.placement.pk, "students": [self.other_student.pk, theirs.pk]}
        response = self.client.post(self.list_url(), data, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"students": {"1": [NOT_SEEN]}})

    def test_the_host_cannot_nominate(self):
        self.client.force_authenticate(self.hua)  # sees the nominated student, keeps none
        data = {"placement": self.placement.pk, "students": [self.record.student_id]}
        self.assertEqual(self.client.post(self.list_url(), data, format="json").status_code, 403)


class TestNominationApiFromTheHostsSide(NominationApiCase):
    def test_the_host_lists_only_its_placements_nominations(self):
        mine = make_nomination(self.placement, self.student)
        elsewhere = make_placement(self.rival_host, self.college, status="published")
        theirs = make_nomination(elsewhere, self.new_student("S9"))
        self.as_user(self.hua)
        listed = self.client.get(self.url()).json()["results"]
        self.assertEqual([row["id"] for row in listed], [mine.pk])
        self.assertEqual(self.client.get(self.url(theirs)).status_code, 404)
        self.as_user(self.alice)  # the college sees both
        listed = {row["id"] for row in self.client.get(self.url()).json()["results"]}
        self.assertEqual(listed, {mine.pk, theirs.pk})
