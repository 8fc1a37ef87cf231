"""Entrustments: the transition table, who takes each step, delivering with a file on
each deliverable, the API and the pages (who reads, who writes, bad input as field
errors), and constant query counts for the lists."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from associations.models import Entrustment, EntrustmentStatus
from associations.services import entrustments as service
from portal.models import Notification
from portal.workflow import InvalidTransition
from tests.factories import OrganizationFactory, member
from tests.helpers.queries import assert_constant_queries
from tests.internships.helpers import attach
from tests.people import People

from .entrustments import TODAY, Association, make_entrustment

S = EntrustmentStatus


class EntrustmentCase(Association, People, TestCase):
    def setUp(self):
        self.entrustment = make_entrustment(self.bureau, self.association, scope=[self.huaxin])


class TestTheTransitionTable(EntrustmentCase):
    STEPS = {
        "accept": lambda self, e: service.entrustment_accept(actor=self.asa, entrustment=e),
        "decline": lambda self, e: service.entrustment_decline(
            actor=self.asa, entrustment=e, reason="Busy"
        ),
        "deliver": lambda self, e: service.entrustment_deliver(actor=self.sam, entrustment=e),
        "approve": lambda self, e: service.entrustment_approve(actor=self.olivia, entrustment=e),
        "return": lambda self, e: service.entrustment_return(
            actor=self.olivia, entrustment=e, comments="More data"
        ),
        "cancel": lambda self, e: service.entrustment_cancel(
            actor=self.olivia, entrustment=e, reason="Budget cut"
        ),
    }
    TARGETS = {
        "accept": S.ACCEPTED,
        "decline": S.DECLINED,
        "deliver": S.DELIVERED,
        "approve": S.APPROVED,
        "return": S.RETURNED,
        "cancel": S.CANCELLED,
    }

    def test_every_step_from_every_status(self):
        for status in S.values:
            for verb, step in self.STEPS.items():
                with self.subTest(status=status, verb=verb):
                    entrustment = make_entrustment(self.bureau, self.association, status=status)
                    attach(entrustment.deliverables.get(), "report.pdf", self.sam)
                    allowed = self.TARGETS[verb] in service.TRANSITIONS[status]
                    if allowed:
                        self.assertEqual(step(self, entrustment).status, self.TARGETS[verb])
                    else:
                        with self.assertRaises(InvalidTransition):
                            step(self, entrustment)


class TestWhoTakesEachStep(EntrustmentCase):
    def test_only_the_associations_admins_accept_or_decline(self):
        for user in (self.sam, self.val, self.olivia, self.hua):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                service.entrustment_accept(actor=user, entrustment=self.entrustment)
        service.entrustment_accept(actor=self.asa, entrustment=self.entrustment)
        told = Notification.objects.filter(title__startswith="Accepted").values_list(
            "recipient__username", flat=True
        )
        self.assertEqual(set(told), {"olivia", "gary"})

    def test_delivering_needs_a_file_on_each_deliverable(self):
        service.entrustment_accept(actor=self.asa, entrustment=self.entrustment)
        with self.assertRaises(ValidationError) as refused:
            service.entrustment_deliver(actor=self.sam, entrustment=self.entrustment)
        self.assertIn("Evaluation report", str(refused.exception))
        with self.assertRaises(PermissionDenied):
            service.entrustment_deliver(actor=self.val, entrustment=self.entrustment)
        attach(self.entrustment.deliverables.get(), "report.pdf", self.sam)
        delivered = service.entrustment_deliver(actor=self.sam, entrustment=self.entrustment)
        self.assertEqual(delivered.status, S.DELIVERED)
        self.assertIsNotNone(delivered.deliverables.get().delivered_at)

    def test_only_the_department_approves_returns_and_cancels(self):
        self.entrustment.status = S.DELIVERED
        self.entrustment.save()
        other = OrganizationFactory(name="Provincial Department", kind="government")
        stranger = member(other, "admin", "provincial")
        for user in (self.asa, stranger):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                service.entrustment_approve(actor=user, entrustment=self.entrustment)
        with self.assertRaises(ValidationError):
            service.entrustment_return(actor=self.olivia, entrustment=self.entrustment, comments="")
        returned = service.entrustment_return(
            actor=self.olivia, entrustment=self.entrustment, comments="Add the 2025 figures"
        )
        self.assertEqual(returned.comments, "Add the 2025 figures")

    def test_a_proposal_is_checked_whole(self):
        def create(**overrides):
            data = {
                "actor": self.olivia,
                "department": self.bureau,
                "association": self.association,
                "title": "Forecast",
                "kind": "forecast",
                "start_date": TODAY,
                "end_date": TODAY + timedelta(days=90),
                "scope_organizations": [self.huaxin],
                "scope_kinds": ["partnerships.agreement"],
                "deliverables": [{"title": "Report", "due_date": TODAY + timedelta(days=60)}],
            }
            data.update(overrides)
            return service.entrustment_create(**data)

        for overrides, field in (
            ({"association": self.college}, "association"),
            ({"scope_kinds": ["internships.student"]}, "scope_kinds"),
            ({"scope_organizations": [self.bureau]}, "scope_organizations"),
            ({"deliverables": []}, "deliverables"),
            (
                {"deliverables": [{"title": "Late", "due_date": TODAY + timedelta(days=200)}]},
                "deliverables",
            ),
            ({"end_date": TODAY - timedelta(days=1)}, "__all__"),
        ):
            with self.subTest(field=field), self.assertRaises(ValidationError) as refused:
                create(**overrides)
            self.assertIn(field, refused.exception.message_dict)
        with self.assertRaises(PermissionDenied):
            create(actor=self.asa)
        self.assertEqual(Entrustment.objects.count(), 1)
        created = create()
        self.assertEqual(created.deliverables.count(), 1)
        told = Notification.objects.filter(title__startswith="Work entrusted").values_list(
            "recipient__username", flat=True
        )
        self.assertEqual(set(told), {"asa", "sam"})


class TestTheApi(EntrustmentCase):
    def setUp(self):
        super().setUp()
        self.api = APIClient()

    def as_user(self, user):
        self.api.force_authenticate(user)

    def data(self, **overrides):
        data = {
            "association": self.association.pk,
            "title": "Evaluate Lanting",
            "kind": "evaluation",
            "start_date": TODAY.isoformat(),
            "end_date": (TODAY + timedelta(days=90)).isoformat(),
            "scope_organizations": [self.lanting.pk],
            "scope_kinds": ["partnerships.agreement", "internships.placement"],
            "deliverables": [
                {"title": "Report", "due_date": (TODAY + timedelta(days=60)).isoformat()}
            ],
        }
        data.update(overrides)
        return data

    def test_who_reads_and_who_writes(self):
        url = reverse("api:entrustment-detail", args=[self.entrustment.pk])
        self.as_user(None)
        self.assertEqual(self.api.get(url).status_code, 401)
        self.assertEqual(self.api.post(reverse("api:entrustment-list"), {}).status_code, 401)
        self.as_user(self.charlie)
        self.assertEqual(self.api.get(url).status_code, 404)
        self.assertEqual(self.api.patch(url, {"title": "x"}).status_code, 404)
        for user in (self.asa, self.val, self.olivia, self.gary):
            self.as_user(user)
            self.assertEqual(self.api.get(url).status_code, 200, user.username)
        self.as_user(self.asa)
        self.assertEqual(self.api.patch(url, {"title": "x"}).status_code, 403)
        self.assertEqual(self.api.get(url).json()["actions"], ["accept", "decline"])
        self.as_user(self.sam)
        self.assertEqual(self.api.post(url + "accept/").status_code, 403)
        self.as_user(self.olivia)
        response = self.api.patch(url, {"title": "Evaluate Huaxin, 2026"})
        self.assertEqual(response.status_code, 200, response.content)
        history = self.api.get(url + "history/")
        self.assertGreaterEqual(len(history.json()), 2)

    def test_the_department_entrusts_and_the_association_accepts(self):
        self.as_user(self.olivia)
        response = self.api.post(reverse("api:entrustment-list"), self.data())
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["department"], self.bureau.pk)
        self.assertEqual(len(body["deliverables"]), 1)
        self.as_user(self.asa)
        response = self.api.post(f"{body['url']}accept/")
        self.assertEqual(response.json()["status"], "accepted")
        self.assertTrue(response.json()["reads_open"])
        self.assertEqual(self.api.post(f"{body['url']}accept/").status_code, 409)

    def test_bad_input_is_a_field_error(self):
        self.as_user(self.olivia)
        url = reverse("api:entrustment-list")
        for overrides, field in (
            ({"association": self.college.pk}, "association"),
            ({"association": 10**30}, "association"),
            ({"scope_kinds": ["internships.student"]}, "scope_kinds"),
            ({"scope_organizations": [self.bureau.pk]}, "scope_organizations"),
            ({"deliverables": []}, "deliverables"),
            ({"deliverables": [{"title": "x"}]}, "deliverables"),
            ({"deliverables": [{"title": "x", "due_date": "2027-01-01"}] * 51}, "deliverables"),
            ({"start_date": "9999-01-01"}, "start_date"),
            ({"title": "x" * 500}, "title"),
        ):
            with self.subTest(field=field):
                response = self.api.post(url, self.data(**overrides))
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(field, response.json())
        self.assertEqual(Entrustment.objects.count(), 1)

    def test_steps_with_their_reasons(self):
        url = reverse("api:entrustment-detail", args=[self.entrustment.pk])
        self.as_user(self.asa)
        self.assertEqual(self.api.post(url + "decline/", {}).status_code, 400)
        self.as_user(self.olivia)
        self.assertEqual(self.api.post(url + "cancel/", {"reason": ""}).status_code, 400)
        response = self.api.post(url + "cancel/", {"reason": "The budget was cut."})
        self.assertEqual(response.json()["status"], "cancelled")
        self.assertEqual(response.json()["reason"], "The budget was cut.")


class TestThePages(EntrustmentCase):
    def test_who_reads_and_who_writes(self):
        detail = self.entrustment.get_absolute_url()
        edit = reverse("entrustment-edit", args=[self.entrustment.pk])
        for url in (reverse("entrustment-list"), detail, reverse("entrustment-create")):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("login"), response["Location"])
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(detail).status_code, 404)
        self.assertEqual(self.client.get(edit).status_code, 404)
        self.assertNotContains(self.client.get(reverse("entrustment-list")), detail)
        self.assertEqual(self.client.get(reverse("entrustment-create")).status_code, 403)
        self.client.force_login(self.val)
        for tab in ("", "?tab=reads", "?tab=attachments", "?tab=history"):
            self.assertEqual(self.client.get(detail + tab).status_code, 200)
        self.assertEqual(self.client.get(edit).status_code, 403)
        self.assertContains(self.client.get(reverse("entrustment-list")), detail)
        self.client.force_login(self.asa)
        page = self.client.get(detail)
        self.assertContains(page, reverse("entrustment-accept", args=[self.entrustment.pk]))
        self.assertContains(page, "Huaxin")

    def test_the_department_entrusts_through_the_form(self):
        self.client.force_login(self.olivia)
        data = {
            "department": self.bureau.pk,
            "association": self.association.pk,
            "title": "Skills assessment",
            "kind": "skills",
            "start_date": TODAY.isoformat(),
            "end_date": (TODAY + timedelta(days=30)).isoformat(),
            "scope_organizations": [self.huaxin.pk],
            "scope_kinds": ["internships.placement"],
            "deliverables": f"{(TODAY + timedelta(days=20)).isoformat()} Assessment report",
        }
        response = self.client.post(reverse("entrustment-create"), {**data, "deliverables": "x"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "start with the due date")
        response = self.client.post(reverse("entrustment-create"), data)
        self.assertEqual(response.status_code, 302)
        created = Entrustment.objects.get(title="Skills assessment")
        self.assertEqual(created.scope_kinds, ["internships.placement"])
        self.assertEqual(created.deliverables.get().title, "Assessment report")

    def test_a_step_and_its_reason_on_the_page(self):
        self.client.force_login(self.asa)
        url = reverse("entrustment-decline", args=[self.entrustment.pk])
        self.client.post(url, {"reason": ""})
        self.entrustment.refresh_from_db()
        self.assertEqual(self.entrustment.status, S.PROPOSED)
        self.client.post(url, {"reason": "We have no evaluators free."})
        self.entrustment.refresh_from_db()
        self.assertEqual(self.entrustment.status, S.DECLINED)

    def test_a_deliverable_page_takes_the_associations_files(self):
        service.entrustment_accept(actor=self.asa, entrustment=self.entrustment)
        deliverable = self.entrustment.deliverables.get()
        self.client.force_login(self.sam)
        page = self.client.get(deliverable.get_absolute_url())
        self.assertContains(
            page, reverse("attachment-upload", args=["associations.deliverable", deliverable.pk])
        )
        self.client.force_login(self.olivia)
        page = self.client.get(deliverable.get_absolute_url())
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(
            page, reverse("attachment-upload", args=["associations.deliverable", deliverable.pk])
        )


class TestQueryCounts(EntrustmentCase):
    def add(self, count):
        for _index in range(count):
            make_entrustment(self.bureau, self.association, scope=[self.huaxin, self.lanting])

    def test_the_list_page_and_the_api_list(self):
        self.client.force_login(self.asa)
        assert_constant_queries(
            self, lambda: self.client.get(reverse("entrustment-list")), self.add
        )
        api = APIClient()
        api.force_authenticate(self.asa)
        assert_constant_queries(self, lambda: api.get(reverse("api:entrustment-list")), self.add)

    def test_the_detail_page(self):
        self.client.force_login(self.olivia)
        url = self.entrustment.get_absolute_url()
        assert_constant_queries(
            self,
            lambda: self.client.get(url),
            lambda count: [
                self.entrustment.deliverables.create(
                    title=f"Part {index}", due_date=TODAY + timedelta(days=5)
                )
                for index in range(count)
            ],
        )


class TestWaitingOnYouRemindersAndSearch(EntrustmentCase):
    def test_the_association_accepts_delivers_and_the_department_reviews(self):
        from associations import dashboard

        self.assertEqual(len(dashboard.entrustments_to_accept(self.asa)), 1)
        self.assertEqual(dashboard.entrustments_to_accept(self.sam), [])
        service.entrustment_accept(actor=self.asa, entrustment=self.entrustment)
        self.assertEqual(dashboard.entrustments_to_accept(self.asa), [])
        due = dashboard.deliverables_due(self.sam)
        self.assertEqual(due, [])  # due in 30 days: not yet within two weeks
        self.entrustment.deliverables.update(due_date=TODAY + timedelta(days=3))
        (item,) = dashboard.deliverables_due(self.sam)
        self.assertEqual(item.label, "Deliver “Evaluation report” (Evaluate Huaxin's cooperation)")
        self.assertEqual(dashboard.deliveries_to_review(self.olivia), [])
        attach(self.entrustment.deliverables.get(), "report.pdf", self.sam)
        service.entrustment_deliver(actor=self.sam, entrustment=self.entrustment)
        self.assertEqual(len(dashboard.deliveries_to_review(self.olivia)), 1)
        self.assertEqual(dashboard.deliveries_to_review(self.charlie), [])

    def test_a_deliverable_is_reminded_7_days_and_1_day_before_each_once(self):
        from associations import jobs

        service.entrustment_accept(actor=self.asa, entrustment=self.entrustment)
        deliverable = self.entrustment.deliverables.get()
        for days in (7, 1):
            day = deliverable.due_date - timedelta(days=days)
            with self.captureOnCommitCallbacks(execute=True):
                self.assertEqual(jobs.entrustments_daily(day)["deliverable_reminders"], 1)
                self.assertEqual(jobs.entrustments_daily(day)["deliverable_reminders"], 0)
        told = Notification.objects.filter(title__startswith="Due in").values_list(
            "recipient__username", flat=True
        )
        self.assertEqual(sorted(told), ["asa", "asa", "sam", "sam"])

    def test_search_finds_entrustments_and_logs_records_found_through_a_scope(self):
        from associations.models import ScopedRead
        from portal import search
        from tests.factories import make_agreement

        make_agreement(self.college, self.huaxin, status="active", title="Tooling academy")
        service.entrustment_accept(actor=self.asa, entrustment=self.entrustment)
        found = dict(
            (str(entry.label), [hit.record for hit in hits])
            for entry, hits in search.search(self.asa, "Tooling")
        )
        self.assertEqual(len(found["Agreements"]), 1)
        self.assertEqual(ScopedRead.objects.count(), 1)
        found = {str(entry.label) for entry, _hits in search.search(self.charlie, "Evaluate")}
        self.assertNotIn("Entrustments", found)
        found = {str(entry.label) for entry, _hits in search.search(self.val, "Evaluate")}
        self.assertIn("Entrustments", found)


class TestTheServicesTakeNoWildInput(EntrustmentCase):
    """Pages and the API bound their input; the services refuse what slips past them
    too (found by review)."""

    def test_wild_scope_kinds_and_long_reasons_are_field_errors(self):
        for kinds in (None, 3, [[1]], ["internships.student"]):
            with self.subTest(kinds=kinds), self.assertRaises(ValidationError) as refused:
                service.entrustment_update(
                    actor=self.olivia, entrustment=self.entrustment, scope_kinds=kinds
                )
            self.assertIn("scope_kinds", refused.exception.message_dict)
        with self.assertRaises(ValidationError) as refused:
            service.entrustment_decline(
                actor=self.asa, entrustment=self.entrustment, reason="x" * 5_000
            )
        self.assertIn("reason", refused.exception.message_dict)
        self.entrustment.refresh_from_db()
        self.assertEqual(self.entrustment.status, S.PROPOSED)
