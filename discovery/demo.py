"""Demo needs and offers: Riverside needs teacher practice posts in manufacturing;
Huaxin offers an order-based class in CNC machining; Lanting offers software
internships, which Riverside answered — a thread of three messages that Lanting's admin
turned into a draft agreement. Written through the services, so the data keeps their
rules. Idempotent: by each need's owner and title."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Organization, User

from .models import CooperationNeed, Interest, NeedDirection, NeedKind
from .services import interests as interest_services
from .services import needs as need_services

HUAXIN = "Huaxin Precision Manufacturing"
LANTING = "Lanting Software"
RIVERSIDE = "Riverside Vocational College"
ORGANIZATIONS = (HUAXIN, LANTING, RIVERSIDE)
# Each organization's admin.
DEMO_USERS = {RIVERSIDE: "college", HUAXIN: "enterprise", LANTING: "enterprise2"}

TEACHER_PRACTICE = "Teacher practice posts in intelligent manufacturing (教师企业实践岗位)"
ORDER_CLASS = "CNC machining order-based class (数控技术订单班)"
INTERNSHIPS = "Software development internships (软件开发岗位实习)"

# owner, title, direction, kind, fields, audience (kinds; empty: everyone)
NEEDS = [
    (
        RIVERSIDE,
        TEACHER_PRACTICE,
        NeedDirection.NEED,
        NeedKind.TEACHER_PRACTICE,
        {
            "description": "Six of our mechatronics teachers are to spend two months of the "
            "summer in an enterprise, working on a production line (专业教师每五年累计不少于"
            "6个月企业实践). We look for posts in assembly, maintenance or robot cell "
            "commissioning, with a mentor on site.",
            "specialties": "Mechatronics, Industrial robotics",
            "region": "Hangzhou",
            "headcount": 6,
            "valid_until": 75,
        },
        ["enterprise"],
    ),
    (
        HUAXIN,
        ORDER_CLASS,
        NeedDirection.OFFER,
        NeedKind.ORDER_CLASS,
        {
            "description": "A class of 40 second-year students trained to Huaxin's "
            "standards: we co-teach the CNC programming courses, lend two machining "
            "centres for the practical modules, pay a stipend, and offer a job to each "
            "graduate who passes our skills test (订单式培养).",
            "specialties": "CNC machining, Mechatronics",
            "region": "Hangzhou",
            "headcount": 40,
            "valid_until": 90,
        },
        ["college"],
    ),
    (
        LANTING,
        INTERNSHIPS,
        NeedDirection.OFFER,
        NeedKind.INTERNSHIP,
        {
            "description": "Ten six-month internships (岗位实习) in our web and mobile teams "
            "for final-year students: a mentor each, a monthly allowance, and real tickets "
            "from our customers' projects.",
            "specialties": "Software technology, Computer networking",
            "region": "Hangzhou",
            "headcount": 10,
            "valid_until": 60,
        },
        ["college"],
    ),
]

THREAD = [
    (
        RIVERSIDE,
        "Riverside would like to send ten students of our Software technology programme "
        "from September. They have done Java and Vue in class; we can send their "
        "transcripts. 我们的实习指导老师是王老师。",
    ),
    (
        LANTING,
        "Welcome! Ten is fine. Could Mr Wang visit us in July to agree the schedule and "
        "the tasks? We would also like a tripartite agreement (三方协议) for each student.",
    ),
    (
        RIVERSIDE,
        "Mr Wang will come on 10 July. Let us put the terms in an agreement first.",
    ),
]


def seed(log) -> None:
    organizations = {org.name: org for org in Organization.objects.filter(name__in=ORGANIZATIONS)}
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_USERS.values())}
    if len(organizations) < len(ORGANIZATIONS) or len(users) < len(DEMO_USERS):
        return
    today = timezone.localdate()
    needs = {}
    for owner, title, direction, kind, fields, audience in NEEDS:
        organization = organizations[owner]
        need = CooperationNeed.objects.filter(owner=organization, title=title).first()
        if need is None:
            need = need_services.need_create(
                actor=users[DEMO_USERS[owner]],
                owner=organization,
                title=title,
                direction=direction,
                kind=kind,
                audience=audience,
                **{**fields, "valid_until": today + timedelta(days=fields["valid_until"])},
            )
            need = need_services.need_open(actor=users[DEMO_USERS[owner]], need=need)
            log(f"{direction} {title} (open)")
        needs[title] = need
    seed_thread(needs[INTERNSHIPS], organizations, users, log)


def seed_thread(need: CooperationNeed, organizations, users, log) -> None:
    """Once: Riverside's answer to Lanting's internships, the replies, and the draft
    agreement Lanting's admin made of it."""
    riverside = organizations[RIVERSIDE]
    if Interest.objects.filter(need=need, organization=riverside).exists():
        return
    (_side, first), *replies = THREAD
    interest = interest_services.interest_create(
        actor=users[DEMO_USERS[RIVERSIDE]], need=need, organization=riverside, message=first
    )
    for side, text in replies:
        interest_services.interest_reply(
            actor=users[DEMO_USERS[side]], interest=interest, message=text
        )
    agreement = interest_services.interest_draft_agreement(
        actor=users[DEMO_USERS[LANTING]], interest=interest
    )
    log(f"interest of {RIVERSIDE} in {need.title}, now the draft agreement {agreement.reference}")
