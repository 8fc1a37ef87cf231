"""The meeting pages: who reads and who writes, scheduling, attendance in one form, the
quorum shown, minutes, the steps, bad input, and constant query counts."""

from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import OrganizationKind, Role
from governance.models import Attendance, AttendanceStatus, Meeting, MeetingStatus
from tests.factories import OrganizationFactory, UserFactory, member
from tests.people import People

from .helpers import TODAY, make_board, make_meeting, seat


class MeetingPagesCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(name="Acme Tools", kind=OrganizationKind.ENTERPRISE)
        cls.erin = member(cls.enterprise, Role.STAFF, "erin")
        cls.dora = UserFactory(username="dora")

    def setUp(self):
        self.board = make_board(self.college)
        self.erin_seat = seat(self.board, self.erin, represents=self.enterprise)
        self.dora_seat = seat(self.board, self.dora)
        self.pat_seat = seat(self.board, name="Pat Outside")
        self.sam_seat = seat(self.board, name="Sam Outside")
        # Started at midnight today: it may be marked held.
        self.meeting = make_meeting(self.board, agenda="1. The annual plan")

    def post(self, name, *args, data=None):
        return self.client.post(reverse(name, args=args), data or {})

    def attendance_data(self, **statuses) -> dict:
        data = {}
        for name, value in statuses.items():
            member = getattr(self, f"{name}_seat")
            status, _colon, holder = value.partition(":")
            data[f"status_{member.pk}"] = status
            if holder:
                data[f"holder_{member.pk}"] = getattr(self, f"{holder}_seat").pk
        return data


class TestWhoReadsAndWrites(MeetingPagesCase):
    def test_anonymous_callers_are_sent_to_sign_in(self):
        for url in (
            reverse("meeting-list"),
            self.meeting.get_absolute_url(),
            reverse("meeting-schedule", args=[self.board.pk]),
            reverse("meeting-attendance", args=[self.meeting.pk]),
        ):
            self.assertEqual(self.client.get(url).status_code, 302, url)

    def test_another_organization_finds_nothing(self):
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.meeting.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get(reverse("meeting-list")), "Plenary session")
        self.assertEqual(self.post("meeting-hold", self.meeting.pk).status_code, 404)
        url = reverse("meeting-schedule", args=[self.board.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_viewer_and_staff_read_but_do_not_write(self):
        for user in (self.victor, self.bob):
            self.client.force_login(user)
            page = self.client.get(self.meeting.get_absolute_url())
            self.assertContains(page, "The annual plan")
            self.assertNotContains(page, reverse("meeting-hold", args=[self.meeting.pk]))
            for name in ("meeting-edit", "meeting-attendance", "meeting-minutes"):
                self.assertEqual(
                    self.client.get(reverse(name, args=[self.meeting.pk])).status_code, 403
                )
            self.assertEqual(
                self.client.get(reverse("meeting-schedule", args=[self.board.pk])).status_code,
                403,
            )
            self.assertEqual(self.post("meeting-hold", self.meeting.pk).status_code, 403)
            self.assertEqual(
                self.post(
                    "meeting-cancel", self.meeting.pk, data={"reason": "No room"}
                ).status_code,
                403,
            )
            response = self.post(
                "meeting-attendance", self.meeting.pk, data=self.attendance_data(dora="present")
            )
            self.assertEqual(response.status_code, 403)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.status, MeetingStatus.SCHEDULED)
        self.assertFalse(Attendance.objects.exists())

    def test_a_seated_member_from_another_organization_and_government_read(self):
        for user in (self.erin, self.olivia):
            self.client.force_login(user)
            self.assertContains(self.client.get(self.meeting.get_absolute_url()), "Hall A")
            self.assertContains(self.client.get(reverse("meeting-list")), "Plenary session")


class TestThroughThePages(MeetingPagesCase):
    def test_the_admin_schedules_a_meeting(self):
        self.client.force_login(self.alice)
        response = self.post(
            "meeting-schedule",
            self.board.pk,
            data={
                "title": "Spring plenary",
                "kind": "plenary",
                "starts_at": (TODAY + timedelta(days=10)).isoformat() + "T14:30",
                "place": "Council room",
                "agenda": "Budget",
            },
        )
        meeting = Meeting.objects.get(title="Spring plenary")
        self.assertRedirects(response, meeting.get_absolute_url())
        self.assertEqual(meeting.board, self.board)

    def test_bad_meeting_input_is_form_errors_not_a_500(self):
        self.client.force_login(self.alice)
        url = reverse("meeting-schedule", args=[self.board.pk])
        for data in (
            {"title": "No place", "kind": "plenary", "starts_at": "2030-01-01T10:00"},
            {"title": "Bad time", "kind": "plenary", "starts_at": "soon", "place": "Hall"},
            {"title": "", "kind": "nonsense", "starts_at": "2030-01-01T10:00", "place": "H"},
            {"title": "Bad link", "starts_at": "2030-01-01T10:00", "link": "javascript:x"},
        ):
            response = self.client.post(url, data)
            self.assertEqual(response.status_code, 200, data)
            self.assertTrue(response.context["form"].errors, data)
        self.assertEqual(Meeting.objects.count(), 1)

    def test_attendance_in_one_form_and_the_quorum_shown(self):
        self.client.force_login(self.alice)
        page = self.client.get(reverse("meeting-attendance", args=[self.meeting.pk]))
        self.assertContains(page, "Pat Outside")
        response = self.post(
            "meeting-attendance",
            self.meeting.pk,
            data=self.attendance_data(
                erin="present", dora="present", pat="proxy:erin", sam="absent"
            ),
        )
        self.assertRedirects(response, self.meeting.get_absolute_url())
        self.assertEqual(
            dict(Attendance.objects.values_list("member__name", "status")),
            {"erin": "present", "dora": "present", "Pat Outside": "proxy", "Sam Outside": "absent"},
        )
        page = self.client.get(self.meeting.get_absolute_url())
        quorum = page.context["quorum"]
        self.assertEqual((quorum.attending, quorum.seated, quorum.met), (3, 4, True))
        self.assertTrue(page.context["amendment_quorum"].met)
        self.assertContains(page, "3 of 4 seated members attend")
        self.assertContains(page, "held by erin")

    def test_a_proxy_held_by_an_absent_member_is_refused_all_rows_or_none(self):
        self.client.force_login(self.alice)
        response = self.post(
            "meeting-attendance",
            self.meeting.pk,
            data=self.attendance_data(erin="absent", dora="present", pat="proxy:erin"),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "must be present")
        response = self.post(
            "meeting-attendance",
            self.meeting.pk,
            data={f"status_{self.dora_seat.pk}": "asleep", f"holder_{self.pat_seat.pk}": "x"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Attendance.objects.exists())

    def test_hold_minutes_and_approval(self):
        self.client.force_login(self.alice)
        self.post("meeting-hold", self.meeting.pk)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.status, MeetingStatus.HELD)
        response = self.post(
            "meeting-minutes", self.meeting.pk, data={"minutes": "The plan was adopted."}
        )
        self.assertRedirects(response, self.meeting.get_absolute_url())
        self.post("meeting-approve-minutes", self.meeting.pk)
        self.meeting.refresh_from_db()
        self.assertIsNotNone(self.meeting.minutes_approved_at)
        page = self.client.get(self.meeting.get_absolute_url())
        self.assertContains(page, "The plan was adopted.")
        self.assertNotContains(page, reverse("meeting-minutes", args=[self.meeting.pk]))
        # The record is fixed: a second write is a message, not a change.
        response = self.post("meeting-minutes", self.meeting.pk, data={"minutes": "Changed"})
        self.assertEqual(response.status_code, 302)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.minutes, "The plan was adopted.")

    def test_cancel_needs_a_reason_and_shows_it(self):
        self.client.force_login(self.alice)
        response = self.post("meeting-cancel", self.meeting.pk, data={"reason": ""})
        self.assertEqual(response.status_code, 302)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.status, MeetingStatus.SCHEDULED)
        self.post("meeting-cancel", self.meeting.pk, data={"reason": "<b>No room</b>"})
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.status, MeetingStatus.CANCELLED)
        page = self.client.get(self.meeting.get_absolute_url())
        self.assertContains(page, "&lt;b&gt;No room&lt;/b&gt;")

    def test_the_list_filters(self):
        make_meeting(
            self.board,
            title="Later committee",
            kind="committee",
            day=TODAY.replace(year=TODAY.year + 1),
        )
        self.client.force_login(self.alice)
        url = reverse("meeting-list")
        self.assertNotContains(self.client.get(url, {"kind": "committee"}), "Plenary session")
        response = self.client.get(url, {"starts_after": TODAY.replace(year=TODAY.year + 1)})
        self.assertContains(response, "Later committee")
        self.assertNotContains(response, "Plenary session")
        self.assertEqual(self.client.get(url, {"board": 10**30}).status_code, 200)
        self.assertContains(self.client.get(url, {"export": "csv"}), "Later committee")


class TestQueryCounts(MeetingPagesCase):
    def count(self, url) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries)

    def test_the_list_reads_the_same_for_1_and_20_meetings(self):
        self.client.force_login(self.alice)
        url = reverse("meeting-list")
        self.client.get(url)
        one = self.count(url)
        for index in range(19):
            make_meeting(self.board, title=f"Meeting {index}")
        self.assertEqual(one, self.count(url))

    def test_the_meeting_page_reads_the_same_for_4_and_24_members(self):
        self.client.force_login(self.alice)
        url = self.meeting.get_absolute_url()
        Attendance.objects.create(
            meeting=self.meeting, member=self.erin_seat, status=AttendanceStatus.PRESENT
        )
        self.client.get(url)
        few = self.count(url)
        for index in range(20):
            extra = seat(self.board, name=f"Extra {index}")
            Attendance.objects.create(
                meeting=self.meeting,
                member=extra,
                status=AttendanceStatus.PROXY,
                proxy_holder=self.erin_seat,
            )
        self.assertEqual(few, self.count(url))
