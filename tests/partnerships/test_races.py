"""Row locks in partnerships follow the portal's order (partnership → member; agreement →
party → clause) and are taken before the rows they guard are read (PostgreSQL)."""

from django.core.exceptions import ValidationError
from django.test import TestCase, TransactionTestCase

from accounts.models import OrganizationKind, Role
from partnerships import services
from partnerships.models import (
    AgreementStatus,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
)
from tests.factories import OrganizationFactory, make_agreement, member
from tests.helpers.concurrency import requires_row_locks, run_concurrently
from tests.helpers.locks import assert_lock_order
from tests.people import People


@requires_row_locks
class TestPartnershipLockOrder(People, TestCase):
    def setUp(self):
        self.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE)
        self.hua = member(self.enterprise, Role.ADMIN, "hua")

    def test_agreement_steps_lock_the_agreement_before_its_parties_and_clauses(self):
        agreement = make_agreement(self.college, self.enterprise)
        clause = agreement.clauses.first()
        for step in (
            lambda: services.party_add(
                actor=self.alice, agreement=agreement, organization=self.bureau
            ),
            lambda: services.party_remove(
                actor=self.alice, party=agreement.parties.get(organization=self.bureau)
            ),
            lambda: services.clause_update(actor=self.alice, clause=clause, text="Revised"),
            lambda: services.agreement_send(actor=self.alice, agreement=agreement),
            lambda: services.agreement_sign(
                actor=self.alice, agreement=agreement, place="Hangzhou"
            ),
        ):
            tables = assert_lock_order(step)
            self.assertEqual(tables[0], "partnerships_agreement")

    def test_clause_steps_lock_the_agreement_then_the_clause(self):
        agreement = make_agreement(
            self.college, self.enterprise, status=AgreementStatus.ACTIVE, effective_in=-5
        )
        clause = agreement.clauses.get(party__organization=self.college)
        theirs = agreement.clauses.get(party__organization=self.enterprise)
        for step in (
            lambda: services.clause_fulfil(actor=self.alice, clause=clause, evidence="Done"),
            lambda: services.clause_dispute(actor=self.hua, clause=clause, reason="Not done"),
            lambda: services.clause_fulfil(actor=self.alice, clause=clause, evidence="Now done"),
            lambda: services.clause_confirm(actor=self.hua, clause=clause),
            lambda: services.clause_breach(actor=self.alice, clause=theirs, note="Nobody came"),
        ):
            tables = assert_lock_order(step)
            self.assertEqual(tables, ["partnerships_agreement", "partnerships_clause"])

    def test_a_party_role_locks_the_agreement_then_the_party(self):
        agreement = make_agreement(self.college, self.enterprise)
        party = agreement.parties.get(organization=self.enterprise)
        tables = assert_lock_order(
            lambda: services.party_set_role(actor=self.alice, party=party, role="Host")
        )
        self.assertEqual(tables, ["partnerships_agreement", "partnerships_agreementparty"])

    def test_partnership_steps_lock_the_partnership_first(self):
        partnership = services.partnership_create(
            actor=self.alice, lead=self.college, name="Robotics college", kind="industry_college"
        )
        for step in (
            lambda: services.partnership_update(
                actor=self.alice, partnership=partnership, name="R"
            ),
            lambda: services.partnership_add_member(
                actor=self.alice, partnership=partnership, organization=self.enterprise
            ),
            lambda: services.partnership_change_status(
                actor=self.alice, partnership=partnership, status=PartnershipStatus.ACTIVE
            ),
        ):
            tables = assert_lock_order(step)
            self.assertEqual(tables[0], "partnerships_partnership")


@requires_row_locks
class TestPartnershipRaces(TransactionTestCase):
    def setUp(self):
        self.college = OrganizationFactory(kind=OrganizationKind.COLLEGE)
        self.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE)
        self.others = [OrganizationFactory(kind=OrganizationKind.ENTERPRISE) for _ in range(2)]
        self.alice = member(self.college, Role.ADMIN, "alice")
        self.bob = member(self.college, Role.STAFF, "bob")

    def test_two_parties_added_at_once_are_both_kept(self):
        for attempt in range(5):
            agreement = make_agreement(self.college, self.enterprise, title=f"A{attempt}")
            results = run_concurrently(
                *(
                    lambda o=o, a=agreement, u=u: services.party_add(
                        actor=u, agreement=a, organization=o
                    )
                    for o, u in zip(self.others, (self.alice, self.bob), strict=True)
                )
            )
            self.assertFalse([r for r in results if isinstance(r, Exception)], results)
            self.assertEqual(agreement.parties.count(), 4)

    def test_the_same_member_added_twice_at_once_is_a_field_error_not_a_crash(self):
        for attempt in range(5):
            partnership = services.partnership_create(
                actor=self.alice, lead=self.college, name=f"P{attempt}", kind="industry_college"
            )
            results = run_concurrently(
                *(
                    lambda u=u, p=partnership: services.partnership_add_member(
                        actor=u, partnership=p, organization=self.enterprise
                    )
                    for u in (self.alice, self.bob)
                )
            )
            errors = [r for r in results if isinstance(r, Exception)]
            self.assertEqual(len(errors), 1, results)
            self.assertIsInstance(errors[0], ValidationError)
            self.assertIn("organization", errors[0].message_dict)
            self.assertEqual(
                PartnershipMember.objects.filter(
                    partnership=partnership, organization=self.enterprise
                ).count(),
                1,
            )

    def test_an_edit_at_the_same_moment_never_undoes_a_status_change(self):
        for attempt in range(5):
            partnership = services.partnership_create(
                actor=self.alice, lead=self.college, name=f"P{attempt}", kind="industry_college"
            )
            stale = Partnership.objects.get(pk=partnership.pk)
            run_concurrently(
                lambda p=partnership: services.partnership_change_status(
                    actor=self.alice, partnership=p, status=PartnershipStatus.ACTIVE
                ),
                lambda p=stale: services.partnership_update(
                    actor=self.bob, partnership=p, description="Now with a description"
                ),
            )
            partnership.refresh_from_db()
            self.assertEqual(
                (partnership.status, partnership.description),
                (PartnershipStatus.ACTIVE, "Now with a description"),
            )


@requires_row_locks
class TestFulfilmentRaces(TransactionTestCase):
    """Two parties a clause is owed to answer its fulfilment at the same moment, one
    confirming and one disputing: exactly one answer counts, the other is a 409."""

    def setUp(self):
        self.college = OrganizationFactory(kind=OrganizationKind.COLLEGE)
        self.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE)
        self.bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        self.alice = member(self.college, Role.ADMIN, "alice")
        self.hua = member(self.enterprise, Role.STAFF, "hua")
        self.gary = member(self.bureau, Role.ADMIN, "gary")

    def test_a_confirmation_and_a_dispute_at_once(self):
        from partnerships.models import ClauseStatus

        for attempt in range(5):
            agreement = make_agreement(
                self.college,
                self.enterprise,
                self.bureau,
                status=AgreementStatus.ACTIVE,
                effective_in=-5,
                title=f"A{attempt}",
            )
            clause = agreement.clauses.get(party__organization=self.enterprise)
            services.clause_fulfil(actor=self.hua, clause=clause, evidence="Register")
            results = run_concurrently(
                lambda c=clause: services.clause_confirm(actor=self.alice, clause=c),
                lambda c=clause: services.clause_dispute(actor=self.gary, clause=c, reason="No"),
            )
            errors = [r for r in results if isinstance(r, Exception)]
            self.assertEqual(len(errors), 1, results)
            self.assertIsInstance(errors[0], services.InvalidTransition)
            clause.refresh_from_db()
            self.assertIn(clause.status, (ClauseStatus.FULFILLED, ClauseStatus.OPEN))
            moves = list(clause.history.order_by("history_date").values_list("status", flat=True))
            self.assertEqual(moves[-2:][0], ClauseStatus.CLAIMED)
