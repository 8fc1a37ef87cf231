"""The evidence the portal assembles for a certification: its counts equal the records
in the other apps (and leave out what does not count: drafts, other enterprises'
records, nominations that never started), the page and the API run as many queries for
1 record of each kind as for 30, and a record the viewer may not open is counted but
neither named nor linked."""

from datetime import timedelta
from decimal import Decimal

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from associations.services import certifications as service
from associations.services.certification_evidence import certification_evidence
from funding.models import Award, Tranche
from partnerships.models import Clause, Partnership, PartnershipMember
from portal import access
from tests.factories import make_agreement, make_application, make_program
from tests.helpers.queries import count_queries
from tests.internships.helpers import make_base, make_nomination, make_placement
from tests.internships.secondments import make_secondment
from tests.internships.students import make_student
from tests.people import People

from .certifications import CertificationPeople, S, make_review_entrustment
from .certifications import make_application as make_certification


class EvidenceCase(CertificationPeople, People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.program = make_program(cls.bureau, max_open=100)
        cls.students = 0

    def setUp(self):
        self.application = make_certification(self.huaxin, status=S.SUBMITTED)

    # One record of each kind for Huaxin (``n`` makes them distinct).

    def add_agreement(self, n: int, enterprise=None):
        """Active, with two responsibilities of the enterprise, one fulfilled."""
        enterprise = enterprise or self.huaxin
        agreement = make_agreement(
            self.college, enterprise, status="active", clauses=2, title=f"A{n}"
        )
        first = Clause.objects.filter(agreement=agreement, party__organization=enterprise)
        Clause.objects.filter(pk=first.order_by("pk")[0].pk).update(status="fulfilled")
        return agreement

    def add_partnership(self, n: int, led: bool = True):
        if led:
            return Partnership.objects.create(
                name=f"P{n}", kind="industry_college", lead=self.huaxin, status="active"
            )
        partnership = Partnership.objects.create(
            name=f"P{n}", kind="strategic_alliance", lead=self.college
        )
        PartnershipMember.objects.create(partnership=partnership, organization=self.huaxin)
        return partnership

    def add_intern(self, n: int, status: str = "started", placement=None):
        placement = placement or make_placement(
            self.huaxin, self.college, status="published", slots=100, title=f"Placement {n}"
        )
        type(self).students += 1
        student = make_student(self.college, f"S{type(self).students:05d}")
        return make_nomination(placement, student, status=status)

    def add_award(self, n: int, amount="100000.00", released="40000.00", enterprise=None):
        application = make_application(
            self.program, enterprise or self.huaxin, amount=amount, status="approved", title=f"F{n}"
        )
        award = Award.objects.create(
            application=application,
            program=self.program,
            amount=Decimal(amount),
            tranched=Decimal(amount),
            released=Decimal(released),
        )
        Tranche.objects.create(
            award=award,
            amount=Decimal(released),
            due_date=timezone.localdate(),
            status="released",
            released_at=timezone.now(),
        )
        Tranche.objects.create(
            award=award,
            amount=Decimal(amount) - Decimal(released),
            due_date=timezone.localdate() + timedelta(days=90),
        )
        return award

    def add_one_of_each(self, n: int):
        self.add_agreement(n)
        self.add_partnership(n)
        make_base(self.huaxin, self.college, status="active")
        self.add_intern(n)
        make_secondment(self.college, self.huaxin, teacher_number=f"T{n}", days=20)
        self.add_award(n)

    def sections(self, user=None) -> dict:
        return {
            section.key: section
            for section in certification_evidence(user or self.gary, self.huaxin)
        }


class TestTheCounts(EvidenceCase):
    def test_they_equal_the_records_in_the_other_apps(self):
        # What counts for Huaxin.
        self.add_agreement(1)
        self.add_agreement(2)
        led = self.add_partnership(1)
        self.add_partnership(2, led=False)
        make_base(self.huaxin, self.college, status="active")
        make_base(self.huaxin, self.college)
        placement = make_placement(
            self.huaxin, self.college, status="published", slots=100, title="CNC"
        )
        self.add_intern(1, "started", placement)
        self.add_intern(2, "completed", placement)
        self.add_intern(3, "completed")
        make_secondment(self.college, self.huaxin, teacher_number="T1", days=30)
        make_secondment(self.college, self.huaxin, teacher_number="T2", days=45)
        self.add_award(1, "100000.00", "40000.00")
        self.add_award(2, "50000.00", "50000.00")
        # What does not.
        make_agreement(self.college, self.huaxin, status="draft", title="Draft")
        make_agreement(self.college, self.huaxin, status="terminated", title="Ended")
        self.add_agreement(3, enterprise=self.lanting)
        Partnership.objects.create(name="Theirs", kind="other", lead=self.lanting)
        make_base(self.lanting, self.college)
        self.add_intern(4, "nominated", placement)
        self.add_intern(5, "withdrawn", placement)
        make_secondment(self.college, self.lanting, teacher_number="T3")
        self.add_award(3, enterprise=self.lanting)

        sections = self.sections()
        self.assertEqual(
            {key: section.count for key, section in sections.items()},
            {
                "agreements": 2,
                "partnerships": 2,
                "practice_bases": 2,
                "interns": 3,
                "secondments": 2,
                "funds": 2,
            },
        )
        self.assertEqual(
            sections["agreements"].figures,
            {"responsibilities": 4, "responsibilities_fulfilled": 2},
        )
        self.assertEqual(sections["partnerships"].figures, {"led": 1, "active": 1})
        self.assertEqual(sections["practice_bases"].figures, {"active": 1})
        self.assertEqual(
            sections["interns"].figures, {"started": 1, "completed": 2, "placements": 2}
        )
        self.assertEqual([item.name for item in sections["interns"].latest], ["Placement 3", "CNC"])
        self.assertEqual(sections["secondments"].figures, {"days": 75})
        self.assertEqual(
            sections["funds"].figures,
            {"awarded": Decimal("150000.00"), "released": Decimal("90000.00")},
        )
        self.assertEqual(sections["partnerships"].latest[-1].record, led)

    def test_the_api_gives_the_same_counts_with_links(self):
        self.add_one_of_each(1)
        client = APIClient()
        client.force_authenticate(self.gary)
        url = reverse("api:certification-evidence", args=[self.application.pk])
        body = client.get(url).json()
        self.assertEqual(body["enterprise"], self.huaxin.pk)
        self.assertEqual(body["agreements"]["count"], 1)
        self.assertEqual(body["agreements"]["responsibilities_fulfilled"], 1)
        self.assertEqual(body["funds"]["awarded"], "100000.00")
        self.assertEqual(body["funds"]["released"], "40000.00")
        self.assertEqual(body["secondments"]["days"], 20)
        item = body["practice_bases"]["latest"][0]
        self.assertTrue(item["url"].endswith(f"/api/v1/practice-bases/{item['id']}/"))
        self.assertEqual(item["page"], f"/practice-bases/{item['id']}/")

    def test_a_record_the_viewer_may_not_open_is_counted_but_not_named(self):
        # Lanting's agreement with Huaxin, which Huaxin's own people see; the
        # association reads Huaxin's agreements only if its scope says so.
        self.add_agreement(1)
        make_secondment(self.college, self.huaxin, teacher_number="T1", days=20)
        make_review_entrustment(self.bureau, self.association, scope=[self.huaxin])
        access.forget_grants(self.asa)
        sections = self.sections(self.asa)
        self.assertEqual(sections["agreements"].count, 1)
        hidden = sections["agreements"].latest[0]
        self.assertIsNone(hidden.record)
        self.assertEqual((hidden.name, hidden.detail, hidden.url), ("", "", ""))
        self.assertEqual(sections["secondments"].latest[0].name, "")  # no teacher's name
        own = self.sections(self.hua)["agreements"].latest[0]
        self.assertTrue(own.name.startswith("AGR-"), own.name)
        self.assertTrue(own.url)

    def test_the_page_shows_them(self):
        self.add_one_of_each(1)
        self.client.force_login(self.hua)
        response = self.client.get(self.application.get_absolute_url() + "?tab=evidence")
        self.assertContains(response, 'data-testid="evidence-interns-count">1<')
        self.assertContains(response, "Placement 1")
        self.assertContains(response, "¥40,000.00")


class TestQueriesStayFixed(EvidenceCase):
    """1 record of each kind, then 30: the same number of queries, for government (which
    sees everything), the enterprise (whose links are checked) and the association
    (reading through its scope, each read logged)."""

    def counts(self, fetch) -> tuple[int, int]:
        fetch()
        small, response = count_queries(fetch)
        self.assertEqual(getattr(response, "status_code", 200), 200)
        for n in range(2, 31):
            self.add_one_of_each(n)
        large, response = count_queries(fetch)
        self.assertEqual(getattr(response, "status_code", 200), 200)
        return small, large

    def setUp(self):
        super().setUp()
        self.add_one_of_each(1)

    def test_the_page_for_government(self):
        self.client.force_login(self.gary)
        url = self.application.get_absolute_url() + "?tab=evidence"
        small, large = self.counts(lambda: self.client.get(url))
        self.assertEqual(small, large)

    def test_the_page_for_the_enterprise(self):
        self.client.force_login(self.hua)
        url = self.application.get_absolute_url() + "?tab=evidence"
        small, large = self.counts(lambda: self.client.get(url))
        self.assertEqual(small, large)

    def test_the_page_for_the_association_reading_through_its_scope(self):
        make_review_entrustment(
            self.bureau,
            self.association,
            scope=[self.huaxin],
            kinds=(service.SCOPE_KIND, "partnerships.agreement", "internships.placement"),
        )
        self.client.force_login(self.asa)
        url = self.application.get_absolute_url() + "?tab=evidence"
        small, large = self.counts(lambda: self.client.get(url))
        self.assertEqual(small, large)

    def test_the_api(self):
        client = APIClient()
        client.force_authenticate(self.hua)
        url = reverse("api:certification-evidence", args=[self.application.pk])
        small, large = self.counts(lambda: client.get(url))
        self.assertEqual(small, large)
        self.assertEqual(client.get(url).json()["interns"]["count"], 30)
        self.assertEqual(len(client.get(url).json()["interns"]["latest"]), 5)
