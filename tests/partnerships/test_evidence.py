"""Clause statuses mean something once the agreement binds: "not yet binding" before;
fulfilment asks for evidence (a text, a file) and the parties it is owed to confirm or
dispute it (open again, both sides told); breach and waiver from the effective date;
termination is a page of its own with a reason and a confirmation. Pages and API, with
the permission matrix for each."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import OrganizationKind, Role
from partnerships import services
from partnerships.models import AgreementStatus, Clause, ClauseStatus
from portal.attachments import attachment_add
from portal.limits import NOTE_TEXT
from portal.models import Attachment, Notification
from tests.factories import OrganizationFactory, make_agreement, member
from tests.people import People

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class EvidenceCase(People, TestCase):
    """Huaxin owes the responsibility; Riverside (alice, bob; victor views) is owed it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.enterprise, Role.ADMIN, "hua")
        cls.han = member(cls.enterprise, Role.STAFF, "han")
        cls.vera = member(cls.enterprise, Role.VIEWER, "vera")

    def setUp(self):
        self.api = APIClient()

    def clause(self, status=ClauseStatus.OPEN, *, agreement_status="active", effective_in=-10):
        agreement = make_agreement(
            self.college, self.enterprise, status=agreement_status, effective_in=effective_in
        )
        clause = agreement.clauses.get(party__organization=self.enterprise)
        if status != ClauseStatus.OPEN:
            Clause.objects.filter(pk=clause.pk).update(
                status=status, evidence="Register of 40 placements", evidence_by=self.han
            )
        return Clause.objects.get(pk=clause.pk)

    def titles(self, username):
        return list(
            Notification.objects.filter(recipient__username=username).values_list(
                "title", flat=True
            )
        )


class TestFulfilConfirmDispute(EvidenceCase):
    def test_fulfil_confirm_round_trip_through_the_pages(self):
        clause = self.clause()
        self.client.force_login(self.han)
        form = self.client.get(reverse("clause-fulfil", args=[clause.pk]))
        self.assertEqual(form.status_code, 200)
        self.assertContains(form, 'name="evidence"')
        self.assertContains(form, 'enctype="multipart/form-data"')
        response = self.client.post(
            reverse("clause-fulfil", args=[clause.pk]),
            {
                "evidence": "40 students placed; register attached.",
                "attachment": SimpleUploadedFile("register.pdf", PDF),
            },
        )
        self.assertRedirects(response, clause.get_absolute_url(), fetch_redirect_response=False)
        clause.refresh_from_db()
        self.assertEqual(clause.status, ClauseStatus.CLAIMED)
        self.assertEqual(clause.evidence, "40 students placed; register attached.")
        self.assertEqual(clause.evidence_by, self.han)
        self.assertEqual(clause.evidence_attachment.original_name, "register.pdf")
        self.assertEqual(Attachment.objects.for_record(clause).count(), 1)
        # Those it is owed to are asked to confirm; the evidence file stays meanwhile.
        self.assertTrue(any("confirm or dispute" in t for t in self.titles("bob")))
        self.assertTrue(clause.attachment_in_use(clause.evidence_attachment))
        self.client.force_login(self.bob)
        page = self.client.get(clause.agreement.get_absolute_url())
        self.assertContains(page, reverse("clause-confirm", args=[clause.pk]))
        self.assertContains(page, reverse("clause-dispute", args=[clause.pk]))
        self.assertContains(page, "register.pdf")
        self.assertNotContains(page, reverse("clause-breach", args=[clause.pk]))
        self.client.post(reverse("clause-confirm", args=[clause.pk]))
        clause.refresh_from_db()
        self.assertEqual((clause.status, clause.status_changed_by), ("fulfilled", self.bob))
        self.assertEqual(clause.evidence, "40 students placed; register attached.")

    def test_evidence_is_required_and_bounded(self):
        clause = self.clause()
        self.client.force_login(self.han)
        url = reverse("clause-fulfil", args=[clause.pk])
        for evidence in ("", "   ", "x" * (NOTE_TEXT + 1)):
            with self.subTest(length=len(evidence)):
                response = self.client.post(url, {"evidence": evidence})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, 'id="id_evidence_errors"', status_code=400)
        response = self.client.post(
            url, {"evidence": "Done", "attachment": SimpleUploadedFile("run.exe", b"MZ\x90")}
        )
        self.assertContains(response, 'id="id_attachment_errors"', status_code=400)
        self.assertEqual(Clause.objects.get(pk=clause.pk).status, ClauseStatus.OPEN)
        self.assertFalse(Attachment.objects.exists())

    def test_a_dispute_opens_it_again_and_tells_both_sides(self):
        clause = self.clause(ClauseStatus.CLAIMED)
        self.client.force_login(self.bob)
        url = reverse("clause-dispute", args=[clause.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(url, {"reason": ""})
        self.assertContains(response, 'id="id_reason_errors"', status_code=400)
        self.client.post(url, {"reason": "The register lists only 12 students."})
        clause.refresh_from_db()
        self.assertEqual(clause.status, ClauseStatus.OPEN)
        self.assertTrue(clause.disputed)
        self.assertEqual(clause.status_note, "The register lists only 12 students.")
        for username in ("alice", "bob", "hua", "han"):
            self.assertTrue(
                any("is disputed" in t for t in self.titles(username)), (username, "told")
            )
        # The owing party sees the reason and gives new evidence.
        self.client.force_login(self.han)
        page = self.client.get(clause.agreement.get_absolute_url())
        self.assertContains(page, "The register lists only 12 students.")
        self.assertContains(page, "Give new evidence")
        self.assertContains(page, 'data-status="disputed"')

    def test_a_dispute_is_told_in_the_same_transaction(self):
        clause = self.clause(ClauseStatus.CLAIMED)
        with self.captureOnCommitCallbacks() as callbacks:
            services.clause_dispute(actor=self.bob, clause=clause, reason="Not done")
        self.assertTrue(Notification.objects.filter(title__contains="is disputed").exists())
        self.assertEqual(len(callbacks), 1)  # the emails, once committed

    def test_the_api_fulfils_with_evidence_and_an_attached_file(self):
        clause = self.clause()
        other = self.clause()
        mine = attachment_add(
            actor=self.han, record=clause, upload=SimpleUploadedFile("register.pdf", PDF)
        )
        elsewhere = attachment_add(
            actor=self.han, record=other, upload=SimpleUploadedFile("other.pdf", PDF)
        )
        self.api.force_authenticate(self.han)
        url = reverse("api:clause-fulfil", args=[clause.pk])
        for data, field in (
            ({}, "evidence"),
            ({"evidence": ""}, "evidence"),
            ({"evidence": "x" * (NOTE_TEXT + 1)}, "evidence"),
            ({"evidence": "Done", "attachment": elsewhere.pk}, "attachment"),
            ({"evidence": "Done", "attachment": "abc"}, "attachment"),
        ):
            with self.subTest(data=str(data)[:40]):
                response = self.api.post(url, data)
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(field, response.json())
        body = self.api.post(url, {"evidence": "Done", "attachment": mine.pk}).json()
        self.assertEqual(
            (body["status"], body["evidence"], body["evidence_attachment"], body["actions"]),
            ("claimed", "Done", mine.pk, []),
        )
        self.api.force_authenticate(self.bob)
        detail = self.api.get(reverse("api:clause-detail", args=[clause.pk])).json()
        self.assertEqual(detail["actions"], ["confirm", "dispute"])
        response = self.api.post(reverse("api:clause-dispute", args=[clause.pk]), {})
        self.assertEqual(response.status_code, 400)
        self.assertIn("reason", response.json())
        body = self.api.post(
            reverse("api:clause-dispute", args=[clause.pk]), {"reason": "Unsigned register"}
        ).json()
        self.assertEqual((body["status"], body["status_note"]), ("open", "Unsigned register"))
        self.api.force_authenticate(self.han)
        self.api.post(url, {"evidence": "Signed register now attached"})
        self.api.force_authenticate(self.alice)
        body = self.api.post(reverse("api:clause-confirm", args=[clause.pk])).json()
        self.assertEqual(body["status"], "fulfilled")


class TestNotYetBinding(EvidenceCase):
    def test_open_clauses_read_not_yet_binding_until_signed_and_in_effect(self):
        for agreement_status, effective_in, expected in (
            ("draft", -10, True),
            ("negotiating", -10, True),
            ("signed", 10, True),
            ("active", -10, False),
        ):
            with self.subTest(status=agreement_status):
                clause = self.clause(agreement_status=agreement_status, effective_in=effective_in)
                self.assertEqual(clause.not_yet_binding, expected)
                self.client.force_login(self.bob)
                page = self.client.get(clause.agreement.get_absolute_url())
                if expected:
                    self.assertContains(page, "not yet binding")
                    self.assertNotContains(page, 'data-status="open"')
                else:
                    self.assertNotContains(page, "not yet binding")
                    self.assertContains(page, 'data-status="open"')
                self.api.force_authenticate(self.bob)
                body = self.api.get(reverse("api:clause-detail", args=[clause.pk])).json()
                self.assertEqual(body["not_yet_binding"], expected)

    def test_the_clause_list_says_so_too(self):
        self.clause(agreement_status="draft")
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(reverse("clause-list")), "not yet binding")

    def test_breach_and_waiver_wait_for_the_effective_date(self):
        clause = self.clause(agreement_status="signed", effective_in=3)
        self.assertEqual(services.clause_actions(self.bob, clause), set())
        self.assertEqual(services.clause_actions(self.han, clause), {"fulfil"})
        self.client.force_login(self.bob)
        page = self.client.get(clause.agreement.get_absolute_url())
        self.assertNotContains(page, reverse("clause-breach", args=[clause.pk]))
        self.assertNotContains(page, reverse("clause-waive", args=[clause.pk]))
        self.api.force_authenticate(self.bob)
        for verb in ("breach", "waive"):
            response = self.api.post(
                reverse(f"api:clause-{verb}", args=[clause.pk]), {"note": "Too early"}
            )
            self.assertEqual(response.status_code, 409, response.content)
            self.assertIn("takes effect on", response.json()["detail"])
        self.assertEqual(Clause.objects.get(pk=clause.pk).status, ClauseStatus.OPEN)
        # From the effective date on, both are offered and accepted.
        clause = self.clause(agreement_status="signed", effective_in=0)
        self.assertEqual(services.clause_actions(self.bob, clause), {"breach", "waive"})
        response = self.api.post(
            reverse("api:clause-breach", args=[clause.pk]), {"note": "Nobody came."}
        )
        self.assertEqual(response.json()["status"], "breached")


class TestTermination(EvidenceCase):
    def test_the_agreement_page_has_a_button_not_the_form(self):
        clause = self.clause()
        self.client.force_login(self.alice)
        page = self.client.get(clause.agreement.get_absolute_url())
        url = reverse("agreement-terminate", args=[clause.agreement.pk])
        self.assertContains(page, f'href="{url}"')
        self.assertNotContains(page, 'name="reason"')

    def test_it_needs_a_reason_and_the_confirmation(self):
        agreement = self.clause().agreement
        url = reverse("agreement-terminate", args=[agreement.pk])
        self.client.force_login(self.alice)
        page = self.client.get(url)
        self.assertContains(page, 'name="confirm"')
        for data, field in (
            ({"reason": "Plant closed"}, "confirm"),
            ({"confirm": "on"}, "reason"),
            ({"reason": "x" * (NOTE_TEXT + 1), "confirm": "on"}, "reason"),
        ):
            with self.subTest(field=field):
                response = self.client.post(url, data)
                self.assertContains(response, f'id="id_{field}_errors"', status_code=400)
        agreement.refresh_from_db()
        self.assertEqual(agreement.status, AgreementStatus.ACTIVE)
        response = self.client.post(url, {"reason": "Plant closed", "confirm": "on"})
        self.assertRedirects(response, agreement.get_absolute_url(), fetch_redirect_response=False)
        agreement.refresh_from_db()
        self.assertEqual(
            (agreement.status, agreement.termination_reason), ("terminated", "Plant closed")
        )
        # Once terminated, the page says so instead of asking again.
        response = self.client.get(url, follow=True)
        self.assertContains(response, "cannot be terminated")

    def test_permission_matrix(self):
        agreement = self.clause().agreement
        url = reverse("agreement-terminate", args=[agreement.pk])
        data = {"reason": "Plant closed", "confirm": "on"}
        response = self.client.get(url)
        self.assertTrue(response["Location"].startswith(reverse("login")))
        for user, status in (
            (self.charlie, 404),
            (self.victor, 403),
            (self.bob, 403),  # staff: only a party's admin terminates
            (self.gary, 403),
        ):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(url).status_code, status)
                self.assertEqual(self.client.post(url, data).status_code, status)
        agreement.refresh_from_db()
        self.assertEqual(agreement.status, AgreementStatus.ACTIVE)
        self.client.force_login(self.hua)
        self.assertEqual(self.client.get(url).status_code, 200)


class TestStepPermissions(EvidenceCase):
    """Every new page and endpoint: anonymous, another organization, a viewer, a member
    of the wrong side, the right side."""

    STEPS = {
        # step: (status it starts from, who may, page data, API data)
        "fulfil": (ClauseStatus.OPEN, "han", {"evidence": "Done"}, {"evidence": "Done"}),
        "confirm": (ClauseStatus.CLAIMED, "bob", {}, {}),
        "dispute": (ClauseStatus.CLAIMED, "bob", {"reason": "No"}, {"reason": "No"}),
    }

    def test_pages(self):
        for step, (status, allowed, data, _api) in self.STEPS.items():
            wrong_side = "bob" if allowed == "han" else "han"
            viewer = "vera" if allowed == "han" else "victor"
            with self.subTest(step=step):
                clause = self.clause(status)
                url = reverse(f"clause-{step}", args=[clause.pk])
                self.client.logout()
                response = self.client.post(url, data)
                self.assertTrue(response["Location"].startswith(reverse("login")))
                for username, expected in (
                    ("charlie", 404),
                    (viewer, 403),
                    (wrong_side, 403),
                    ("olivia", 403),
                ):
                    self.client.force_login(getattr(self, username))
                    self.assertEqual(self.client.post(url, data).status_code, expected, username)
                    if step != "confirm":
                        self.assertEqual(self.client.get(url).status_code, expected, username)
                self.assertEqual(Clause.objects.get(pk=clause.pk).status, status)
                self.client.force_login(getattr(self, allowed))
                if step != "confirm":
                    self.assertEqual(self.client.get(url).status_code, 200)
                self.assertEqual(self.client.post(url, data).status_code, 302)
                self.assertNotEqual(Clause.objects.get(pk=clause.pk).status, status)

    def test_api(self):
        for step, (status, allowed, _page, data) in self.STEPS.items():
            wrong_side = "bob" if allowed == "han" else "han"
            viewer = "vera" if allowed == "han" else "victor"
            with self.subTest(step=step):
                clause = self.clause(status)
                url = reverse(f"api:clause-{step}", args=[clause.pk])
                self.api.force_authenticate(None)
                self.assertEqual(self.api.post(url, data).status_code, 401)
                for username, expected in (
                    ("charlie", 404),
                    (viewer, 403),
                    (wrong_side, 403),
                    ("olivia", 403),
                ):
                    self.api.force_authenticate(getattr(self, username))
                    self.assertEqual(self.api.post(url, data).status_code, expected, username)
                self.assertEqual(Clause.objects.get(pk=clause.pk).status, status)
                self.api.force_authenticate(getattr(self, allowed))
                self.assertEqual(self.api.post(url, data).status_code, 200)

    def test_a_step_not_open_now_is_a_message_on_the_page(self):
        clause = self.clause(ClauseStatus.FULFILLED)
        self.client.force_login(self.han)
        response = self.client.get(reverse("clause-fulfil", args=[clause.pk]), follow=True)
        self.assertContains(response, "That step is not open for this clause now")
        response = self.client.post(
            reverse("clause-fulfil", args=[clause.pk]), {"evidence": "Again"}, follow=True
        )
        self.assertContains(response, "cannot move from")
