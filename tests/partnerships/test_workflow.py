"""Agreement, clause and partnership workflows: the whole transition tables, signing,
terms changed after a signature, renewal."""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import OrganizationKind, Role
from partnerships import services
from partnerships.models import (
    Agreement,
    AgreementStatus,
    Clause,
    ClauseKind,
    ClauseStatus,
    PartnershipStatus,
)
from portal.models import Notification
from portal.workflow import InvalidTransition
from tests.factories import OrganizationFactory, make_agreement, member
from tests.people import People

# What each verb may start from; every other status must answer 409.
VERBS = {
    "send": {AgreementStatus.DRAFT},
    "sign": {AgreementStatus.NEGOTIATING},
    "terminate": {AgreementStatus.SIGNED, AgreementStatus.ACTIVE},
    "renew": {AgreementStatus.SIGNED, AgreementStatus.ACTIVE, AgreementStatus.EXPIRED},
}


class AgreementCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.enterprise, Role.ADMIN, "hua")  # Huaxin's admin
        cls.han = member(cls.enterprise, Role.STAFF, "han")  # Huaxin's staff

    def setUp(self):
        self.api = APIClient()

    def post(self, user, agreement, verb, data=None):
        self.api.force_authenticate(user)
        if verb == "sign":  # a signature names its place
            data = {"place": "Hangzhou", **(data or {})}
        return self.api.post(
            reverse(f"api:agreement-{verb}", args=[agreement.pk]), data or {}, format="json"
        )


class TestAgreementTransitionTable(AgreementCase):
    def test_every_verb_from_every_status(self):
        for verb, allowed in VERBS.items():
            for status in AgreementStatus.values:
                with self.subTest(verb=verb, status=status):
                    agreement = make_agreement(
                        self.college,
                        self.enterprise,
                        status=status,
                        effective_in=-10,
                        signed=False if status == AgreementStatus.NEGOTIATING else None,
                    )
                    before = (agreement.status, agreement.updated_at, Agreement.objects.count())
                    response = self.post(
                        self.alice, agreement, verb, {"reason": "Closing the programme"}
                    )
                    if status in allowed:
                        self.assertIn(response.status_code, (200, 201), response.content)
                        continue
                    self.assertEqual(response.status_code, 409, response.content)
                    self.assertEqual(response.json()["code"], "invalid_transition")
                    agreement.refresh_from_db()
                    self.assertEqual(
                        (agreement.status, agreement.updated_at, Agreement.objects.count()), before
                    )

    def test_the_daily_moves_follow_the_table_too(self):
        for status in AgreementStatus.values:
            agreement = make_agreement(
                self.college, self.enterprise, status=status, effective_in=-400, lasts=10
            )
            with self.subTest(status=status):
                if AgreementStatus.ACTIVE in services.AGREEMENT_TRANSITIONS[status]:
                    services.agreement_activate(agreement=agreement, today=agreement.effective_date)
                else:
                    with self.assertRaises(InvalidTransition):
                        services.agreement_activate(agreement=agreement)
                agreement = make_agreement(
                    self.college, self.enterprise, status=status, effective_in=-400, lasts=10
                )
                if AgreementStatus.EXPIRED in services.AGREEMENT_TRANSITIONS[status]:
                    services.agreement_expire(agreement=agreement)
                    agreement.refresh_from_db()
                    self.assertEqual(agreement.status, AgreementStatus.EXPIRED)
                else:
                    with self.assertRaises(InvalidTransition):
                        services.agreement_expire(agreement=agreement)

    def test_terms_are_frozen_once_signed(self):
        agreement = make_agreement(self.college, self.enterprise, status=AgreementStatus.SIGNED)
        self.api.force_authenticate(self.alice)
        response = self.api.patch(
            reverse("api:agreement-detail", args=[agreement.pk]), {"title": "New"}
        )
        self.assertEqual(response.status_code, 409)
        clause = agreement.clauses.first()
        response = self.api.patch(
            reverse("api:clause-detail", args=[clause.pk]), {"text": "Changed"}
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(Clause.objects.get(pk=clause.pk).text, clause.text)


class TestSigning(AgreementCase):
    def test_every_party_admin_signs_and_the_last_signature_makes_it_signed(self):
        agreement = make_agreement(
            self.college, self.enterprise, self.bureau, status=AgreementStatus.DRAFT
        )
        self.assertEqual(
            self.post(self.bob, agreement, "send").json()["status"], AgreementStatus.NEGOTIATING
        )
        self.assertEqual(
            self.post(self.alice, agreement, "sign").json()["status"], AgreementStatus.NEGOTIATING
        )
        self.assertEqual(
            self.post(self.hua, agreement, "sign").json()["status"], AgreementStatus.NEGOTIATING
        )
        body = self.post(self.gary, agreement, "sign").json()
        self.assertEqual(body["status"], AgreementStatus.SIGNED)  # effective in ten days
        self.assertTrue(all(p["signed_at"] for p in body["parties"]))
        self.assertEqual(
            Notification.objects.filter(title__startswith="All parties signed")
            .values("recipient")
            .count(),
            len(
                {self.alice.pk, self.bob.pk, self.hua.pk, self.han.pk, self.olivia.pk, self.gary.pk}
            ),
        )

    def test_staff_and_viewers_cannot_sign_and_nobody_signs_twice(self):
        agreement = make_agreement(
            self.college, self.enterprise, status=AgreementStatus.NEGOTIATING, signed=False
        )
        self.assertEqual(self.post(self.bob, agreement, "sign").status_code, 400)
        self.assertEqual(
            self.post(self.bob, agreement, "sign", {"organization": self.college.pk}).status_code,
            403,
        )
        self.assertEqual(
            self.post(
                self.victor, agreement, "sign", {"organization": self.college.pk}
            ).status_code,
            403,
        )
        self.assertEqual(self.post(self.alice, agreement, "sign").status_code, 200)
        self.assertEqual(
            self.post(self.alice, agreement, "sign", {"organization": self.college.pk}).status_code,
            409,
        )

    def test_an_agreement_already_in_effect_becomes_active_on_the_last_signature(self):
        agreement = make_agreement(
            self.college,
            self.enterprise,
            status=AgreementStatus.NEGOTIATING,
            signed=False,
            effective_in=-1,
        )
        self.post(self.alice, agreement, "sign")
        self.assertEqual(
            self.post(self.hua, agreement, "sign").json()["status"], AgreementStatus.ACTIVE
        )

    def test_changing_terms_after_a_signature_clears_signatures_and_tells_every_party(self):
        agreement = make_agreement(
            self.college, self.enterprise, status=AgreementStatus.NEGOTIATING, signed=False
        )
        self.post(self.alice, agreement, "sign")
        self.api.force_authenticate(self.han)
        clause = agreement.clauses.filter(party__organization=self.enterprise).first()
        response = self.api.patch(
            reverse("api:clause-detail", args=[clause.pk]), {"text": "Only 20 placements."}
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(agreement.parties.filter(signed_at__isnull=False).exists())
        told = set(
            Notification.objects.filter(title__contains="signatures cleared").values_list(
                "recipient__username", flat=True
            )
        )
        self.assertEqual(told, {"alice", "bob", "hua", "han"})
        # Signing again now binds the new terms.
        self.post(self.alice, agreement, "sign")
        self.assertEqual(
            self.post(self.hua, agreement, "sign").json()["status"], AgreementStatus.SIGNED
        )

    def test_a_change_that_keeps_the_terms_keeps_the_signatures(self):
        agreement = make_agreement(
            self.college, self.enterprise, status=AgreementStatus.NEGOTIATING, signed=False
        )
        self.post(self.alice, agreement, "sign")
        self.api.force_authenticate(self.han)
        self.api.patch(
            reverse("api:agreement-detail", args=[agreement.pk]), {"title": agreement.title}
        )
        self.assertTrue(agreement.parties.get(organization=self.college).signed_at)

    def test_adding_a_party_clears_signatures(self):
        agreement = make_agreement(
            self.college, self.enterprise, status=AgreementStatus.NEGOTIATING, signed=False
        )
        self.post(self.alice, agreement, "sign")
        services.party_add(
            actor=self.alice, agreement=agreement, organization=self.bureau, role="Supervisor"
        )
        self.assertFalse(agreement.parties.filter(signed_at__isnull=False).exists())

    def test_termination_needs_a_party_admin_and_a_reason(self):
        agreement = make_agreement(self.college, self.enterprise, status=AgreementStatus.ACTIVE)
        self.assertEqual(
            self.post(self.bob, agreement, "terminate", {"reason": "x"}).status_code, 403
        )
        self.assertEqual(
            self.post(self.gary, agreement, "terminate", {"reason": "x"}).status_code, 403
        )
        self.assertEqual(self.post(self.alice, agreement, "terminate", {}).status_code, 400)
        body = self.post(
            self.alice, agreement, "terminate", {"reason": "The enterprise closed the plant."}
        ).json()
        self.assertEqual(
            (body["status"], body["termination_reason"]),
            (AgreementStatus.TERMINATED, "The enterprise closed the plant."),
        )

    def test_renewal_copies_parties_and_clauses_into_a_new_draft(self):
        agreement = make_agreement(
            self.college, self.enterprise, self.bureau, status=AgreementStatus.ACTIVE, clauses=2
        )
        response = self.post(self.bob, agreement, "renew")
        self.assertEqual(response.status_code, 201)
        renewal = Agreement.objects.get(pk=response.json()["id"])
        self.assertEqual(renewal.status, AgreementStatus.DRAFT)
        self.assertEqual(renewal.renewed_from, agreement)
        self.assertEqual(renewal.effective_date, agreement.expiry_date + timedelta(days=1))
        self.assertEqual(renewal.parties.count(), 3)
        self.assertEqual(renewal.clauses.count(), 6)
        self.assertFalse(renewal.parties.filter(signed_at__isnull=False).exists())
        self.assertNotEqual(renewal.reference, agreement.reference)


# Each clause step, who takes it (the owing enterprise's staff, or the college's staff it
# is owed to), and what it sends.
CLAUSE_STEPS = {
    "fulfil": ("han", {"evidence": "Done, see the attached register."}),
    "confirm": ("bob", {}),
    "dispute": ("bob", {"reason": "The register lists only 12 students."}),
    "breach": ("bob", {"note": "Nobody came."}),
    "waive": ("bob", {"note": "Not needed this year."}),
}
# From which status each step may start, and where it leads.
CLAUSE_MOVES = {
    ("fulfil", ClauseStatus.OPEN): ClauseStatus.CLAIMED,
    ("breach", ClauseStatus.OPEN): ClauseStatus.BREACHED,
    ("waive", ClauseStatus.OPEN): ClauseStatus.WAIVED,
    ("confirm", ClauseStatus.CLAIMED): ClauseStatus.FULFILLED,
    ("dispute", ClauseStatus.CLAIMED): ClauseStatus.OPEN,
}


class TestClauseTransitions(AgreementCase):
    def clause(
        self,
        status=ClauseStatus.OPEN,
        agreement_status=AgreementStatus.ACTIVE,
        kind=ClauseKind.RESPONSIBILITY,
        effective_in=-10,
    ):
        agreement = make_agreement(
            self.college, self.enterprise, status=agreement_status, effective_in=effective_in
        )
        clause = agreement.clauses.get(party__organization=self.enterprise)
        Clause.objects.filter(pk=clause.pk).update(status=status, kind=kind)
        return Clause.objects.get(pk=clause.pk)

    def move(self, user, clause, verb, data=None):
        self.api.force_authenticate(user)
        if data is None:
            data = CLAUSE_STEPS[verb][1]
        return self.api.post(reverse(f"api:clause-{verb}", args=[clause.pk]), data)

    def test_every_move_from_every_status(self):
        for status in ClauseStatus.values:
            for verb, (username, data) in CLAUSE_STEPS.items():
                with self.subTest(status=status, verb=verb):
                    clause = self.clause(status)
                    response = self.move(getattr(self, username), clause, verb, data)
                    target = CLAUSE_MOVES.get((verb, status))
                    if target is not None:
                        self.assertEqual(response.status_code, 200, response.content)
                        self.assertEqual(response.json()["status"], target)
                        self.assertEqual(Clause.objects.get(pk=clause.pk).status, target)
                    else:
                        self.assertEqual(response.status_code, 409, response.content)
                        self.assertEqual(response.json()["code"], "invalid_transition")
                        self.assertEqual(Clause.objects.get(pk=clause.pk).status, status)

    def test_the_table_and_the_moves_agree(self):
        for (verb, status), target in CLAUSE_MOVES.items():
            self.assertIn(target, services.CLAUSE_TRANSITIONS[status], (verb, status))
            self.assertEqual(services.CLAUSE_STEPS[verb][0], target)
        allowed = {(s, t) for s, targets in services.CLAUSE_TRANSITIONS.items() for t in targets}
        self.assertEqual(allowed, {(s, t) for (_v, s), t in CLAUSE_MOVES.items()})

    def test_clauses_move_only_while_the_agreement_binds(self):
        for agreement_status in (
            AgreementStatus.DRAFT,
            AgreementStatus.NEGOTIATING,
            AgreementStatus.EXPIRED,
            AgreementStatus.TERMINATED,
        ):
            clause = self.clause(agreement_status=agreement_status)
            self.assertEqual(
                self.move(self.han, clause, "fulfil").status_code, 409, agreement_status
            )

    def test_the_owing_party_fulfils_and_the_others_breach_or_waive(self):
        clause = self.clause()
        self.assertEqual(self.move(self.bob, clause, "fulfil").status_code, 403)
        self.assertEqual(self.move(self.han, clause, "breach").status_code, 403)
        self.assertEqual(self.move(self.han, clause, "waive").status_code, 403)
        self.assertEqual(self.move(self.victor, clause, "breach").status_code, 403)
        body = self.move(self.han, clause, "fulfil").json()
        self.assertEqual(
            (body["status"], body["evidence"], body["evidence_by"], body["status_note"]),
            (ClauseStatus.CLAIMED, "Done, see the attached register.", "han", ""),
        )
        self.assertEqual(self.move(self.han, clause, "confirm").status_code, 403)
        self.assertEqual(self.move(self.bob, clause, "confirm").json()["status"], "fulfilled")

    def test_a_right_is_honoured_by_the_others_and_waived_by_its_holder(self):
        right = self.clause(kind=ClauseKind.RIGHT)  # Huaxin's right
        self.assertEqual(self.move(self.han, right, "fulfil").status_code, 403)
        self.assertEqual(self.move(self.bob, right, "waive").status_code, 403)
        self.assertEqual(self.move(self.han, right, "waive").status_code, 200)

    def test_breach_and_waiver_need_a_reason(self):
        clause = self.clause()
        response = self.move(self.bob, clause, "breach", {"note": ""})
        self.assertEqual(response.status_code, 400)
        self.assertIn("note", response.json())


class TestPartnershipTransitions(People, TestCase):
    def test_every_move_from_every_status(self):
        from tests.partnerships.test_permissions import make_partnership

        for status in PartnershipStatus.values:
            for target in PartnershipStatus.values:
                partnership = make_partnership(self.college)
                partnership.status = status
                partnership.save()
                with self.subTest(status=status, target=target):
                    if target in services.PARTNERSHIP_TRANSITIONS[status]:
                        services.partnership_change_status(
                            actor=self.alice, partnership=partnership, status=target
                        )
                    else:
                        with self.assertRaises(InvalidTransition):
                            services.partnership_change_status(
                                actor=self.alice, partnership=partnership, status=target
                            )
                        partnership.refresh_from_db()
                        self.assertEqual(partnership.status, status)


def test_ended_partnerships_get_an_end_date(db):
    from tests.partnerships.test_permissions import make_partnership

    college = OrganizationFactory()
    alice = member(college, Role.ADMIN)
    partnership = make_partnership(college)
    services.partnership_change_status(
        actor=alice, partnership=partnership, status=PartnershipStatus.ENDED
    )
    assert partnership.end_date is None
    partnership.refresh_from_db()
    assert partnership.end_date == timezone.localdate()
