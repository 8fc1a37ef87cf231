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

# Each organization's public profile (the directory), English then Chinese.
PROFILES = {
    "riverside": {
        "city": "Gongshu District",
        "industry_section": "P",
        "specialties": "Mechatronics\nIndustrial robotics\nCNC machining\nSoftware technology",
        "size_band": "300_999",
        "description": (
            "Public higher vocational college training technicians for advanced "
            "manufacturing and software; 9,000 students, 12 practice bases with local "
            "enterprises.\n公办高职院校，面向先进制造与软件产业培养技术技能人才；在校生九千人，"
            "与本地企业共建十二个实习实训基地。"
        ),
        "website": "https://riverside.example.edu.cn",
        "public_email": "cooperation@riverside.example.edu.cn",
        "public_phone": "0571-8800 1001",
    },
    "eastlake": {
        "city": "Xihu District",
        "industry_section": "P",
        "specialties": "Computer networking\nE-commerce\nAccounting",
        "size_band": "300_999",
        "description": (
            "Polytechnic for digital trade and services, looking for software and "
            "logistics partners.\n面向数字贸易与现代服务业的职业技术学院，寻求软件与物流企业合作。"
        ),
        "website": "https://eastlake.example.edu.cn",
        "public_email": "school-enterprise@eastlake.example.edu.cn",
        "public_phone": "0571-8800 2002",
    },
    "huaxin": {
        "city": "Qiantang District",
        "industry_section": "C",
        "size_band": "1000_plus",
        "description": (
            "Precision parts and CNC machining for the automotive industry; hosts "
            "apprentices and interns every year.\n"
            "汽车精密零部件与数控加工企业，每年接收学徒和实习生。"
        ),
        "website": "https://huaxin.example.com",
        "public_email": "hr@huaxin.example.com",
        "public_phone": "0571-8600 3003",
    },
    "lanting": {
        "city": "Binjiang District",
        "industry_section": "I",
        "size_band": "50_299",
        "description": (
            "Industrial software and MES for small manufacturers; open to joint courses "
            "and software internships.\n"
            "为中小制造企业提供工业软件与制造执行系统，欢迎共建课程和软件实习。"
        ),
        "website": "https://lanting.example.com",
        "public_email": "campus@lanting.example.com",
        "public_phone": "0571-8600 4004",
    },
    "bureau": {
        "city": "Shangcheng District",
        "industry_section": "S",
        "size_band": "50_299",
        "description": (
            "Opens the city's fund programs for school-enterprise cooperation and "
            "oversees their use.\n负责全市校企合作专项资金的设立与监督。"
        ),
        "website": "https://edu.example.gov.cn",
        "public_email": "vocational@edu.example.gov.cn",
        "public_phone": "0571-8700 5005",
    },
    "association": {
        "city": "Gongshu District",
        "industry_section": "S",
        "size_band": "under_50",
        "description": (
            "Industry association of 120 manufacturers; assesses talent demand and "
            "certifies cooperating enterprises on the government's behalf.\n"
            "由一百二十家制造企业组成的行业协会，受政府委托开展人才需求评估和合作企业认证。"
        ),
        "website": "https://rmia.example.org.cn",
        "public_email": "office@rmia.example.org.cn",
        "public_phone": "0571-8900 6006",
    },
}

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
        if not organization.description:
            # Profiles came after the first demo databases: fill in those still empty.
            Organization.objects.filter(pk=organization.pk).update(**PROFILES[key])
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
