"""The governance demo data: seeded twice it stays the same, holds Riverside's articles in
three versions and its council of 21, a plenary held with its record complete, a vote
waiting on each demo member's home page, and the industry college's articles in
force; and it keeps to the rules the services enforce."""

from datetime import timedelta
from unittest import mock

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from governance import services
from governance.dashboard import meetings_you_are_invited_to, votes_open_for_you
from governance.demo import ARTICLES_TITLE, COUNCIL, DEMO_MEMBERS, INDUSTRY_ARTICLES_TITLE
from governance.models import (
    Article,
    Articles,
    ArticleVersion,
    Attendance,
    AttendanceStatus,
    Board,
    BoardKind,
    BoardMember,
    BoardPowers,
    Constituency,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Position,
    Resolution,
    ResolutionKind,
    ResolutionStatus,
    VersionStatus,
    Vote,
)
from partnerships.models import Partnership, PartnershipKind
from portal import dashboard
from portal.models import Notification

MODELS = (
    Articles,
    ArticleVersion,
    Article,
    Board,
    BoardMember,
    Meeting,
    Attendance,
    Resolution,
    Vote,
    Notification,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


class TestDemo(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", stdout=mock.MagicMock())
        cls.council = Board.objects.get(name=COUNCIL)
        cls.plenary = cls.council.meetings.get(status=MeetingStatus.HELD)

    def test_seeding_twice_changes_nothing(self):
        before = counts()
        call_command("seed_demo", stdout=mock.MagicMock())
        self.assertEqual(counts(), before)
        self.assertGreater(before["Vote"], 0)

    def test_riverside_has_two_adopted_versions_and_a_draft(self):
        document = Articles.objects.get(title=ARTICLES_TITLE)
        self.assertEqual(document.organization.name, "Riverside Vocational College")
        versions = {v.number: v for v in document.versions.all()}
        self.assertEqual(
            {number: v.status for number, v in versions.items()},
            {1: VersionStatus.SUPERSEDED, 2: VersionStatus.IN_FORCE, 3: VersionStatus.DRAFT},
        )
        for version in versions.values():
            articles = list(version.articles.all())
            self.assertGreaterEqual(len(articles), 15, version)
            self.assertGreaterEqual(len({a.chapter for a in articles}), 5, version)
            self.assertEqual([a.number for a in articles], list(range(1, len(articles) + 1)))
        first, second, draft = versions[1], versions[2], versions[3]
        self.assertLess(first.in_force_from, second.in_force_from)
        self.assertLessEqual(second.in_force_from, timezone.localdate())
        self.assertEqual(services.in_force(document), second)
        changes = {c.change for c in services.version_diff(second, draft)}
        self.assertIn("changed", changes)

    def test_version_2_was_adopted_by_a_passed_amendment(self):
        version = ArticleVersion.objects.get(document__title=ARTICLES_TITLE, number=2)
        resolution = version.adopted_by
        self.assertEqual(resolution.kind, ResolutionKind.ARTICLE_AMENDMENT)
        self.assertEqual(resolution.status, ResolutionStatus.PASSED)
        self.assertEqual(resolution.article_version, version)
        self.assertEqual(resolution.meeting, self.plenary)
        self.assertEqual(version.adopted_at, resolution.closed_at)
        self.assertLess(version.proposed_at, resolution.opened_at)

    def test_the_council_seats_21_members_in_every_constituency(self):
        council = self.council
        self.assertEqual(council.organization.name, "Riverside Vocational College")
        self.assertEqual(
            (council.kind, council.powers, council.term_years),
            (BoardKind.COUNCIL, BoardPowers.DECIDES, 5),
        )
        seated = list(BoardMember.objects.seated().filter(board=council))
        self.assertEqual(len(seated), 21)
        self.assertEqual({m.constituency for m in seated}, set(Constituency.values))
        self.assertEqual({m.position for m in seated}, set(Position.values))
        self.assertEqual(sum(m.position == Position.CHAIR for m in seated), 1)
        for row in services.seats_filled(council):
            self.assertTrue(row["minimum"] <= row["filled"] <= row["maximum"], row)
        for member in seated:
            self.assertEqual(member.term_end, services.term_end_for(council, member.term_start))
        self.assertEqual(services.board_warnings(council), [])
        self.assertGreater(sum(m.user_id is None for m in seated), 10)

    def test_the_demo_users_sit_for_their_organizations(self):
        seats = {
            m.user.username: m.represents.name
            for m in BoardMember.objects.seated().filter(board=self.council, user__isnull=False)
        }
        self.assertEqual(
            seats,
            {
                "college": "Riverside Vocational College",
                "enterprise": "Huaxin Precision Manufacturing",
                "officer": "Municipal Education Bureau",
            },
        )

    def test_each_demo_member_has_a_vote_waiting_and_a_meeting_ahead(self):
        for username in DEMO_MEMBERS:
            user = User.objects.get(username=username)
            waiting = votes_open_for_you(user)
            self.assertEqual(len(waiting), 1, username)
            resolution = Resolution.objects.get(status=ResolutionStatus.VOTING)
            self.assertIsNone(resolution.meeting)
            self.assertEqual(len(services.votable_members(user, resolution)), 1, username)
            self.assertIn("vote", services.resolution_actions(user, resolution), username)
            self.assertTrue(meetings_you_are_invited_to(user), username)
            categories = {item.category for item in dashboard.registry.collect("waiting", user)}
            self.assertIn("Votes open for you", categories)
            self.assertIn("Meetings you are invited to", categories)

    def test_a_meeting_is_scheduled_within_two_weeks(self):
        meeting = self.council.meetings.get(status=MeetingStatus.SCHEDULED)
        ahead = meeting.starts_at - timezone.now()
        self.assertTrue(0 < ahead.days < 14, ahead)
        self.assertTrue(meeting.agenda)

    def test_the_plenary_was_held_with_attendance_and_approved_minutes(self):
        meeting = self.plenary
        self.assertEqual(meeting.kind, MeetingKind.PLENARY)
        self.assertLess(meeting.starts_at, timezone.now())
        self.assertTrue(meeting.minutes.strip())
        self.assertGreater(meeting.minutes_approved_at, meeting.starts_at)
        rows = list(meeting.attendance.all())
        statuses = [row.status for row in rows]
        self.assertEqual(len(rows), 21)
        self.assertEqual(statuses.count(AttendanceStatus.PROXY), 1)
        self.assertGreaterEqual(statuses.count(AttendanceStatus.ABSENT), 2)
        proxy = next(row for row in rows if row.status == AttendanceStatus.PROXY)
        present = {row.member_id for row in rows if row.status == AttendanceStatus.PRESENT}
        self.assertIn(proxy.proxy_holder_id, present)
        self.assertTrue(services.quorum(meeting, two_thirds=True).met)

    def test_the_plenary_resolutions_passed_by_name(self):
        attending = set(
            self.plenary.attendance.exclude(status=AttendanceStatus.ABSENT).values_list(
                "member_id", flat=True
            )
        )
        resolutions = list(self.plenary.resolutions.all())
        self.assertEqual({r.status for r in resolutions}, {ResolutionStatus.PASSED})
        for resolution in resolutions:
            votes = list(resolution.votes.all())
            self.assertEqual({vote.member_id for vote in votes}, attending, resolution)
            figures = services.tally(resolution)
            self.assertEqual(
                (resolution.votes_for, resolution.votes_against, resolution.abstentions),
                (figures.votes_for, figures.votes_against, figures.abstentions),
            )
            self.assertTrue(figures.passes(resolution.threshold), resolution)
            for vote in votes:
                self.assertTrue(resolution.opened_at <= vote.cast_at <= resolution.closed_at)
                if vote.by_proxy:
                    self.assertEqual(vote.cast_by.username, "enterprise")
                elif vote.member.user_id:
                    self.assertEqual(vote.cast_by_id, vote.member.user_id)

    def test_the_past_is_not_news(self):
        """Notifications of what happened before today are read and not emailed."""
        past = Notification.objects.filter(created_at__lt=timezone.now() - timedelta(days=1))
        self.assertTrue(past.exists())
        self.assertFalse(past.filter(read_at__isnull=True).exists())
        self.assertFalse(past.filter(email_pending=True).exists())

    def test_the_industry_college_has_its_articles_in_force(self):
        partnership = Partnership.objects.get(kind=PartnershipKind.INDUSTRY_COLLEGE)
        document = Articles.objects.get(partnership=partnership)
        self.assertEqual(document.title, INDUSTRY_ARTICLES_TITLE)
        version = services.in_force(document)
        self.assertEqual(version.number, 1)
        self.assertGreater(version.articles.count(), 5)
        self.assertEqual(document.versions.count(), 1)

    def test_the_demo_pages_open(self):
        self.client.force_login(User.objects.get(username="college"))
        version = ArticleVersion.objects.get(document__title=ARTICLES_TITLE, number=2)
        records = [
            self.council,
            self.plenary,
            version,
            version.document,
            version.adopted_by,
            Resolution.objects.get(status=ResolutionStatus.VOTING),
        ]
        for record in records:
            response = self.client.get(record.get_absolute_url())
            self.assertEqual(response.status_code, 200, record)
        first = version.document.versions.get(number=1)
        diff = reverse("article-version-diff", args=[version.pk])
        self.assertContains(self.client.get(diff, {"against": first.pk}), "Industry colleges")
        self.assertContains(self.client.get(reverse("home")), "Votes open for you")
