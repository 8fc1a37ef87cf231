"""The association reads an application through its entrustment's scope: only while
the entrustment is open (accepted, delivered or returned, between its dates), only the
enterprises and the kind in its scope, never a draft, and every read — page, list,
certificate, API — is logged. The enterprise's own reads are not."""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from associations.models import Entrustment, EntrustmentStatus, ScopedRead
from associations.services import certifications as service
from portal import access
from tests.people import People

from .certifications import CertificationPeople, S, make_application, make_review_entrustment
from .entrustments import TODAY

KIND = "associations.certificationapplication"


class ScopeCase(CertificationPeople, People, TestCase):
    def setUp(self):
        self.entrustment = make_review_entrustment(
            self.bureau, self.association, scope=[self.huaxin]
        )
        self.application = make_application(self.huaxin, status=S.SUBMITTED)
        service.certification_start_review(
            actor=self.olivia, application=self.application, entrustment=self.entrustment
        )
        self.api = APIClient()

    def page(self, user, suffix="") -> int:
        access.forget_grants(user)
        self.client.force_login(user)
        return self.client.get(self.application.get_absolute_url() + suffix).status_code

    def api_detail(self, user, record=None) -> int:
        access.forget_grants(user)
        self.api.force_authenticate(user)
        url = reverse("api:certification-detail", args=[(record or self.application).pk])
        return self.api.get(url).status_code

    def listed(self, user) -> set[int]:
        access.forget_grants(user)
        self.api.force_authenticate(user)
        response = self.api.get(reverse("api:certification-list"))
        return {row["id"] for row in response.json()["results"]}

    def reads(self) -> list[tuple[str, str, int]]:
        return sorted(
            ScopedRead.objects.filter(entrustment=self.entrustment).values_list(
                "user__username", "record_kind", "record_id"
            )
        )

    def set_status(self, status, **fields):
        Entrustment.objects.filter(pk=self.entrustment.pk).update(status=status, **fields)


class TestWhileOpen(ScopeCase):
    def test_every_member_reads_it_and_each_read_is_logged(self):
        for user in (self.asa, self.sam, self.val):
            with self.subTest(user=user.username):
                self.assertEqual(self.page(user), 200)
                self.assertEqual(self.api_detail(user), 200)
                self.assertIn(self.application.pk, self.listed(user))
        by_user = {}
        for username, kind, record_id in self.reads():
            self.assertEqual((kind, record_id), (KIND, self.application.pk))
            by_user[username] = by_user.get(username, 0) + 1
        self.assertEqual(by_user, {"asa": 3, "sam": 3, "val": 3})

    def test_the_evidence_tab_and_the_certificate_are_reads_too(self):
        self.assertEqual(self.page(self.asa, "?tab=evidence"), 200)
        service.certification_certify(actor=self.gary, application=self.application)
        self.assertEqual(self.page(self.asa, "certificate/"), 200)
        self.assertEqual(len(self.reads()), 2)

    def test_the_enterprises_own_reads_are_not_logged(self):
        self.assertEqual(self.page(self.hua), 200)
        self.assertEqual(self.api_detail(self.hana), 200)
        self.assertEqual(self.reads(), [])

    def test_another_enterprises_applications_stay_hidden(self):
        elsewhere = make_application(self.lanting, status=S.SUBMITTED)
        self.assertEqual(self.api_detail(self.asa, elsewhere), 404)
        self.assertNotIn(elsewhere.pk, self.listed(self.asa))

    def test_a_draft_of_the_enterprise_in_scope_stays_hidden(self):
        refused = self.application
        service.certification_refuse(actor=self.gary, application=refused, reasons="No.")
        draft = make_application(self.huaxin)
        self.assertEqual(self.api_detail(self.asa, draft), 404)
        self.assertEqual(self.api_detail(self.asa, refused), 200)

    def test_the_association_assesses_but_does_not_decide(self):
        access.forget_grants(self.asa)
        self.assertEqual(service.certification_actions(self.asa, self.application), set())


class TestWhenClosed(ScopeCase):
    def assert_hidden(self):
        for user in (self.asa, self.val):
            self.assertEqual(self.page(user), 404)
            self.assertEqual(self.api_detail(user), 404)
            self.assertNotIn(self.application.pk, self.listed(user))

    def test_before_acceptance(self):
        self.set_status(EntrustmentStatus.PROPOSED)
        self.assert_hidden()

    def test_after_approval_or_cancellation(self):
        self.set_status(EntrustmentStatus.APPROVED)
        self.assert_hidden()
        self.set_status(EntrustmentStatus.CANCELLED)
        self.assert_hidden()

    def test_past_the_end_date(self):
        self.set_status(
            EntrustmentStatus.ACCEPTED,
            start_date=TODAY - timedelta(days=400),
            end_date=TODAY - timedelta(days=1),
        )
        self.assert_hidden()
        self.assertEqual(self.reads(), [])

    def test_delivered_or_returned_keep_it_open(self):
        for status in (EntrustmentStatus.DELIVERED, EntrustmentStatus.RETURNED):
            self.set_status(status)
            self.assertEqual(self.api_detail(self.asa), 200)
