"""The governance API: the shared permission cases for every endpoint, the whole cycle
of an amendment (draft a version, propose it, vote, close, in force, diff) through the
API alone, votes read only by the board and government, refusals as 400/403/409 with
field errors, and constant query counts for every list.

alice is admin of Riverside (the college), bob its staff, victor its viewer; charlie is
admin of Eastlake; olivia is staff of the bureau (government)."""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient, APITestCase

from governance.models import (
    Article,
    ArticleVersion,
    Board,
    BoardMember,
    Constituency,
    Meeting,
    Resolution,
    VersionStatus,
    Vote,
)
from partnerships.models import Partnership
from tests.helpers import permissions
from tests.helpers.queries import assert_constant_queries
from tests.people import People

from .helpers import (
    TODAY,
    attend,
    make_articles,
    make_board,
    make_meeting,
    make_resolution,
    make_version,
    seat,
    seat_many,
)

C = Constituency


def api(name: str) -> str:
    return reverse(f"api:{name}")


def detail(name: str, pk: int, verb: str = "") -> str:
    url = reverse(f"api:{name}-detail", args=[pk])
    return f"{url}{verb}/" if verb else url


# --- the shared permission cases ------------------------------------------------------


class TestArticlesApi(permissions.ApiPermissionCases):
    basename = "articles"
    can_update = False

    def make_record(self):
        return make_articles(self.college)

    def create_data(self):
        return {"title": "Articles of Riverside (2027)", "organization": self.college.pk}

    def test_created_with_no_version_in_force(self):
        self.as_user("alice")
        body = self.client.post(self.list_url(), self.create_data()).json()
        self.assertIsNone(body["in_force_version"])
        self.assertEqual(body["body_name"], "Riverside College")
        self.assertTrue(self.client.get(body["url"]).json()["can_manage"])

    def test_a_partnership_one_cannot_see_reads_as_missing(self):
        hidden = Partnership.objects.create(
            name="Eastlake alliance", kind="industry_college", lead=self.other_college
        )
        self.as_user("alice")
        response = self.client.post(
            self.list_url(), {"title": "Articles", "partnership": hidden.pk}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("not one you can see", str(response.json()["partnership"]))


class TestVersionApi(permissions.ApiPermissionCases):
    basename = "article-version"

    def make_record(self):
        self.document = make_articles(self.college)
        return make_version(self.document, 1, VersionStatus.DRAFT)

    def create_data(self):
        return {"document": self.document.pk, "summary": "A second version"}

    def update_data(self):
        return {"summary": "Chapter 3 rewritten"}


class TestBoardApi(permissions.ApiPermissionCases):
    basename = "board"

    def make_record(self):
        return make_board(self.college)

    def create_data(self):
        return {
            "name": "Advisory committee",
            "kind": "advisory",
            "powers": "advises",
            "organization": self.college.pk,
            "seats": [
                {"constituency": C.ENTERPRISE, "minimum": 1, "maximum": 5},
                {"constituency": C.TEACHERS, "minimum": 0, "maximum": 3},
            ],
        }

    def update_data(self):
        return {"description": "Meets twice a year."}


class TestBoardMemberApi(permissions.ApiPermissionCases):
    basename = "board-member"

    def make_record(self):
        self.board = make_board(self.college)
        return seat(self.board, name="Li Na")

    def create_data(self):
        return {
            "board": self.board.pk,
            "name": "Zhang Wei",
            "constituency": C.ENTERPRISE,
            "term_start": TODAY.isoformat(),
        }

    def update_data(self):
        return {"position": "secretary"}


class TestMeetingApi(permissions.ApiPermissionCases):
    basename = "meeting"

    def make_record(self):
        self.board = make_board(self.college)
        return make_meeting(self.board, day=TODAY + timedelta(days=7))

    def create_data(self):
        starts = timezone.now() + timedelta(days=10)
        return {
            "board": self.board.pk,
            "title": "Spring plenary",
            "starts_at": starts.isoformat(),
            "place": "Hall B",
        }

    def update_data(self):
        return {"agenda": "1. The annual plan"}


class TestResolutionApi(permissions.ApiPermissionCases):
    basename = "resolution"

    def make_record(self):
        self.board = make_board(self.college)
        return make_resolution(self.board)

    def create_data(self):
        closes = timezone.now() + timedelta(days=3)
        return {
            "board": self.board.pk,
            "title": "Approve the budget",
            "text": "The council approves the budget for 2027.",
            "kind": "budget",
            "voting_closes_at": closes.isoformat(),
        }

    def update_data(self):
        return {"title": "Approve the 2027 budget"}


# --- the cycle of an amendment --------------------------------------------------------


class TestAmendmentThroughTheApi(People, APITestCase):
    """alice drafts version 2 from version 1 in force, proposes it, opens a written
    resolution to adopt it; three seated members vote for; alice closes: version 2 is in
    force, version 1 superseded, and the diff shows the change."""

    def setUp(self):
        self.document = make_articles(self.college)
        self.v1 = make_version(self.document, 1, VersionStatus.IN_FORCE)
        Article.objects.create(version=self.v1, number=1, chapter="General", text="The college")
        Article.objects.create(version=self.v1, number=2, text="The council meets yearly.")
        self.board = make_board(self.college)
        self.voters = [seat(self.board, self.alice), seat(self.board, self.bob)]
        self.voters += [seat(self.board, self.victor)]

    def as_user(self, user):
        self.client.force_authenticate(user)

    def test_the_whole_cycle(self):
        self.as_user(self.alice)
        response = self.client.post(
            api("article-version-list"), {"document": self.document.pk, "summary": "Meet twice"}
        )
        self.assertEqual(response.status_code, 201, response.content)
        version = response.json()
        self.assertEqual((version["number"], version["status"]), (2, "draft"))
        articles_url = detail("article-version", version["id"], "articles")
        response = self.client.post(
            articles_url, {"number": 2, "text": "The council meets twice a year."}
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(len(response.json()["articles"]), 2)
        response = self.client.post(articles_url, {"number": 3, "text": "Minutes are public."})
        response = self.client.post(detail("article-version", version["id"], "propose"))
        self.assertEqual(response.json()["status"], "proposed")

        closes = (timezone.now() + timedelta(days=2)).isoformat()
        response = self.client.post(
            api("resolution-list"),
            {
                "board": self.board.pk,
                "title": "Adopt version 2",
                "text": "The council adopts version 2 of the articles.",
                "kind": "article_amendment",
                "article_version": version["id"],
                "voting_closes_at": closes,
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        resolution_id = response.json()["id"]
        response = self.client.post(detail("resolution", resolution_id, "open-voting"))
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["threshold"], "two_thirds")
        self.assertIn("vote", response.json()["actions"])

        for person in (self.alice, self.bob, self.victor):
            self.as_user(person)
            response = self.client.post(
                api("vote-list"), {"resolution": resolution_id, "choice": "for"}
            )
            self.assertEqual(response.status_code, 201, response.content)
            self.assertEqual(response.json()["cast_by"], person.username)
        self.assertEqual(
            self.client.get(detail("resolution", resolution_id)).json()["tally"]["votes_for"], 3
        )

        self.as_user(self.alice)
        response = self.client.post(detail("resolution", resolution_id, "close-voting"))
        self.assertEqual(response.status_code, 200, response.content)
        closed = response.json()
        self.assertEqual(
            (closed["status"], closed["votes_for"], closed["seated"]), ("passed", 3, 3)
        )
        self.assertIsNone(closed["tally"])
        response = self.client.get(detail("article-version", version["id"]))
        self.assertEqual(response.json()["status"], "in_force")
        self.assertEqual(response.json()["adopted_by"], resolution_id)
        self.assertEqual(response.json()["actions"], [])
        self.v1.refresh_from_db()
        self.assertEqual(self.v1.status, VersionStatus.SUPERSEDED)
        articles = self.client.get(detail("articles", self.document.pk)).json()
        self.assertEqual(articles["in_force_version"], version["id"])

        response = self.client.get(
            detail("article-version", version["id"], "diff"), {"against": self.v1.pk}
        )
        self.assertEqual(response.status_code, 200, response.content)
        diff = response.json()
        self.assertEqual((diff["older"], diff["newer"]), (self.v1.pk, version["id"]))
        changes = {row["number"]: row for row in diff["changes"]}
        self.assertEqual(changes[1]["change"], "same")
        self.assertEqual(changes[3]["change"], "added")
        self.assertEqual(changes[2]["change"], "changed")
        kinds = {(seg["kind"], seg["text"]) for seg in changes[2]["segments"]}
        self.assertIn(("removed", "yearly"), kinds)
        self.assertIn(("added", "twice a year"), kinds)

    def test_an_adopted_version_refuses_changes_with_409(self):
        self.as_user(self.alice)
        url = detail("article-version", self.v1.pk, "articles")
        response = self.client.post(url, {"number": 1, "text": "Rewritten"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(Article.objects.get(version=self.v1, number=1).text, "The college")
        response = self.client.patch(detail("article-version", self.v1.pk), {"summary": "x"})
        self.assertEqual(response.status_code, 409)
        response = self.client.post(
            detail("article-version", self.v1.pk, "articles/delete"), {"number": 1}
        )
        self.assertEqual(response.status_code, 409)

    def test_the_diff_refuses_a_version_of_other_articles_or_one_hidden(self):
        self.as_user(self.alice)
        other = make_version(make_articles(self.college, "Other"), 1, VersionStatus.DRAFT)
        hidden = make_version(make_articles(self.other_college, "Eastlake"), 1)
        url = detail("article-version", self.v1.pk, "diff")
        for against in (other.pk, hidden.pk, 10**30, "x", "", "9" * 5000):
            response = self.client.get(url, {"against": against})
            self.assertEqual(response.status_code, 400, against)
            self.assertIn("against", response.json())

    def test_a_member_votes_once_and_a_non_member_not_at_all(self):
        resolution = make_resolution(
            self.board, status="voting", voting_closes_at=timezone.now() + timedelta(days=1)
        )
        self.as_user(self.bob)
        data = {"resolution": resolution.pk, "choice": "against"}
        self.assertEqual(self.client.post(api("vote-list"), data).status_code, 201)
        response = self.client.post(api("vote-list"), {**data, "choice": "for"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("member", response.json())
        self.as_user(self.olivia)
        self.assertEqual(self.client.post(api("vote-list"), data).status_code, 403)
        self.as_user(self.charlie)
        response = self.client.post(api("vote-list"), data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("resolution", response.json())
        self.assertEqual(Vote.objects.filter(resolution=resolution).count(), 1)

    def test_a_vote_for_a_member_one_holds_no_proxy_for_is_403(self):
        meeting = make_meeting(self.board)
        attend(meeting, self.voters[:2])
        resolution = make_resolution(self.board, status="voting", meeting=meeting)
        self.as_user(self.alice)
        data = {"resolution": resolution.pk, "choice": "for", "member": self.voters[1].pk}
        self.assertEqual(self.client.post(api("vote-list"), data).status_code, 403)
        data["member"] = 10**9
        response = self.client.post(api("vote-list"), data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("member", response.json())

    def test_a_closed_resolution_takes_no_vote(self):
        resolution = make_resolution(self.board, status="passed")
        self.as_user(self.bob)
        response = self.client.post(
            api("vote-list"), {"resolution": resolution.pk, "choice": "for"}
        )
        self.assertEqual(response.status_code, 409)


class TestVotesAreTheBoardsAndGovernments(People, APITestCase):
    def setUp(self):
        self.board = make_board(self.college)
        self.member = seat(self.board, self.bob)
        self.resolution = make_resolution(self.board, status="voting")
        self.vote = Vote.objects.create(
            resolution=self.resolution, member=self.member, choice="for", cast_by=self.bob
        )

    def visible(self, user) -> tuple[int, set[int]]:
        self.client.force_authenticate(user)
        listed = self.client.get(api("vote-list")).json()
        status = self.client.get(detail("vote", self.vote.pk)).status_code
        return status, {row["id"] for row in listed.get("results", [])}

    def test_the_body_admins_the_board_and_government_read_votes(self):
        for person in (self.alice, self.bob, self.olivia):
            self.assertEqual(self.visible(person), (200, {self.vote.pk}), person)

    def test_others_see_none_even_members_of_the_college(self):
        for person in (self.victor, self.charlie):
            self.assertEqual(self.visible(person), (404, set()), person)

    def test_anonymous_callers_get_401(self):
        self.client.force_authenticate(None)
        self.assertEqual(self.client.get(api("vote-list")).status_code, 401)
        self.assertEqual(self.client.post(api("vote-list"), {}).status_code, 401)

    def test_votes_have_no_history_route_and_cannot_change(self):
        self.client.force_authenticate(self.bob)
        url = detail("vote", self.vote.pk)
        self.assertEqual(self.client.get(url + "history/").status_code, 404)
        self.assertEqual(self.client.patch(url, {"choice": "against"}).status_code, 405)
        self.assertEqual(self.client.delete(url).status_code, 405)

    def test_filter_by_resolution_and_choice(self):
        self.client.force_authenticate(self.alice)
        response = self.client.get(
            api("vote-list"), {"resolution": self.resolution.pk, "choice": "against"}
        )
        self.assertEqual(response.json()["results"], [])
        self.assertEqual(self.client.get(api("vote-list"), {"resolution": "x"}).status_code, 400)


# --- boards, members and meetings -----------------------------------------------------


class TestBoardsMembersAndMeetingsThroughTheApi(People, APITestCase):
    def setUp(self):
        self.client.force_authenticate(self.alice)
        self.board = make_board(self.college, seats={C.ENTERPRISE: (1, 1), C.TEACHERS: (0, 3)})

    def test_a_board_needs_its_seats_once_per_constituency(self):
        data = {"name": "Council", "kind": "council", "organization": self.college.pk}
        response = self.client.post(api("board-list"), {**data, "seats": []})
        self.assertEqual(response.status_code, 400)
        self.assertIn("seats", response.json())
        twice = [{"constituency": C.TEACHERS, "minimum": 0, "maximum": 2}] * 2
        response = self.client.post(api("board-list"), {**data, "seats": twice})
        self.assertEqual(response.status_code, 400)
        self.assertIn("seats", response.json())
        inverted = [{"constituency": C.TEACHERS, "minimum": 3, "maximum": 2}]
        response = self.client.post(api("board-list"), {**data, "seats": inverted})
        self.assertEqual(response.status_code, 400)
        missing = [{"constituency": C.TEACHERS}]
        response = self.client.post(api("board-list"), {**data, "seats": missing})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Board.objects.filter(name="Council").exists())

    def test_the_detail_shows_seats_filled_and_warnings(self):
        seat(self.board, name="Zhao", constituency=C.ENTERPRISE)
        body = self.client.get(detail("board", self.board.pk)).json()
        filled = {row["constituency"]: row["filled"] for row in body["seats_filled"]}
        self.assertEqual(filled, {C.ENTERPRISE: 1, C.TEACHERS: 0})
        self.assertIn("too_few_members", {warning["code"] for warning in body["warnings"]})
        self.assertEqual(
            body["actions"], ["add_member", "draft_resolution", "edit", "schedule_meeting"]
        )

    def test_a_member_beyond_the_maximum_is_refused(self):
        data = {"board": self.board.pk, "name": "Zhao", "constituency": C.ENTERPRISE}
        data["term_start"] = TODAY.isoformat()
        self.assertEqual(self.client.post(api("board-member-list"), data).status_code, 201)
        response = self.client.post(api("board-member-list"), {**data, "name": "Qian"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(BoardMember.objects.filter(board=self.board).count(), 1)

    def test_a_portal_user_by_username_and_the_name_defaults(self):
        data = {"board": self.board.pk, "user": "bob", "constituency": C.TEACHERS}
        response = self.client.post(api("board-member-list"), {**data, "term_start": "2026-01-01"})
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["user"], body["term_end"]), ("bob", "2031-01-01"))
        self.assertTrue(body["name"])
        response = self.client.post(
            api("board-member-list"), {**data, "user": "nobody", "term_start": "2026-01-01"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("user", response.json())
        response = self.client.post(
            api("board-member-list"),
            {"board": self.board.pk, "constituency": C.TEACHERS, "term_start": "2026-01-01"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("name", response.json())

    def test_leaving_frees_the_seat(self):
        member = seat(self.board, name="Zhao", constituency=C.ENTERPRISE)
        response = self.client.post(detail("board-member", member.pk, "leave"), {})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["left_on"], TODAY.isoformat())
        self.assertFalse(response.json()["seated"])
        response = self.client.post(detail("board-member", member.pk, "leave"), {})
        self.assertEqual(response.status_code, 409)

    def test_attendance_with_a_proxy_and_the_quorum_live(self):
        members = seat_many(self.board, 3, users=False)
        meeting = make_meeting(self.board, day=TODAY, hour=0)
        rows = [
            {"member": members[0].pk, "status": "present"},
            {"member": members[1].pk, "status": "proxy", "proxy_holder": members[0].pk},
            {"member": members[2].pk, "status": "absent"},
        ]
        url = detail("meeting", meeting.pk, "attendance")
        response = self.client.post(url, {"rows": rows})
        self.assertEqual(response.status_code, 200, response.content)
        quorum = response.json()["quorum"]
        self.assertEqual((quorum["present"], quorum["by_proxy"], quorum["seated"]), (1, 1, 3))
        self.assertTrue(quorum["met"])
        self.assertEqual(len(response.json()["attendance"]), 3)
        own = [{"member": members[0].pk, "status": "proxy", "proxy_holder": members[0].pk}]
        response = self.client.post(url, {"rows": own})
        self.assertEqual(response.status_code, 400)
        self.assertIn("rows", response.json())
        stranger = seat(make_board(self.other_college), name="Stranger")
        response = self.client.post(url, {"rows": [{"member": stranger.pk, "status": "present"}]})
        self.assertEqual(response.status_code, 400)
        self.assertIn("rows", response.json())

    def test_hold_minutes_and_approve(self):
        meeting = make_meeting(self.board, day=TODAY - timedelta(days=1))
        self.assertEqual(
            self.client.post(detail("meeting", meeting.pk, "approve-minutes")).status_code, 409
        )
        self.assertEqual(self.client.post(detail("meeting", meeting.pk, "hold")).status_code, 200)
        response = self.client.post(detail("meeting", meeting.pk, "minutes"), {"minutes": ""})
        self.assertEqual(response.status_code, 400)
        response = self.client.post(
            detail("meeting", meeting.pk, "minutes"), {"minutes": "The plan was approved."}
        )
        self.assertEqual(response.json()["minutes"], "The plan was approved.")
        response = self.client.post(detail("meeting", meeting.pk, "approve-minutes"))
        self.assertIsNotNone(response.json()["minutes_approved_at"])
        self.assertEqual(response.json()["actions"], [])

    def test_a_cancelled_meeting_with_its_reason(self):
        meeting = make_meeting(self.board, day=TODAY + timedelta(days=3))
        url = detail("meeting", meeting.pk, "cancel")
        self.assertEqual(self.client.post(url, {}).status_code, 400)
        response = self.client.post(url, {"reason": "The hall is closed."})
        self.assertEqual(response.json()["status"], "cancelled")
        self.assertEqual(self.client.post(url, {"reason": "Again"}).status_code, 409)

    def test_a_meeting_out_of_the_portals_dates_is_a_field_error(self):
        data = {"board": self.board.pk, "title": "Far", "place": "Hall"}
        for moment in ("9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00", "1900-01-01"):
            response = self.client.post(api("meeting-list"), {**data, "starts_at": moment})
            self.assertEqual(response.status_code, 400, moment)
            self.assertIn("starts_at", response.json())
        self.assertFalse(Meeting.objects.filter(title="Far").exists())

    def test_wild_input_found_by_probing_is_a_field_error(self):
        data = {"board": self.board.pk, "title": "Far", "place": "Hall"}
        for moment in ("0001-01-01T00:00:00", "0001-01-01"):
            response = self.client.post(api("meeting-list"), {**data, "starts_at": moment})
            self.assertEqual(response.status_code, 400, moment)
            self.assertIn("starts_at", response.json())
        resolution = make_resolution(self.board)
        response = self.client.post(
            detail("resolution", resolution.pk, "open-voting"),
            {"voting_closes_at": "0001-01-01T00:00:00"},
        )
        self.assertEqual(response.status_code, 400)
        response = self.client.post(api("vote-list"), {"resolution": "9" * 5000, "choice": "for"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("resolution", response.json())
        response = self.client.post(
            api("vote-list"),
            '{"resolution": ' + str(resolution.pk) + ', "choice": "\\ud800"}',
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        response = self.client.post(
            api("board-member-list"),
            {"board": self.board.pk, "user": "x" * 5000, "constituency": C.TEACHERS},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["user"], ["No active portal user has this username."])

    def test_a_resolution_at_a_meeting_of_another_board_is_refused(self):
        other = make_board(self.college, name="Other board")
        meeting = make_meeting(other)
        data = {"board": self.board.pk, "title": "Plan", "text": "Approve", "meeting": meeting.pk}
        response = self.client.post(api("resolution-list"), data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("meeting", response.json())
        hidden = make_meeting(make_board(self.other_college))
        response = self.client.post(api("resolution-list"), {**data, "meeting": hidden.pk})
        self.assertEqual(response.status_code, 400)
        self.assertIn("not one you can see", str(response.json()["meeting"]))
        self.assertFalse(Resolution.objects.filter(title="Plan").exists())

    def test_a_written_resolution_needs_a_closing_time_to_open(self):
        resolution = make_resolution(self.board)
        response = self.client.post(detail("resolution", resolution.pk, "open-voting"), {})
        self.assertEqual(response.status_code, 400)
        self.assertIn("voting_closes_at", response.json())
        response = self.client.post(detail("resolution", resolution.pk, "withdraw"))
        self.assertEqual(response.json()["status"], "withdrawn")


# --- query counts ---------------------------------------------------------------------


class TestListQueries(People, TestCase):
    def setUp(self):
        self.client = APIClient()
        self.client.force_authenticate(self.alice)
        self.board = make_board(self.college)
        self.document = make_articles(self.college)
        self.next = 0

    def more(self, make):
        def add(count: int):
            for _ in range(count):
                self.next += 1
                make(self.next)

        return add

    def check(self, name: str, make):
        add = self.more(make)
        add(1)
        assert_constant_queries(self, lambda: self.client.get(api(f"{name}-list")), add)

    def test_articles(self):
        self.check(
            "articles",
            lambda n: make_version(make_articles(self.college, f"A{n}"), 1, VersionStatus.IN_FORCE),
        )

    def test_versions(self):
        self.check("article-version", lambda n: make_version(self.document, n, "draft"))

    def test_boards(self):
        self.check("board", lambda n: make_board(self.college, name=f"Board {n}"))

    def test_board_members(self):
        self.check("board-member", lambda n: seat(self.board, name=f"Member {n}"))

    def test_meetings(self):
        self.check("meeting", lambda n: make_meeting(self.board, title=f"Meeting {n}"))

    def test_resolutions(self):
        self.check("resolution", lambda n: make_resolution(self.board, title=f"R{n}"))

    def test_votes(self):
        resolution = make_resolution(self.board, status="voting")

        def vote(n):
            member = seat(self.board, name=f"Voter {n}")
            Vote.objects.create(resolution=resolution, member=member, choice="for")

        self.check("vote", vote)

    def test_a_version_with_many_articles_and_its_diff(self):
        version = make_version(self.document, 1, VersionStatus.IN_FORCE)
        draft = make_version(self.document, 2, VersionStatus.DRAFT)
        numbers = iter(range(1, 500))

        def add(count: int):
            for _ in range(count):
                n = next(numbers)
                Article.objects.create(version=version, number=n, text=f"Old {n}")
                Article.objects.create(version=draft, number=n, text=f"New {n}")

        add(1)
        url = detail("article-version", draft.pk)
        assert_constant_queries(self, lambda: self.client.get(url), add)
        diff = url + "diff/"
        assert_constant_queries(self, lambda: self.client.get(diff, {"against": version.pk}), add)
        self.assertGreater(ArticleVersion.objects.get(pk=draft.pk).articles.count(), 50)
