"""Interest threads: seen by the two organizations and government only, one per
answering organization, each message telling the other side; a thread turned into a
draft agreement between the two, all or nothing."""

from datetime import timedelta
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from discovery.models import Interest, NeedDirection, NeedKind, NeedStatus
from discovery.services import interests as service
from partnerships.models import Agreement, AgreementKind, AgreementStatus
from portal.models import Notification
from portal.workflow import InvalidTransition
from tests.discovery.needs import DiscoveryPeople, make_interest, make_need


class InterestCase(DiscoveryPeople, TestCase):
    def setUp(self):
        self.api = APIClient()
        self.need = make_need(self.college, title="Teacher practice posts")


class TestAnswering(InterestCase):
    def test_answering_starts_a_thread_and_tells_the_owner(self):
        interest = service.interest_create(
            actor=self.ed, need=self.need, organization=self.huaxin, message=" We have posts. "
        )
        self.assertEqual([m.body for m in interest.messages.all()], ["We have posts."])
        told = Notification.objects.filter(title__contains="Huaxin answered")
        self.assertEqual({n.recipient for n in told}, {self.alice, self.bob})

    def test_one_thread_per_organization(self):
        service.interest_create(
            actor=self.ed, need=self.need, organization=self.huaxin, message="a"
        )
        with self.assertRaises(ValidationError) as caught:
            service.interest_create(
                actor=self.erin, need=self.need, organization=self.huaxin, message="b"
            )
        self.assertIn("organization", caught.exception.message_dict)
        self.assertEqual(Interest.objects.filter(need=self.need).count(), 1)
        service.interest_create(
            actor=self.charlie, need=self.need, organization=self.other_college, message="c"
        )
        self.assertEqual(Interest.objects.filter(need=self.need).count(), 2)

    def test_no_answer_to_ones_own_a_draft_or_a_closed_need_nor_by_a_viewer(self):
        with self.assertRaises(ValidationError):
            service.interest_create(
                actor=self.alice, need=self.need, organization=self.college, message="x"
            )
        draft = make_need(self.college, status=NeedStatus.DRAFT)
        with self.assertRaises(ValidationError):  # unseen: as if it did not exist
            service.interest_create(
                actor=self.ed, need=draft, organization=self.huaxin, message="x"
            )
        closed = make_need(self.college, status=NeedStatus.CLOSED)
        with self.assertRaises(InvalidTransition):
            service.interest_create(
                actor=self.ed, need=closed, organization=self.huaxin, message="x"
            )
        viewer = self.victor  # a viewer of Riverside only
        with self.assertRaises(ValidationError):
            service.interest_create(
                actor=viewer, need=self.need, organization=self.huaxin, message="x"
            )

    def test_the_answer_form_on_the_page(self):
        self.client.force_login(self.ed)
        page = reverse("cooperation-need-detail", args=[self.need.pk])
        self.assertContains(self.client.get(page), "Express interest")
        answer = reverse("cooperation-need-answer", args=[self.need.pk])
        response = self.client.post(answer, {"organization": self.huaxin.pk, "message": ""})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "invalid-feedback", status_code=400)
        response = self.client.post(answer, {"organization": self.huaxin.pk, "message": "Hi"})
        self.assertEqual(response.status_code, 302)
        self.assertNotContains(self.client.get(page), "Express interest")


class TestVisibility(InterestCase):
    def setUp(self):
        super().setUp()
        self.interest = make_interest(self.need, self.huaxin, self.ed, "Our posts are in Xiaoshan.")

    def test_only_the_two_sides_and_government_see_the_thread(self):
        url = reverse("api:cooperation-interest-detail", args=[self.interest.pk])
        page = reverse("cooperation-need-detail", args=[self.need.pk])
        for user, sees in (
            (self.alice, True),
            (self.victor, True),
            (self.ed, True),
            (self.olivia, True),
            (self.charlie, False),
            (self.ada, False),
        ):
            with self.subTest(user=user.username):
                self.api.force_authenticate(user)
                self.assertEqual(self.api.get(url).status_code, 200 if sees else 404)
                listed = self.api.get(reverse("api:cooperation-interest-list")).json()["results"]
                self.assertEqual(bool(listed), sees)
                self.client.force_login(user)
                response = self.client.get(page)
                self.assertEqual(response.status_code, 200)
                self.assertEqual("Our posts are in Xiaoshan." in response.content.decode(), sees)
                self.assertEqual(response.context["interests"] != [], sees)
        self.api.force_authenticate(self.charlie)
        response = self.api.post(
            reverse("api:cooperation-interest-messages", args=[self.interest.pk]),
            {"message": "x"},
        )
        self.assertEqual(response.status_code, 404)

    def test_each_message_tells_the_other_side(self):
        service.interest_reply(actor=self.bob, interest=self.interest, message="When?")
        told = Notification.objects.filter(title__startswith="New message from Riverside")
        self.assertEqual({n.recipient for n in told}, {self.erin, self.ed})
        Notification.objects.all().delete()
        self.api.force_authenticate(self.erin)
        response = self.api.post(
            reverse("api:cooperation-interest-messages", args=[self.interest.pk]),
            {"message": "In July."},
        )
        self.assertEqual(response.status_code, 201, response.content)
        told = Notification.objects.filter(title__startswith="New message from Huaxin")
        self.assertEqual({n.recipient for n in told}, {self.alice, self.bob})
        with self.assertRaises(PermissionDenied):
            service.interest_reply(actor=self.victor, interest=self.interest, message="x")


class TestDraftAgreement(InterestCase):
    def setUp(self):
        super().setUp()
        self.need.kind = NeedKind.INTERNSHIP
        self.need.direction = NeedDirection.OFFER
        self.need.amount = "20000.00"
        self.need.save()
        self.interest = make_interest(self.need, self.huaxin, self.ed)

    def test_either_sides_admin_drafts_an_agreement_with_both_parties(self):
        with self.assertRaises(PermissionDenied):
            service.interest_draft_agreement(actor=self.ed, interest=self.interest)  # staff
        self.api.force_authenticate(self.erin)
        response = self.api.post(
            reverse("api:cooperation-interest-draft-agreement", args=[self.interest.pk]), {}
        )
        self.assertEqual(response.status_code, 200, response.content)
        agreement = Agreement.objects.get(pk=response.json()["agreement"])
        self.assertEqual(agreement.status, AgreementStatus.DRAFT)
        self.assertEqual(agreement.title, self.need.title)
        self.assertEqual(agreement.kind, AgreementKind.INTERNSHIP)
        self.assertIn(self.need.description, agreement.summary)
        self.assertIn("Mechatronics", agreement.summary)
        self.assertEqual(
            {p.organization_id: p.role for p in agreement.parties.all()},
            {self.college.pk: "Offering party", self.huaxin.pk: "Receiving party"},
        )
        self.assertEqual(agreement.effective_date, timezone.localdate())
        self.assertGreater(agreement.expiry_date, agreement.effective_date + timedelta(days=360))
        self.interest.refresh_from_db()
        self.assertEqual(self.interest.agreement, agreement)
        # Once only.
        response = self.api.post(
            reverse("api:cooperation-interest-draft-agreement", args=[self.interest.pk]), {}
        )
        self.assertEqual(response.status_code, 409)
        # The page shows it led to an agreement.
        self.client.force_login(self.alice)
        response = self.client.get(reverse("cooperation-need-detail", args=[self.need.pk]))
        self.assertContains(response, agreement.reference)
        self.assertEqual(response.context["agreements_count"], 1)

    def test_it_is_all_or_nothing(self):
        before = Agreement.objects.count()
        with (
            mock.patch.object(Interest, "save", side_effect=RuntimeError("disk full")),
            self.assertRaises(RuntimeError),
        ):
            service.interest_draft_agreement(actor=self.alice, interest=self.interest)
        self.assertEqual(Agreement.objects.count(), before)
        self.interest.refresh_from_db()
        self.assertIsNone(self.interest.agreement_id)

    def test_the_page_button(self):
        self.client.force_login(self.alice)
        page = reverse("cooperation-need-detail", args=[self.need.pk])
        self.assertContains(self.client.get(page), "Turn into a draft agreement")
        response = self.client.post(
            reverse("cooperation-interest-draft-agreement", args=[self.interest.pk])
        )
        self.interest.refresh_from_db()
        self.assertRedirects(response, self.interest.agreement.get_absolute_url())
        self.client.force_login(self.bob)  # staff: no button
        self.assertNotContains(self.client.get(page), "Turn into a draft agreement")
