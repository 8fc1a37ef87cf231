"""Named people, created once per test class (the idea of Healthchecks' hc/test.py).

- alice: admin of Riverside College;  bob: its staff;  victor: its viewer
- charlie: admin of Eastlake College, another organization
- olivia: staff of the Municipal Education Bureau (government: sees everything)
- gary: admin of the same bureau
"""

from accounts.models import OrganizationKind, Role
from tests.factories import OrganizationFactory, member


class People:
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.college = OrganizationFactory(name="Riverside College", kind=OrganizationKind.COLLEGE)
        cls.other_college = OrganizationFactory(
            name="Eastlake College", kind=OrganizationKind.COLLEGE
        )
        cls.bureau = OrganizationFactory(name="Education Bureau", kind=OrganizationKind.GOVERNMENT)
        cls.alice = member(cls.college, Role.ADMIN, "alice")
        cls.bob = member(cls.college, Role.STAFF, "bob")
        cls.victor = member(cls.college, Role.VIEWER, "victor")
        cls.charlie = member(cls.other_college, Role.ADMIN, "charlie")
        cls.olivia = member(cls.bureau, Role.STAFF, "olivia")
        cls.gary = member(cls.bureau, Role.ADMIN, "gary")
