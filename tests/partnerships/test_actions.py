"""What each person may do with an agreement, decided once (``agreement_actions``) and
told alike by the agreement page and the API; clause steps are one page action each."""

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import OrganizationKind, Role
from partnerships import services
from partnerships.models import AgreementStatus, ClauseStatus
from tests.factories import OrganizationFactory, make_agreement, member
from tests.people import People


class AgreementActionsCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.enterprise, Role.ADMIN, "hua")


class TestAgreementActions(AgreementActionsCase):
    def actions(self, user, status, **kwargs):
        agreement = make_agreement(self.college, self.enterprise, status=status, **kwargs)
        return services.agreement_actions(user, agreement)

    def test_each_status_offers_its_steps_to_each_role(self):
        self.assertEqual(self.actions(self.bob, AgreementStatus.DRAFT), {"edit", "send"})
        self.assertEqual(
            self.actions(self.alice, AgreementStatus.NEGOTIATING, signed=False), {"edit", "sign"}
        )
        self.assertEqual(self.actions(self.bob, AgreementStatus.NEGOTIATING), {"edit"})
        self.assertEqual(self.actions(self.alice, AgreementStatus.ACTIVE), {"terminate", "renew"})
        self.assertEqual(self.actions(self.bob, AgreementStatus.ACTIVE), {"renew"})
        self.assertEqual(self.actions(self.alice, AgreementStatus.TERMINATED), set())
        self.assertEqual(self.actions(self.victor, AgreementStatus.DRAFT), set())
        self.assertEqual(self.actions(self.olivia, AgreementStatus.DRAFT), set())

    def test_the_api_detail_tells_the_same_actions(self):
        agreement = make_agreement(
            self.college, self.enterprise, status=AgreementStatus.NEGOTIATING, signed=False
        )
        api = APIClient()
        api.force_authenticate(self.alice)
        detail = api.get(reverse("api:agreement-detail", args=[agreement.pk])).json()
        self.assertEqual(detail["actions"], ["edit", "sign"])
        signed = api.post(
            reverse("api:agreement-sign", args=[agreement.pk]), {"place": "Hangzhou"}
        ).json()
        self.assertEqual(signed["actions"], ["edit"])


class TestClausePageActions(AgreementActionsCase):
    def test_each_clause_step_has_its_own_page_action(self):
        agreement = make_agreement(
            self.college, self.enterprise, status=AgreementStatus.ACTIVE, effective_in=-1
        )
        ours = agreement.clauses.get(party__organization=self.college)
        theirs = agreement.clauses.get(party__organization=self.enterprise)
        self.client.force_login(self.bob)
        page = self.client.get(agreement.get_absolute_url()).content.decode()
        self.assertIn(reverse("clause-fulfil", args=[ours.pk]), page)
        self.assertIn(reverse("clause-breach", args=[theirs.pk]), page)
        self.client.post(reverse("clause-fulfil", args=[ours.pk]), {"evidence": "Done"})
        # A stray "action" field once chose the step; now the address alone does.
        self.client.post(
            reverse("clause-waive", args=[theirs.pk]), {"note": "Not needed", "action": "breach"}
        )
        ours.refresh_from_db()
        theirs.refresh_from_db()
        self.assertEqual((ours.status, theirs.status), (ClauseStatus.CLAIMED, ClauseStatus.WAIVED))
