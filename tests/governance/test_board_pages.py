"""The board pages: who reads and who writes, setting a board up and seating members
through the pages, refusals shown as form errors (never a 500), the warnings, the
members' CSV export, and constant query counts."""

from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Board, BoardKind, BoardMember, BoardPowers, Constituency
from governance.services.boards import RULES_2014
from tests.helpers import permissions
from tests.people import People

from .helpers import TODAY, make_board, make_meeting, make_resolution, seat, seat_many

C = Constituency
WILD = 10**30


def board_data(**overrides) -> dict:
    data = {
        "name": "Riverside council",
        "kind": BoardKind.COUNCIL,
        "powers": BoardPowers.DECIDES,
        "term_years": 5,
        "quorum_percent": 50,
        "description": "",
        "seats_enterprise_min": 1,
        "seats_enterprise_max": 5,
        "seats_teachers_min": "",
        "seats_teachers_max": 3,
    }
    data.update(overrides)
    return data


def member_data(**overrides) -> dict:
    data = {
        "username": "",
        "name": "Li Na",
        "represents": "",
        "constituency": C.TEACHERS,
        "position": "member",
        "term_start": TODAY.isoformat(),
        "term_end": "",
    }
    data.update(overrides)
    return data


class BoardPagesCase(People, TestCase):
    def setUp(self):
        self.board = make_board(self.college)
        self.member = seat(self.board, self.bob, name="Bob Wang")

    def urls_to_read(self) -> list[str]:
        return [
            self.board.get_absolute_url(),
            f"{self.board.get_absolute_url()}?tab=members",
            f"{self.board.get_absolute_url()}?tab=history",
        ]

    def writes(self) -> list[tuple[str, dict]]:
        """Every write, as (url, POST data)."""
        return [
            (reverse("board-edit", args=[self.board.pk]), board_data(name="Changed")),
            (reverse("board-member-add", args=[self.board.pk]), member_data()),
            (
                reverse("board-member-edit", args=[self.member.pk]),
                member_data(name="Changed", username="bob"),
            ),
            (
                reverse("board-member-leave", args=[self.member.pk]),
                {"left_on": TODAY.isoformat()},
            ),
        ]

    def assert_unchanged(self):
        self.board.refresh_from_db()
        self.member.refresh_from_db()
        self.assertEqual(self.board.name, "Riverside council")
        self.assertEqual((self.member.name, self.member.left_on), ("Bob Wang", None))
        self.assertEqual(BoardMember.objects.filter(board=self.board).count(), 1)


class TestBoardPagePermissions(permissions.PagePermissionCases):
    """The shared page cases: list, board page and edit page."""

    list_url_name = "board-list"
    detail_url_name = "board-detail"
    edit_url_name = "board-edit"

    def make_record(self):
        return make_board(self.college)

    def edit_data(self) -> dict:
        return board_data(name="Renamed council")


class TestWhoReadsAndWrites(BoardPagesCase):
    def test_anonymous_callers_are_sent_to_sign_in(self):
        for url in [reverse("board-list"), reverse("board-create"), *self.urls_to_read()]:
            self.assertEqual(self.client.get(url).status_code, 302, url)
        for url, data in self.writes():
            self.assertEqual(self.client.post(url, data).status_code, 302, url)
        self.assert_unchanged()

    def test_another_organization_finds_nothing(self):
        self.client.force_login(self.charlie)
        for url in self.urls_to_read():
            self.assertEqual(self.client.get(url).status_code, 404, url)
        for url, data in self.writes():
            self.assertEqual(self.client.get(url).status_code, 404 if "leave" not in url else 405)
            self.assertEqual(self.client.post(url, data).status_code, 404, url)
        self.assertNotContains(self.client.get(reverse("board-list")), "Riverside council")
        self.assert_unchanged()

    def test_a_viewer_and_staff_read_but_do_not_write(self):
        for user in (self.victor, self.bob):
            self.client.force_login(user)
            for url in self.urls_to_read():
                self.assertContains(self.client.get(url), "Riverside council")
            members = self.client.get(self.urls_to_read()[1])
            self.assertContains(members, "Bob Wang")
            self.assertNotContains(members, reverse("board-member-edit", args=[self.member.pk]))
            self.assertNotContains(members, reverse("board-member-add", args=[self.board.pk]))
            self.assertContains(self.client.get(reverse("board-list")), "Riverside council")
            self.assertEqual(self.client.get(reverse("board-create")).status_code, 403)
            self.assertEqual(
                self.client.post(reverse("board-create"), board_data()).status_code, 403
            )
            for url, data in self.writes():
                self.assertEqual(self.client.post(url, data).status_code, 403, url)
        self.assert_unchanged()
        self.assertEqual(Board.objects.count(), 1)

    def test_government_reads_but_does_not_write(self):
        self.client.force_login(self.olivia)
        for url in self.urls_to_read():
            self.assertContains(self.client.get(url), "Riverside council")
        self.assertContains(self.client.get(reverse("board-list")), "Riverside council")
        for url, data in self.writes():
            self.assertEqual(self.client.post(url, data).status_code, 403, url)
        self.assert_unchanged()

    def test_the_admin_sees_the_buttons(self):
        self.client.force_login(self.alice)
        page = self.client.get(self.board.get_absolute_url())
        self.assertContains(page, reverse("board-edit", args=[self.board.pk]))
        self.assertContains(page, reverse("board-member-add", args=[self.board.pk]))
        members = self.client.get(self.urls_to_read()[1])
        self.assertContains(members, reverse("board-member-edit", args=[self.member.pk]))
        self.assertContains(self.client.get(reverse("board-list")), reverse("board-create"))

    def test_the_list_filters_by_kind_powers_and_text(self):
        make_board(self.college, name="Advisory panel", kind=BoardKind.ADVISORY, powers="advises")
        self.client.force_login(self.alice)
        url = reverse("board-list")
        page = self.client.get(url, {"kind": BoardKind.ADVISORY})
        self.assertContains(page, "Advisory panel")
        self.assertNotContains(page, "Riverside council")
        page = self.client.get(url, {"powers": BoardPowers.DECIDES, "q": "riverside"})
        self.assertContains(page, "Riverside council")
        self.assertNotContains(page, "Advisory panel")
        self.assertEqual(self.client.get(url, {"kind": "nonsense"}).status_code, 200)


class TestTheAdminThroughThePages(BoardPagesCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.alice)

    def test_sets_up_a_board_with_its_seats(self):
        self.assertContains(self.client.get(reverse("board-create")), 'name="seats_alumni_min"')
        response = self.client.post(
            reverse("board-create"), board_data(organization=self.college.pk, name="New council")
        )
        board = Board.objects.get(name="New council")
        self.assertRedirects(response, board.get_absolute_url())
        self.assertEqual(board.organization, self.college)
        self.assertEqual(
            sorted(board.seats.values_list("constituency", "minimum", "maximum")),
            [(C.ENTERPRISE, 1, 5), (C.TEACHERS, 0, 3)],
        )

    def test_edits_the_board_and_its_seats(self):
        url = reverse("board-edit", args=[self.board.pk])
        form = self.client.get(url)
        self.assertContains(form, 'name="seats_teachers_max"')
        response = self.client.post(url, board_data(name="Council 2", seats_teachers_max=10))
        self.assertRedirects(response, self.board.get_absolute_url())
        self.board.refresh_from_db()
        self.assertEqual(self.board.name, "Council 2")
        self.assertEqual(
            sorted(self.board.seats.values_list("constituency", "maximum")),
            [(C.ENTERPRISE, 5), (C.TEACHERS, 10)],
        )

    def test_cannot_drop_the_seats_a_member_sits_in(self):
        url = reverse("board-edit", args=[self.board.pk])
        response = self.client.post(url, board_data(seats_teachers_max=""))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "keep its seats")
        self.assertTrue(self.board.seats.filter(constituency=C.TEACHERS).exists())

    def test_adds_edits_and_ends_a_members_seat(self):
        response = self.client.post(
            reverse("board-member-add", args=[self.board.pk]),
            member_data(username="victor", name="", constituency=C.ENTERPRISE),
        )
        self.assertRedirects(response, f"{self.board.get_absolute_url()}?tab=members")
        added = BoardMember.objects.get(board=self.board, user=self.victor)
        self.assertEqual(added.name, self.victor.get_full_name() or "victor")
        self.assertEqual(added.term_end.year - added.term_start.year, 5)

        url = reverse("board-member-edit", args=[added.pk])
        self.assertContains(self.client.get(url), 'value="victor"')
        self.client.post(
            url,
            member_data(
                username="victor", name="Victor Zhao", position="chair", represents=self.college.pk
            ),
        )
        added.refresh_from_db()
        self.assertEqual(
            (added.name, added.position, added.represents), ("Victor Zhao", "chair", self.college)
        )

        self.client.post(reverse("board-member-leave", args=[added.pk]), {"left_on": TODAY})
        added.refresh_from_db()
        self.assertEqual(added.left_on, TODAY)
        # Once left, the record stays as it was.
        response = self.client.post(url, member_data(name="Again"), follow=True)
        self.assertContains(response, "has left the board")


class TestRefusalsAreFormErrors(BoardPagesCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.alice)

    def test_a_member_beyond_the_maximum_is_refused_with_a_message(self):
        small = make_board(self.college, name="Small board", seats={C.ENTERPRISE: (0, 1)})
        seat(small, name="First", constituency=C.ENTERPRISE)
        response = self.client.post(
            reverse("board-member-add", args=[small.pk]),
            member_data(name="Second", constituency=C.ENTERPRISE),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "All 1 seat(s) for Enterprise are filled for this term.")
        self.assertEqual(small.members.count(), 1)
        # A constituency without seats, likewise.
        response = self.client.post(
            reverse("board-member-add", args=[small.pk]),
            member_data(name="Third", constituency=C.STUDENTS),
        )
        self.assertContains(response, "This board has no seats for Students.")

    def test_bad_board_input(self):
        for data in (
            board_data(organization=WILD),
            board_data(organization="x"),
            board_data(organization=self.other_college.pk),
            board_data(organization=self.college.pk, name="x" * 10_000),
            board_data(organization=self.college.pk, description="x" * 30_000),
            board_data(organization=self.college.pk, term_years=WILD),
            board_data(organization=self.college.pk, quorum_percent=100),
            board_data(organization=self.college.pk, kind="emperor"),
            board_data(organization=self.college.pk, seats_enterprise_max=WILD),
            board_data(organization=self.college.pk, seats_enterprise_min=6),
            board_data(
                organization=self.college.pk, seats_enterprise_max="", seats_teachers_max=""
            ),
            board_data(),  # no body
        ):
            response = self.client.post(reverse("board-create"), data)
            self.assertEqual(response.status_code, 200, data)
            self.assertTrue(response.context["form"].errors, data)
        self.assertEqual(Board.objects.count(), 1)

    def test_bad_member_input(self):
        url = reverse("board-member-add", args=[self.board.pk])
        for data in (
            member_data(term_start="9999-01-01"),
            member_data(term_start="2199-06-01"),  # a full term would end after 2200
            member_data(term_end="9999-12-31"),
            member_data(term_start="not a date"),
            member_data(term_end=(TODAY - timedelta(days=1)).isoformat()),
            member_data(term_end=(TODAY + timedelta(days=365 * 9)).isoformat()),
            member_data(represents=WILD),
            member_data(constituency="aliens"),
            member_data(position="emperor"),
            member_data(username="nobody-by-that-name"),
            member_data(username="bob"),  # already seated
            member_data(name="x" * 10_000),
            member_data(name=""),
        ):
            response = self.client.post(url, data)
            self.assertEqual(response.status_code, 200, data)
            self.assertTrue(response.context["form"].errors, data)
        self.assertEqual(self.board.members.count(), 1)

    def test_a_bad_leaving_date_is_a_message(self):
        url = reverse("board-member-leave", args=[self.member.pk])
        for left_on in ("9999-12-31", "x", ""):
            response = self.client.post(url, {"left_on": left_on}, follow=True)
            self.assertEqual(response.status_code, 200)
            self.assertTrue(list(response.context["messages"]))
        self.member.refresh_from_db()
        self.assertIsNone(self.member.left_on)

    def test_wild_ids_in_the_address_are_404(self):
        for name in ("board-detail", "board-edit", "board-member-add"):
            self.assertEqual(self.client.get(reverse(name, args=[WILD])).status_code, 404, name)
        for name in ("board-member-edit", "board-member-leave"):
            self.assertEqual(self.client.post(reverse(name, args=[WILD])).status_code, 404, name)


class TestTheBoardPage(BoardPagesCase):
    def test_shows_the_seats_filled_and_the_warnings(self):
        seat_many(self.board, 2, users=False, constituency=C.ENTERPRISE)
        self.client.force_login(self.victor)
        page = self.client.get(self.board.get_absolute_url())
        self.assertContains(page, "a council should have at least 21")
        self.assertContains(page, "The board has 3 seated member(s)")
        self.assertContains(page, RULES_2014)
        self.assertContains(page, "No plenary meeting was held")
        self.assertNotContains(page, "No member represents an industry association")
        seats = {row["constituency"]: row["filled"] for row in page.context["seats"]}
        self.assertEqual((seats[C.ENTERPRISE], seats[C.TEACHERS]), (2, 1))
        # The composition chart, with its table for screen readers.
        self.assertContains(page, 'class="portal-chart"')
        self.assertContains(page, f'id="chart-board-{self.board.pk}-composition"')
        self.assertContains(page, "<caption>")

    def test_lists_its_latest_meetings_and_resolutions(self):
        self.client.force_login(self.victor)
        page = self.client.get(self.board.get_absolute_url())
        self.assertContains(page, "No meeting yet.")
        self.assertContains(page, "No resolution yet.")
        for index in range(7):
            make_meeting(self.board, title=f"Session {index}", day=TODAY - timedelta(days=index))
            make_resolution(self.board, title=f"Motion {index}")
        other = make_board(self.college, name="Other board")
        make_meeting(other, title="Elsewhere")
        page = self.client.get(self.board.get_absolute_url())
        self.assertEqual(
            [meeting.title for meeting in page.context["recent_meetings"]],
            [f"Session {index}" for index in range(5)],
        )
        self.assertEqual(len(page.context["recent_resolutions"]), 5)
        self.assertNotContains(page, "Elsewhere")
        self.assertContains(page, f"?board={self.board.pk}")

    def test_no_warning_about_size_with_21_members(self):
        seat_many(self.board, 20, users=False, constituency=C.ENTERPRISE)
        self.client.force_login(self.alice)
        page = self.client.get(self.board.get_absolute_url())
        self.assertNotContains(page, "a council should have at least 21")

    def test_exports_the_members_as_csv(self):
        seat(self.board, name="=HYPERLINK(1)", constituency=C.ENTERPRISE, represents=self.college)
        self.client.force_login(self.victor)
        response = self.client.get(
            self.board.get_absolute_url(), {"tab": "members", "export": "csv"}
        )
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        text = response.content.decode("utf-8-sig")
        lines = text.strip().splitlines()
        self.assertTrue(lines[0].startswith("id,name,username,represents,constituency,position"))
        self.assertIn("Bob Wang,bob,,Teaching staff,Member", text)
        self.assertIn("'=HYPERLINK(1),,Riverside College,Enterprise", text)
        self.assertEqual(len(lines), 3)

    def test_another_organization_cannot_export(self):
        self.client.force_login(self.charlie)
        response = self.client.get(self.board.get_absolute_url(), {"export": "csv"})
        self.assertEqual(response.status_code, 404)


class TestQueryCounts(BoardPagesCase):
    def count(self, url) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries)

    def test_the_board_page_reads_the_same_for_1_and_30_members(self):
        self.client.force_login(self.alice)
        urls = [
            self.board.get_absolute_url(),
            f"{self.board.get_absolute_url()}?tab=members",
            f"{self.board.get_absolute_url()}?tab=members&export=csv",
        ]
        for url in urls:
            self.client.get(url)
        one = [self.count(url) for url in urls]
        members = seat_many(self.board, 29, constituency=C.ENTERPRISE)
        for index, member in enumerate(members):
            member.represents = self.college if index % 2 else self.other_college
            member.save()
        many = [self.count(url) for url in urls]
        self.assertEqual(one, many)

    def test_the_list_reads_the_same_for_1_and_20_boards(self):
        self.client.force_login(self.alice)
        url = reverse("board-list")
        self.client.get(url)
        one = self.count(url)
        for index in range(20):
            seat(make_board(self.college, name=f"Board {index}"), name="X")
        self.assertEqual(one, self.count(url))
