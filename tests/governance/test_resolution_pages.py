"""The resolution pages: who reads and who writes, who votes (a seated member of another
organization does; a non-member does not; no one twice), the vote walk through the
pages at a meeting, the votes as CSV, bad input, and constant query counts."""

from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from governance.models import (
    AttendanceStatus,
    BoardPowers,
    Resolution,
    ResolutionStatus,
    VersionStatus,
    Vote,
    VoteChoice,
)
from tests.factories import OrganizationFactory, UserFactory, member
from tests.people import People

from .helpers import (
    attend,
    make_articles,
    make_board,
    make_meeting,
    make_resolution,
    make_version,
    seat,
)

SOON = timezone.now() + timedelta(days=3)


class ResolutionPagesCase(People, TestCase):
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
        self.written = make_resolution(
            self.board, status="voting", voting_closes_at=SOON, text="Adopt the plan for 2030."
        )

    def post(self, name, *args, data=None):
        return self.client.post(reverse(name, args=args), data or {})

    def vote(self, user, choice="for", resolution=None, member=None):
        self.client.force_login(user)
        data = {"choice": choice}
        if member is not None:
            data["member"] = member.pk
        return self.post("resolution-vote", (resolution or self.written).pk, data=data)


class TestWhoReadsAndWrites(ResolutionPagesCase):
    def test_anonymous_callers_are_sent_to_sign_in(self):
        for url in (
            reverse("resolution-list"),
            self.written.get_absolute_url(),
            reverse("resolution-create", args=[self.board.pk]),
            reverse("resolution-votes-csv", args=[self.written.pk]),
        ):
            self.assertEqual(self.client.get(url).status_code, 302, url)

    def test_another_organization_finds_nothing(self):
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.written.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get(reverse("resolution-list")), "annual plan")
        self.assertEqual(self.vote(self.charlie).status_code, 404)
        self.assertEqual(self.post("resolution-close-voting", self.written.pk).status_code, 404)

    def test_a_viewer_and_staff_read_but_neither_manage_nor_vote(self):
        draft = make_resolution(self.board, title="A draft")
        for user in (self.victor, self.bob):
            self.client.force_login(user)
            page = self.client.get(self.written.get_absolute_url())
            self.assertContains(page, "Adopt the plan for 2030.")
            self.assertNotIn("votes", page.context)  # votes by name are the board's
            self.assertNotContains(page, reverse("resolution-vote", args=[self.written.pk]))
            create = reverse("resolution-create", args=[self.board.pk])
            self.assertEqual(self.client.get(create).status_code, 403)
            self.assertEqual(self.post("resolution-open-voting", draft.pk).status_code, 403)
            self.assertEqual(self.post("resolution-close-voting", self.written.pk).status_code, 403)
            self.assertEqual(self.post("resolution-withdraw", draft.pk).status_code, 403)
            self.assertEqual(self.vote(user).status_code, 403)
            csv_url = reverse("resolution-votes-csv", args=[self.written.pk])
            self.assertEqual(self.client.get(csv_url).status_code, 403)
        self.assertFalse(Vote.objects.exists())
        draft.refresh_from_db()
        self.assertEqual(draft.status, ResolutionStatus.DRAFT)

    def test_a_seated_member_of_another_organization_reads_and_votes(self):
        self.client.force_login(self.erin)
        page = self.client.get(self.written.get_absolute_url())
        self.assertContains(page, "Adopt the plan for 2030.")
        self.assertEqual(page.context["vote_seats"], [self.erin_seat])
        self.assertContains(self.client.get(reverse("resolution-list")), "annual plan")
        response = self.vote(self.erin, "against", member=self.erin_seat)
        self.assertRedirects(response, self.written.get_absolute_url())
        vote = Vote.objects.get()
        self.assertEqual(
            (vote.member, vote.choice, vote.cast_by), (self.erin_seat, "against", self.erin)
        )
        page = self.client.get(self.written.get_absolute_url())
        self.assertNotIn("vote_seats", page.context)
        self.assertContains(page, "Against")

    def test_government_reads_the_votes(self):
        self.vote(self.erin, "for")
        self.client.force_login(self.olivia)
        page = self.client.get(self.written.get_absolute_url())
        self.assertEqual([vote.member for vote in page.context["votes"]], [self.erin_seat])
        csv = self.client.get(reverse("resolution-votes-csv", args=[self.written.pk]))
        self.assertEqual(csv.status_code, 200)
        self.assertIn("erin", csv.content.decode())

    def test_a_second_vote_is_refused_with_a_message(self):
        self.vote(self.erin, "for")
        response = self.vote(self.erin, "against", member=self.erin_seat)
        self.assertEqual(response.status_code, 302)
        messages = [str(m) for m in response.wsgi_request._messages]
        self.assertTrue(any("already voted" in message for message in messages), messages)
        self.assertEqual(list(Vote.objects.values_list("choice", flat=True)), ["for"])

    def test_bad_vote_input_is_a_message_not_a_500(self):
        for data in ({"choice": "maybe"}, {"choice": "for", "member": "x"}, {}):
            self.client.force_login(self.erin)
            response = self.post("resolution-vote", self.written.pk, data=data)
            self.assertEqual(response.status_code, 302, data)
        self.assertFalse(Vote.objects.exists())


class TestDrafting(ResolutionPagesCase):
    def test_the_admin_drafts_an_amendment_naming_a_proposed_version(self):
        document = make_articles(self.college)
        proposed = make_version(document, 2)
        make_version(document, 1, status=VersionStatus.IN_FORCE)
        self.client.force_login(self.alice)
        url = reverse("resolution-create", args=[self.board.pk])
        form = self.client.get(url).context["form"]
        self.assertEqual(list(form.fields["article_version"].queryset), [proposed])
        response = self.client.post(
            url,
            {
                "title": "Amend the articles",
                "text": "Adopt version 2.",
                "kind": "article_amendment",
                "article_version": proposed.pk,
            },
        )
        resolution = Resolution.objects.get(title="Amend the articles")
        self.assertRedirects(response, resolution.get_absolute_url())
        page = self.client.get(resolution.get_absolute_url())
        self.assertContains(page, proposed.get_absolute_url())

    def test_bad_resolution_input_is_form_errors_not_a_500(self):
        self.client.force_login(self.alice)
        url = reverse("resolution-create", args=[self.board.pk])
        for data in (
            {"title": "No version", "text": "T", "kind": "article_amendment"},
            {"title": "", "text": "", "kind": "ordinary"},
            {
                "title": "Closes in the past",
                "text": "T",
                "kind": "ordinary",
                "voting_closes_at": "2001-01-01T10:00",
            },
            {"title": "Wild meeting", "text": "T", "kind": "ordinary", "meeting": 10**30},
        ):
            response = self.client.post(url, data)
            self.assertEqual(response.status_code, 200, data)
            self.assertTrue(response.context["form"].errors, data)
        self.assertEqual(Resolution.objects.count(), 1)

    def test_a_written_resolution_needs_a_closing_time_to_open(self):
        draft = make_resolution(self.board, title="A draft")
        self.client.force_login(self.alice)
        response = self.post("resolution-open-voting", draft.pk, data={"voting_closes_at": "x"})
        self.assertEqual(response.status_code, 302)
        self.post("resolution-open-voting", draft.pk)
        draft.refresh_from_db()
        self.assertEqual(draft.status, ResolutionStatus.DRAFT)
        closes = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
        self.post("resolution-open-voting", draft.pk, data={"voting_closes_at": closes})
        draft.refresh_from_db()
        self.assertEqual(draft.status, ResolutionStatus.VOTING)


class TestTheVoteAtAMeeting(ResolutionPagesCase):
    def test_open_three_vote_one_by_proxy_close_passed_with_figures(self):
        meeting = make_meeting(self.board)
        self.client.force_login(self.alice)
        self.client.post(
            reverse("resolution-create", args=[self.board.pk]),
            {
                "title": "Adopt the budget",
                "text": "As tabled.",
                "kind": "ordinary",
                "meeting": meeting.pk,
            },
        )
        resolution = Resolution.objects.get(title="Adopt the budget")
        self.post(
            "meeting-attendance",
            meeting.pk,
            data={
                f"status_{self.erin_seat.pk}": "present",
                f"status_{self.dora_seat.pk}": "present",
                f"status_{self.pat_seat.pk}": "proxy",
                f"holder_{self.pat_seat.pk}": self.erin_seat.pk,
                f"status_{self.sam_seat.pk}": "absent",
            },
        )
        self.post("resolution-open-voting", resolution.pk)
        resolution.refresh_from_db()
        self.assertEqual(resolution.status, ResolutionStatus.VOTING)

        self.client.force_login(self.erin)
        page = self.client.get(resolution.get_absolute_url())
        self.assertEqual(set(page.context["vote_seats"]), {self.erin_seat, self.pat_seat})
        self.assertContains(page, "By proxy for Pat Outside")
        self.vote(self.erin, "for", resolution=resolution, member=self.erin_seat)
        self.vote(self.erin, "for", resolution=resolution, member=self.pat_seat)
        self.vote(self.dora, "against", resolution=resolution)
        self.client.force_login(self.alice)
        tally = self.client.get(resolution.get_absolute_url()).context["tally"]
        self.assertEqual((tally.votes_for, tally.votes_against, tally.attending), (2, 1, 3))

        self.post("resolution-close-voting", resolution.pk)
        resolution.refresh_from_db()
        self.assertEqual(resolution.status, ResolutionStatus.PASSED)
        page = self.client.get(resolution.get_absolute_url())
        self.assertContains(page, '<dd class="col-5" data-testid="figure-for">2</dd>', html=True)
        self.assertContains(
            page, '<dd class="col-5" data-testid="figure-against">1</dd>', html=True
        )
        self.assertContains(page, '<dd class="col-5" data-testid="figure-seated">4</dd>', html=True)
        proxy_vote = Vote.objects.get(member=self.pat_seat)
        self.assertEqual((proxy_vote.by_proxy, proxy_vote.cast_by), (True, self.erin))
        csv = self.client.get(reverse("resolution-votes-csv", args=[resolution.pk]))
        self.assertIn("Pat Outside", csv.content.decode())

    def test_a_member_absent_from_the_meeting_may_not_vote(self):
        meeting = make_meeting(self.board)
        attend(meeting, [self.erin_seat])
        attend(meeting, [self.dora_seat], status=AttendanceStatus.ABSENT)
        resolution = make_resolution(self.board, status="voting", meeting=meeting)
        self.assertEqual(self.vote(self.dora, resolution=resolution).status_code, 403)

    def test_advice_only_on_an_advisory_board(self):
        self.board.powers = BoardPowers.ADVISES
        self.board.save()
        self.vote(self.erin, "for")
        self.client.force_login(self.alice)
        self.post("resolution-close-voting", self.written.pk)
        page = self.client.get(self.written.get_absolute_url())
        self.assertContains(page, 'data-testid="advisory"')


class TestQueryCounts(ResolutionPagesCase):
    def count(self, url) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries)

    def test_the_resolution_page_reads_the_same_for_1_and_25_votes(self):
        Vote.objects.create(
            resolution=self.written, member=self.erin_seat, choice=VoteChoice.FOR, cast_by=self.erin
        )
        for user in (self.alice, self.erin):
            self.client.force_login(user)
            url = self.written.get_absolute_url()
            self.client.get(url)
            setattr(self, f"one_{user.username}", self.count(url))
        for index in range(24):
            extra = seat(self.board, UserFactory(username=f"voter{index}"))
            Vote.objects.create(
                resolution=self.written, member=extra, choice=VoteChoice.AGAINST, cast_by=extra.user
            )
        for user in (self.alice, self.erin):
            self.client.force_login(user)
            self.assertEqual(
                getattr(self, f"one_{user.username}"), self.count(self.written.get_absolute_url())
            )

    def test_the_list_reads_the_same_for_1_and_20_resolutions(self):
        self.client.force_login(self.alice)
        url = reverse("resolution-list")
        self.client.get(url)
        one = self.count(url)
        meeting = make_meeting(self.board)
        for index in range(19):
            make_resolution(self.board, title=f"Resolution {index}", meeting=meeting)
        self.assertEqual(one, self.count(url))
