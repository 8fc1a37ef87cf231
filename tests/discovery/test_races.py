"""Needs, answers and draft agreements under load, on PostgreSQL: two organizations
answering the same open need at once get a thread each, one organization answering
twice at once gets one; the two sides' admins turning the same thread into an agreement
at once make one agreement; an answer that meets the close is either recorded before it
or refused after it; and every service locks the need before the interest."""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext

from accounts.models import OrganizationKind, Role
from discovery.models import CooperationNeed, Interest, InterestMessage, NeedStatus
from discovery.services import interests as interest_service
from discovery.services import needs as need_service
from partnerships.models import Agreement, AgreementParty
from portal.workflow import InvalidTransition
from tests.factories import OrganizationFactory, member
from tests.helpers.concurrency import requires_row_locks, run_concurrently

from .needs import DiscoveryPeople, make_interest, make_need

ROUNDS = 5


def fresh_user(user):
    return get_user_model().objects.get(pk=user.pk)


def fresh_need(need):
    return CooperationNeed.objects.get(pk=need.pk)


@requires_row_locks
class TestAnswersAndAgreementsAtOnce(TransactionTestCase):
    def setUp(self):
        self.huaxin = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        self.erin = member(self.huaxin, Role.ADMIN, "erin")
        self.riverside = OrganizationFactory(kind=OrganizationKind.COLLEGE, name="Riverside")
        self.alice = member(self.riverside, Role.ADMIN, "alice")
        self.bob = member(self.riverside, Role.STAFF, "bob")
        self.eastlake = OrganizationFactory(kind=OrganizationKind.COLLEGE, name="Eastlake")
        self.charlie = member(self.eastlake, Role.ADMIN, "charlie")

    def answer(self, user, need, organization, text):
        return lambda: interest_service.interest_create(
            actor=fresh_user(user), need=fresh_need(need), organization=organization, message=text
        )

    def test_two_organizations_answering_at_once_get_a_thread_each(self):
        for round_ in range(ROUNDS):
            need = make_need(self.huaxin, audience=["college"], title=f"Order class {round_}")
            results = run_concurrently(
                self.answer(self.alice, need, self.riverside, "Riverside can send 40."),
                self.answer(self.charlie, need, self.eastlake, "Eastlake can send 30."),
            )
            self.assertTrue(all(isinstance(r, Interest) for r in results), results)
            interests = Interest.objects.filter(need=need)
            self.assertEqual(
                sorted(interests.values_list("organization__name", flat=True)),
                ["Eastlake", "Riverside"],
            )
            for interest in interests:
                self.assertEqual(
                    list(interest.messages.values_list("organization_id", flat=True)),
                    [interest.organization_id],
                )

    def test_one_organization_answering_twice_at_once_gets_one_thread(self):
        for round_ in range(ROUNDS):
            need = make_need(self.huaxin, audience=["college"], title=f"Order class {round_}")
            results = run_concurrently(
                self.answer(self.alice, need, self.riverside, "From alice."),
                self.answer(self.bob, need, self.riverside, "From bob."),
            )
            self.assertEqual(sum(isinstance(r, Interest) for r in results), 1, results)
            refused = [r for r in results if isinstance(r, ValidationError)]
            self.assertEqual(len(refused), 1, results)
            self.assertIn("Riverside has answered already", str(refused[0]))
            interest = Interest.objects.get(need=need)
            self.assertEqual(interest.organization, self.riverside)
            # Only the winner's first message: the refused answer left nothing behind.
            self.assertEqual(InterestMessage.objects.filter(interest__need=need).count(), 1)
            winner = next(r for r in results if isinstance(r, Interest))
            self.assertEqual(interest.pk, winner.pk)
            self.assertEqual(interest.messages.get().author_id, interest.created_by_id)

    def test_both_sides_drafting_the_agreement_at_once_make_one(self):
        for round_ in range(ROUNDS):
            title = f"Teacher practice posts {round_}"
            need = make_need(self.huaxin, audience=["college"], title=title)
            interest = make_interest(need, self.riverside, self.alice)

            def draft(user, pk=interest.pk):
                return lambda: interest_service.interest_draft_agreement(
                    actor=fresh_user(user), interest=Interest.objects.get(pk=pk)
                )

            results = run_concurrently(draft(self.erin), draft(self.alice))
            made = [r for r in results if isinstance(r, Agreement)]
            self.assertEqual(len(made), 1, results)
            self.assertEqual(sum(isinstance(r, InvalidTransition) for r in results), 1, results)
            self.assertEqual(Agreement.objects.filter(title=title).count(), 1)
            interest.refresh_from_db()
            self.assertEqual(interest.agreement_id, made[0].pk)
            self.assertEqual(
                set(
                    AgreementParty.objects.filter(agreement=made[0]).values_list(
                        "organization_id", flat=True
                    )
                ),
                {self.huaxin.pk, self.riverside.pk},
            )

    def test_answers_meeting_the_close_are_recorded_before_it_or_refused_after_it(self):
        """Six colleges answer while the owner closes: whichever locks the need first,
        each answer is either a whole thread written before the close or refused with
        nothing left behind; never a thread after the close."""
        colleges = [
            (self.riverside, self.alice),
            (self.eastlake, self.charlie),
            *(
                (college, member(college, Role.STAFF))
                for college in OrganizationFactory.create_batch(4, kind=OrganizationKind.COLLEGE)
            ),
        ]
        for round_ in range(ROUNDS):
            need = make_need(self.huaxin, audience=["college"], title=f"Guest engineers {round_}")

            def close(need=need):
                return need_service.need_close(actor=fresh_user(self.erin), need=fresh_need(need))

            answers = [self.answer(user, need, org, "We would like two.") for org, user in colleges]
            closed, *answered = run_concurrently(close, *answers)
            self.assertIsInstance(closed, CooperationNeed, closed)
            need.refresh_from_db()
            self.assertEqual(need.status, NeedStatus.CLOSED)
            recorded = {r.organization_id for r in answered if isinstance(r, Interest)}
            refused = [r for r in answered if not isinstance(r, Interest)]
            for error in refused:
                self.assertIsInstance(error, InvalidTransition, answered)
                self.assertEqual(error.message, "Only an open need or offer takes answers.")
            self.assertEqual(len(recorded) + len(refused), len(colleges))
            interests = Interest.objects.filter(need=need)
            self.assertEqual(set(interests.values_list("organization_id", flat=True)), recorded)
            for interest in interests:
                # Written before the close took the need's lock.
                self.assertLessEqual(interest.created_at, need.closed_at)
                self.assertEqual(interest.messages.count(), 1)
            self.assertEqual(
                InterestMessage.objects.filter(interest__need=need).count(), len(recorded)
            )


def tables_locked(function) -> list[str]:
    """The tables whose rows ``function`` locks, in order (whether or not ``OF`` names
    them: the reference counter locks its row without it)."""
    with CaptureQueriesContext(connection) as captured:
        function()
    tables = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if "FOR UPDATE" not in sql:
            continue
        named = re.search(r"FOR (?:NO KEY )?UPDATE OF (.+?)$", sql)
        source = named.group(1) if named else re.search(r'\bFROM "(\w+)"', sql).group(0)
        tables.extend(re.findall(r'"(\w+)"', source))
    return tables


@requires_row_locks
class TestDiscoveryLockOrder(DiscoveryPeople, TestCase):
    def setUp(self):
        self.need = make_need(self.huaxin, audience=["college"])

    def test_answering_locks_the_need_only(self):
        tables = tables_locked(
            lambda: interest_service.interest_create(
                actor=self.alice, need=self.need, organization=self.college, message="Yes."
            )
        )
        self.assertEqual(tables, ["discovery_cooperationneed"])

    def test_replying_locks_the_interest_only(self):
        interest = make_interest(self.need, self.college, self.alice)
        tables = tables_locked(
            lambda: interest_service.interest_reply(
                actor=self.erin, interest=interest, message="Welcome."
            )
        )
        self.assertEqual(tables, ["discovery_interest"])

    def test_drafting_locks_the_need_then_the_interest_then_the_counter(self):
        interest = make_interest(self.need, self.college, self.alice)
        tables = tables_locked(
            lambda: interest_service.interest_draft_agreement(actor=self.erin, interest=interest)
        )
        self.assertEqual(tables[:2], ["discovery_cooperationneed", "discovery_interest"])
        self.assertEqual(set(tables[2:]), {"portal_referencecounter"}, tables)

    def test_closing_locks_the_need_only(self):
        tables = tables_locked(lambda: need_service.need_close(actor=self.erin, need=self.need))
        self.assertEqual(tables, ["discovery_cooperationneed"])
