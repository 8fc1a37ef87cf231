"""The shared permission cases for teacher secondments (API and pages), and the rules
of their own: only the college's admins record and change them (not its staff); the
host enterprise reads the ones it hosted, another enterprise sees none; the host's
admins are told.

alice is admin of Riverside (the college), bob its staff, victor its viewer; charlie is
admin of Eastlake; olivia is staff of the bureau (government oversight); hua is admin
and hugo staff of Huaxin (the host); lan is admin of Lanting (another enterprise)."""

from datetime import date

from django.urls import reverse

from accounts.models import OrganizationKind
from internships.models import Secondment
from portal.models import Notification
from tests.factories import OrganizationFactory
from tests.helpers import permissions

from .secondments import HostEnterprises, api_data, form_data, make_secondment


class TestSecondmentApi(HostEnterprises, permissions.ApiPermissionCases):
    basename = "secondment"

    def make_record(self):
        return make_secondment(self.college, self.host)

    def create_data(self):
        return api_data(self.college, self.host, teacher_number="T2002")

    def update_data(self):
        return {"activities": "Rebuilt the fixture library with the tooling team."}

    def test_the_host_enterprise_reads_what_it_hosted_but_cannot_change_it(self):
        for person in (self.hua, self.hugo):
            self.client.force_authenticate(person)
            response = self.client.get(self.detail_url())
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.json()["actions"], [])
            self.assertIn(self.record.pk, self.listed_ids())
            response = self.client.patch(self.detail_url(), self.update_data())
            self.assertEqual(response.status_code, 403)

    def test_another_enterprise_gets_404(self):
        self.client.force_authenticate(self.lan)
        self.assert_hidden()
        self.assertEqual(self.client.patch(self.detail_url(), {"days": 1}).status_code, 404)

    def test_the_colleges_staff_cannot_record_or_change(self):
        self.as_user("bob")
        response = self.client.post(self.list_url(), self.create_data())
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.patch(self.detail_url(), self.update_data()).status_code, 403)
        self.assertEqual(self.client.get(self.detail_url()).json()["actions"], [])
        self.assertFalse(Secondment.objects.filter(teacher_number="T2002").exists())

    def test_an_admin_of_another_college_cannot_record_for_this_one(self):
        self.as_user("charlie")
        self.assertEqual(self.client.post(self.list_url(), self.create_data()).status_code, 403)

    def test_an_enterprise_cannot_record_secondments(self):
        self.client.force_authenticate(self.hua)
        data = {key: value for key, value in self.create_data().items() if key != "college"}
        self.assertEqual(self.client.post(self.list_url(), data).status_code, 403)

    def test_the_college_of_an_admin_of_one_need_not_be_named(self):
        self.as_user("alice")
        data = {key: value for key, value in self.create_data().items() if key != "college"}
        response = self.client.post(self.list_url(), data)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["college"], self.college.pk)
        detail = self.client.get(response.json()["url"]).json()
        self.assertEqual(detail["actions"], ["edit"])
        self.assertEqual(detail["host_name"], "Huaxin")

    def test_recording_one_tells_the_hosts_admins(self):
        self.as_user("alice")
        self.client.post(self.list_url(), self.create_data())
        told = set(Notification.objects.values_list("recipient__username", flat=True))
        self.assertEqual(told, {"hx_hua"})
        self.assertIn("Riverside College", Notification.objects.get().title)

    def test_moving_it_to_another_host_tells_the_new_hosts_admins(self):
        self.as_user("alice")
        response = self.client.patch(self.detail_url(), {"host": self.lanting.pk})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            set(Notification.objects.values_list("recipient__username", flat=True)), {"lt_lan"}
        )
        self.client.force_authenticate(self.hua)  # no longer its host
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)

    def test_a_host_that_is_not_an_active_enterprise_reads_as_missing(self):
        closed = OrganizationFactory(
            kind=OrganizationKind.ENTERPRISE, name="Closed Ltd", is_active=False
        )
        self.as_user("alice")
        for host in (self.college.pk, self.bureau.pk, closed.pk, 2**70, "abc"):
            data = {**self.create_data(), "host": host}
            response = self.client.post(self.list_url(), data)
            self.assertEqual(response.status_code, 400, host)
            self.assertIn("host", response.json())
        response = self.client.patch(self.detail_url(), {"host": self.college.pk})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["host"], ["No such record, or not one you can see."])

    def test_filters(self):
        make_secondment(
            self.college,
            self.lanting,
            teacher_number="T3003",
            teacher_name="Liu Yang",
            specialty_teacher=False,
            start_date=date(2023, 9, 1),
            end_date=date(2023, 10, 31),
            days=30,
        )
        make_secondment(self.other_college, self.host, teacher_number="E0001")
        self.as_user("olivia")  # sees every college's
        numbers = lambda query: {  # noqa: E731
            row["teacher_number"]
            for row in self.client.get(self.list_url(), query).json()["results"]
        }
        self.assertEqual(numbers({}), {"T1001", "T3003", "E0001"})
        self.assertEqual(numbers({"college": self.college.pk}), {"T1001", "T3003"})
        self.assertEqual(numbers({"host": self.lanting.pk}), {"T3003"})
        self.assertEqual(numbers({"teacher_number": "T3003"}), {"T3003"})
        self.assertEqual(numbers({"specialty_teacher": "false"}), {"T3003"})
        self.assertEqual(numbers({"starts_after": "2024-01-01"}), {"T1001", "E0001"})
        self.assertEqual(numbers({"starts_before": "2024-01-01"}), {"T3003"})
        self.assertEqual(
            numbers({"ends_after": "2025-05-01", "college": self.college.pk}), {"T1001"}
        )
        self.assertEqual(numbers({"ends_before": "2023-12-31"}), {"T3003"})
        self.assertEqual(numbers({"search": "Liu"}), {"T3003"})
        self.assertEqual(numbers({"updated_after": "2999-01-01T00:00:00Z"}), set())
        for wild in ({"college": "x"}, {"starts_after": "9999-99-99"}, {"host": 2**70}):
            self.assertEqual(self.client.get(self.list_url(), wild).status_code, 400, wild)


class TestSecondmentPages(HostEnterprises, permissions.PagePermissionCases):
    list_url_name = "secondment-list"
    detail_url_name = "secondment-detail"
    edit_url_name = "secondment-edit"

    def make_record(self):
        return make_secondment(self.college, self.host)

    def edit_data(self):
        return form_data(self.host, activities="Rebuilt the fixture library.")

    def test_an_admin_records_a_secondment_and_the_host_is_told(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(reverse("secondment-create")).status_code, 200)
        data = form_data(self.host, self.college, teacher_number="T2002")
        response = self.client.post(reverse("secondment-create"), data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        secondment = Secondment.objects.get(teacher_number="T2002")
        self.assertEqual(response["Location"], secondment.get_absolute_url())
        self.assertEqual(secondment.history.count(), 1)
        self.assertEqual(
            list(Notification.objects.values_list("recipient__username", flat=True)), ["hx_hua"]
        )

    def test_the_colleges_staff_and_viewers_cannot_record_or_edit(self):
        for person in (self.bob, self.victor):
            self.client.force_login(person)
            self.assertEqual(self.client.get(reverse("secondment-create")).status_code, 403)
            data = form_data(self.host, self.college, teacher_number="T2002")
            self.assertEqual(self.client.post(reverse("secondment-create"), data).status_code, 403)
            self.assertEqual(self.client.get(self.edit_url()).status_code, 403)
            self.assertNotContains(self.client.get(self.detail_url()), self.edit_url())
        self.assertFalse(Secondment.objects.filter(teacher_number="T2002").exists())

    def test_the_host_reads_it_and_another_enterprise_gets_404(self):
        self.client.force_login(self.hua)
        response = self.client.get(self.detail_url())
        self.assertContains(response, "Chen Jing")
        self.assertNotContains(response, self.edit_url())
        self.assertNotContains(response, 'data-testid="teacher-days"')  # not the host's
        self.assertContains(self.client.get(reverse("secondment-list")), self.detail_url())
        self.assertEqual(self.client.get(self.edit_url()).status_code, 403)
        self.client.force_login(self.lan)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        self.assertNotContains(self.client.get(reverse("secondment-list")), self.detail_url())

    def test_the_college_sees_the_teachers_days_on_the_secondment(self):
        self.client.force_login(self.victor)
        response = self.client.get(self.detail_url())
        self.assertContains(response, 'data-testid="teacher-days"')

    def test_the_list_exports_csv_with_formulas_made_inert(self):
        make_secondment(self.college, self.host, teacher_name="=HYPERLINK(1)", teacher_number="X1")
        self.client.force_login(self.alice)
        response = self.client.get(reverse("secondment-list"), {"export": "csv"})
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        text = response.content.decode("utf-8-sig")
        self.assertIn("teacher_name,teacher_number,specialty_teacher,college,host", text)
        self.assertIn("Chen Jing,T1001,True,Riverside College,Huaxin,2025-03-03", text)
        self.assertIn("'=HYPERLINK(1)", text)

    def test_the_search_box_finds_own_colleges_secondments_only(self):
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("search"), {"q": "Chen"}), self.detail_url())
        for person in (self.olivia, self.hua):
            self.client.force_login(person)
            response = self.client.get(reverse("search"), {"q": "Chen"})
            self.assertNotContains(response, self.detail_url())

    def test_the_navigation_shows_secondments_to_colleges(self):
        self.client.force_login(self.victor)
        self.assertContains(self.client.get(reverse("home")), reverse("secondment-list"))
        self.client.force_login(self.hua)
        self.assertNotContains(self.client.get(reverse("home")), reverse("secondment-list"))
