"""Demo organizations and accounts (DESIGN.md), created once; running again changes
nothing that exists."""

from __future__ import annotations

from .models import Membership, Organization, OrganizationKind, Role, User
from .validators import credit_code_check_character

DEMO_PASSWORD = "demo-pass-2026"


def demo_credit_code(first17: str) -> str:
    return first17 + credit_code_check_character(first17)


ORGANIZATIONS = [
    (
        "riverside",
        OrganizationKind.COLLEGE,
        "Riverside Vocational College",
        "12330100470000001",
        "Hangzhou",
        "Education",
        "18 Riverside Road, Hangzhou",
    ),
    (
        "eastlake",
        OrganizationKind.COLLEGE,
        "Eastlake Polytechnic",
        "12330100470000002",
        "Hangzhou",
        "Education",
        "2 Eastlake Avenue, Hangzhou",
    ),
    (
        "huaxin",
        OrganizationKind.ENTERPRISE,
        "Huaxin Precision Manufacturing",
        "91330100MA2B00001",
        "Hangzhou",
        "Manufacturing",
        "66 Industrial Park Road, Hangzhou",
    ),
    (
        "lanting",
        OrganizationKind.ENTERPRISE,
        "Lanting Software",
        "91330100MA2B00002",
        "Hangzhou",
        "Software",
        "9 Innovation Street, Hangzhou",
    ),
    (
        "bureau",
        OrganizationKind.GOVERNMENT,
        "Municipal Education Bureau",
        "11330100000000001",
        "Hangzhou",
        "Public administration",
        "1 Civic Centre, Hangzhou",
    ),
    (
        "association",
        OrganizationKind.ASSOCIATION,
        "Regional Manufacturing Industry Association",
        "51330100MJ0000001",
        "Hangzhou",
        "Manufacturing",
        "5 Guild Hall Lane, Hangzhou",
    ),
]

ACCOUNTS = [
    ("college", "Lin", "Wei", "riverside", Role.ADMIN),
    ("college2", "Zhou", "Min", "eastlake", Role.ADMIN),
    ("enterprise", "Chen", "Hua", "huaxin", Role.ADMIN),
    ("enterprise2", "Wang", "Fang", "lanting", Role.ADMIN),
    ("officer", "Liu", "Yang", "bureau", Role.STAFF),
    ("reviewer", "Zhang", "Li", "bureau", Role.STAFF),
    ("officer2", "Huang", "Jun", "bureau", Role.ADMIN),
    ("association", "Sun", "Qing", "association", Role.ADMIN),
]


def seed(log) -> dict[str, Organization]:
    organizations = {}
    for key, kind, name, code17, region, industry, address in ORGANIZATIONS:
        organization, created = Organization.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "credit_code": demo_credit_code(code17),
                "region": region,
                "industry": industry,
                "address": address,
            },
        )
        organizations[key] = organization
        if created:
            log(f"organization {name}")
    for username, given, family, org_key, role in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": given,
                "last_name": family,
                "email": f"{username}@example.org",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            log(f"user {username}")
        Membership.objects.get_or_create(
            user=user, organization=organizations[org_key], defaults={"role": role}
        )
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.org", DEMO_PASSWORD)
        log("superuser admin")
    return organizations
