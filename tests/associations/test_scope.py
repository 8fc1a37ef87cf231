"""Scoped access in full: while an entrustment is accepted (or delivered, or returned),
between its dates, the association's members read exactly the records of the kinds in
its scope that belong to the organizations in its scope — on pages and in the API —
and each read is logged; the same organization's other records, other organizations'
records, and everything before acceptance, after approval or cancellation, or past the
end date answer 404 as if they did not exist."""

from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from associations.models import Entrustment, EntrustmentStatus, ScopedRead
from associations.services import entrustments as service
from partnerships.models import Partnership
from portal import access
from tests.factories import make_agreement
from tests.people import People

from .entrustments import TODAY, Association, make_entrustment


class ScopeCase(Association, People, TestCase):
    def setUp(self):
        self.in_scope = make_agreement(self.college, self.huaxin, status="active", title="Huaxin")
        self.elsewhere = make_agreement(
            self.college, self.lanting, status="active", title="Lanting"
        )
        self.partnership = Partnership.objects.create(
            name="Huaxin industry college", kind="industry_college", lead=self.huaxin
        )
        self.entrustment = make_entrustment(self.bureau, self.association, scope=[self.huaxin])
        self.api = APIClient()

    def page(self, user, record):
        self.client.force_login(user)
        return self.client.get(record.get_absolute_url()).status_code

    def api_detail(self, user, name, record):
        access.forget_grants(user)  # the scopes are cached on the user object
        self.api.force_authenticate(user)
        return self.api.get(reverse(f"api:{name}-detail", args=[record.pk])).status_code

    def api_listed(self, user, name) -> set[int]:
        access.forget_grants(user)
        self.api.force_authenticate(user)
        response = self.api.get(reverse(f"api:{name}-list"), {"page_size": 200})
        return {row["id"] for row in response.json()["results"]}

    def set_status(self, status, **fields):
        Entrustment.objects.filter(pk=self.entrustment.pk).update(status=status, **fields)


class TestBeforeAcceptance(ScopeCase):
    def test_a_proposed_entrustment_opens_nothing(self):
        for user in (self.asa, self.sam, self.val):
            self.assertEqual(self.page(user, self.in_scope), 404)
            self.assertEqual(self.api_detail(user, "agreement", self.in_scope), 404)
            self.assertNotIn(self.in_scope.pk, self.api_listed(user, "agreement"))
        self.assertFalse(ScopedRead.objects.exists())


class TestWhileAccepted(ScopeCase):
    def setUp(self):
        super().setUp()
        service.entrustment_accept(actor=self.asa, entrustment=self.entrustment)

    def test_every_member_reads_the_records_in_scope_and_each_read_is_logged(self):
        for user in (self.asa, self.sam, self.val):
            with self.subTest(user=user.username):
                self.assertEqual(self.page(user, self.in_scope), 200)
                self.assertEqual(self.api_detail(user, "agreement", self.in_scope), 200)
                self.assertIn(self.in_scope.pk, self.api_listed(user, "agreement"))
        reads = ScopedRead.objects.filter(entrustment=self.entrustment)
        self.assertEqual(
            {(read.user.username, read.record_kind, read.record_id) for read in reads},
            {(name, "partnerships.agreement", self.in_scope.pk) for name in ("asa", "sam", "val")},
        )
        self.assertEqual(reads.count(), 9)  # a page, a detail and a list each

    def test_nothing_else_of_the_organization_nor_of_others(self):
        self.assertEqual(self.page(self.asa, self.elsewhere), 404)
        self.assertEqual(self.api_detail(self.asa, "agreement", self.elsewhere), 404)
        self.assertNotIn(self.elsewhere.pk, self.api_listed(self.asa, "agreement"))
        # Huaxin's partnership is not of a kind in the scope.
        self.assertEqual(self.page(self.asa, self.partnership), 404)
        self.assertEqual(self.api_detail(self.asa, "partnership", self.partnership), 404)
        self.assertFalse(ScopedRead.objects.exclude(record_id=self.in_scope.pk).exists())

    def test_reading_is_not_writing(self):
        self.api.force_authenticate(self.asa)
        url = reverse("api:agreement-detail", args=[self.in_scope.pk])
        self.assertEqual(self.api.patch(url, {"title": "Changed"}).status_code, 403)

    def test_the_log_is_the_departments_and_the_associations_to_read(self):
        self.page(self.sam, self.in_scope)
        for user, expected in ((self.gary, 1), (self.olivia, 1), (self.asa, 1), (self.charlie, 0)):
            self.api.force_authenticate(user)
            response = self.api.get(reverse("api:entrustment-access-log-list"))
            self.assertEqual(response.status_code, 200)
            self.assertEqual(len(response.json()["results"]), expected, user.username)
        self.client.force_login(self.gary)
        page = self.client.get(f"{self.entrustment.get_absolute_url()}?tab=reads")
        self.assertContains(page, "Huaxin")
        self.assertContains(page, self.sam.get_full_name())

    def test_people_outside_the_association_read_nothing_more(self):
        self.assertEqual(self.page(self.charlie, self.in_scope), 404)
        self.assertFalse(ScopedRead.objects.exists())

    def test_the_members_own_records_are_not_logged(self):
        self.page(self.asa, self.entrustment)
        self.assertFalse(ScopedRead.objects.exists())

    def test_a_list_logs_a_page_of_reads_in_a_bounded_number_of_queries(self):
        for index in range(20):
            make_agreement(self.college, self.huaxin, status="active", title=f"More {index}")
        self.api.force_authenticate(self.asa)
        with CaptureQueriesContext(connection) as queries:
            self.api.get(reverse("api:agreement-list"))
        self.assertEqual(ScopedRead.objects.count(), 21)
        self.assertLess(len(queries), 25)


class TestAfterTheWork(ScopeCase):
    def test_approved_cancelled_declined_or_past_the_end_date_closes_the_scope(self):
        for status, fields in (
            (EntrustmentStatus.APPROVED, {}),
            (EntrustmentStatus.CANCELLED, {}),
            (EntrustmentStatus.DECLINED, {}),
            (EntrustmentStatus.ACCEPTED, {"end_date": TODAY - timedelta(days=1)}),
            (EntrustmentStatus.ACCEPTED, {"start_date": TODAY + timedelta(days=1)}),
        ):
            with self.subTest(status=status, **{k: str(v) for k, v in fields.items()}):
                self.set_status(status, **fields)
                self.assertEqual(self.page(self.asa, self.in_scope), 404)
                self.assertEqual(self.api_detail(self.asa, "agreement", self.in_scope), 404)
                Entrustment.objects.filter(pk=self.entrustment.pk).update(
                    start_date=TODAY - timedelta(days=10), end_date=TODAY + timedelta(days=100)
                )

    def test_delivered_and_returned_keep_it_open(self):
        for status in (EntrustmentStatus.DELIVERED, EntrustmentStatus.RETURNED):
            self.set_status(status)
            self.assertEqual(self.page(self.asa, self.in_scope), 200)


class TestTheScopeIsForReadingOnly(ScopeCase):
    """Found by probing from outside: what the scope lets the association read must
    never be what it ties its own work to, and reading a file is reading its record."""

    def setUp(self):
        super().setUp()
        self.entrustment.scope_kinds = ["partnerships.agreement", "partnerships.partnership"]
        self.entrustment.save()
        service.entrustment_accept(actor=self.asa, entrustment=self.entrustment)

    def test_its_own_agreement_cannot_belong_to_a_partnership_it_only_reads(self):
        self.assertEqual(self.api_detail(self.asa, "partnership", self.partnership), 200)
        self.api.force_authenticate(self.asa)
        response = self.api.post(
            reverse("api:agreement-list"),
            {
                "title": "Our own agreement",
                "kind": "framework",
                "partnership": self.partnership.pk,
                "effective_date": (TODAY + timedelta(days=30)).isoformat(),
                "expiry_date": (TODAY + timedelta(days=400)).isoformat(),
                "parties": [
                    {"organization": self.association.pk, "role": "Association"},
                    {"organization": self.lanting.pk, "role": "Enterprise"},
                ],
            },
        )
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("partnership", response.json())
        self.client.force_login(self.asa)
        form = self.client.get(reverse("agreement-create"))
        self.assertNotIn(self.partnership, form.context["form"].fields["partnership"].queryset)

    def test_a_file_read_through_the_scope_is_logged_as_its_record(self):
        from tests.internships.helpers import attach

        attachment = attach(self.in_scope, "contract.pdf", self.hua)
        before = ScopedRead.objects.count()
        self.client.force_login(self.asa)
        download = self.client.get(reverse("attachment-download", args=[attachment.pk]))
        self.assertEqual(download.status_code, 200)
        access.forget_grants(self.asa)
        self.api.force_authenticate(self.asa)
        listed = self.api.get(
            reverse("api:attachment-list"), {"record": f"partnerships.agreement:{self.in_scope.pk}"}
        )
        self.assertEqual(len(listed.json()["results"]), 1)
        reads = ScopedRead.objects.order_by("pk")[before:]
        self.assertEqual(
            [(read.record_kind, read.record_id) for read in reads],
            [("partnerships.agreement", self.in_scope.pk)] * 2,
        )


class TestScopeKindsAreBounded(ScopeCase):
    def test_a_huge_list_of_kinds_is_one_short_error(self):
        self.api.force_authenticate(self.olivia)
        response = self.api.post(
            reverse("api:entrustment-list"),
            {"association": self.association.pk, "scope_kinds": ["x" * 500] * 10_000},
        )
        self.assertEqual(response.status_code, 400)
        self.assertLess(len(response.content), 5_000)


class TestEachGrantSeesItsReads(ScopeCase):
    def test_a_read_granted_by_two_entrustments_is_in_both_logs_once(self):
        service.entrustment_accept(actor=self.asa, entrustment=self.entrustment)
        second = make_entrustment(
            self.bureau, self.association, scope=[self.huaxin], title="Second evaluation"
        )
        service.entrustment_accept(actor=self.asa, entrustment=second)
        self.assertEqual(self.page(self.asa, self.in_scope), 200)
        self.assertEqual(
            sorted(ScopedRead.objects.values_list("entrustment_id", "record_id")),
            sorted([(self.entrustment.pk, self.in_scope.pk), (second.pk, self.in_scope.pk)]),
        )
