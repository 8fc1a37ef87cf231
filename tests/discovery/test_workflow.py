"""The need's lifecycle (draft → open → closed, or expired by the daily job), who may
take each step, and the expiry told to the owner once."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from discovery.jobs import expire_needs
from discovery.models import NeedStatus
from discovery.services import needs as service
from discovery.services.needs import NEED_TRANSITIONS
from portal.daily import run_daily_jobs
from portal.models import Notification
from portal.workflow import InvalidTransition
from tests.discovery.needs import DiscoveryPeople, make_need


class TestLifecycle(DiscoveryPeople, TestCase):
    def test_the_transition_table(self):
        self.assertEqual(
            {status: set(targets) for status, targets in NEED_TRANSITIONS.items()},
            {
                NeedStatus.DRAFT: {NeedStatus.OPEN},
                NeedStatus.OPEN: {NeedStatus.CLOSED, NeedStatus.EXPIRED},
                NeedStatus.CLOSED: set(),
                NeedStatus.EXPIRED: set(),
            },
        )

    def test_draft_open_close_by_the_owners_staff(self):
        need = service.need_create(
            actor=self.bob,
            owner=self.college,
            direction="need",
            kind="teacher_practice",
            title="  Teacher   posts ",
            specialties="Mechatronics，CNC machining、Mechatronics",
            valid_until=timezone.localdate() + timedelta(days=10),
            audience=["enterprise"],
        )
        self.assertEqual(need.status, NeedStatus.DRAFT)
        self.assertEqual(need.title, "Teacher posts")
        self.assertEqual(need.specialties, "Mechatronics, CNC machining")
        self.assertEqual(need.audience, ["enterprise"])
        need = service.need_open(actor=self.bob, need=need)
        self.assertEqual(need.status, NeedStatus.OPEN)
        self.assertIsNotNone(need.opened_at)
        need = service.need_update(actor=self.alice, need=need, title="Posts for teachers")
        self.assertEqual(need.title, "Posts for teachers")
        need = service.need_close(actor=self.alice, need=need)
        self.assertEqual(need.status, NeedStatus.CLOSED)
        with self.assertRaises(InvalidTransition):
            service.need_open(actor=self.alice, need=need)
        with self.assertRaises(InvalidTransition):
            service.need_update(actor=self.alice, need=need, title="Again")

    def test_viewers_other_organizations_and_government_take_no_step(self):
        need = make_need(self.college, status=NeedStatus.DRAFT)
        for user in (self.victor, self.charlie, self.olivia, self.erin):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                service.need_open(actor=user, need=need)
        with self.assertRaises(PermissionDenied):
            service.need_create(
                actor=self.victor,
                owner=self.college,
                direction="need",
                kind="other",
                title="x",
                valid_until=timezone.localdate(),
            )

    def test_a_valid_until_in_the_past_or_far_future_is_a_field_error(self):
        for when in (
            timezone.localdate() - timedelta(days=1),
            timezone.localdate().replace(year=2999),
        ):
            with self.subTest(when=when), self.assertRaises(ValidationError) as caught:
                service.need_create(
                    actor=self.alice,
                    owner=self.college,
                    direction="need",
                    kind="other",
                    title="x",
                    valid_until=when,
                )
            self.assertIn("valid_until", caught.exception.message_dict)

    def test_the_api_answers_an_illegal_step_with_409(self):
        need = make_need(self.college, status=NeedStatus.CLOSED)
        api = APIClient()
        api.force_authenticate(self.alice)
        response = api.post(reverse("api:cooperation-need-open", args=[need.pk]))
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "invalid_transition")
        response = api.patch(reverse("api:cooperation-need-detail", args=[need.pk]), {"title": "x"})
        self.assertEqual(response.status_code, 409)

    def test_pages_open_and_close(self):
        need = make_need(self.college, status=NeedStatus.DRAFT)
        self.client.force_login(self.bob)
        self.client.post(reverse("cooperation-need-open", args=[need.pk]))
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)
        self.client.post(reverse("cooperation-need-close", args=[need.pk]))
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CLOSED)
        response = self.client.get(reverse("cooperation-need-edit", args=[need.pk]))
        self.assertEqual(response.status_code, 302, "a closed one is not edited")


class TestExpiry(DiscoveryPeople, TestCase):
    def test_the_daily_job_expires_open_needs_past_valid_until_and_tells_the_owner_once(self):
        today = timezone.localdate()
        past = make_need(self.college, valid_until=today - timedelta(days=1))
        current = make_need(self.college, valid_until=today)
        draft = make_need(
            self.college, status=NeedStatus.DRAFT, valid_until=today - timedelta(days=3)
        )
        report = expire_needs(today)
        self.assertEqual(report, {"expired": 1})
        for need, status in (
            (past, NeedStatus.EXPIRED),
            (current, NeedStatus.OPEN),
            (draft, NeedStatus.DRAFT),
        ):
            need.refresh_from_db()
            self.assertEqual(need.status, status)
        told = Notification.objects.filter(url=past.get_absolute_url())
        self.assertEqual({n.recipient for n in told}, {self.alice, self.bob})
        run_daily_jobs(today)
        run_daily_jobs(today + timedelta(days=1))
        self.assertEqual(Notification.objects.filter(url=past.get_absolute_url()).count(), 2)
        self.assertEqual(
            Notification.objects.filter(url=current.get_absolute_url()).count(), 2, "next day"
        )
