"""Demo governance: Riverside's articles of association in three versions (the first
superseded, the second in force, adopted by the council, a third in draft), its council
of 21 members in eight constituencies (``college``, ``enterprise`` and ``officer``
among them), a plenary session held two months ago with attendance, approved minutes
and two resolutions passed by name, a written resolution open for the three demo
members' votes, and a meeting in the coming days; and the Huaxin industry college's
articles, in force.

Written through the services, so the data keeps their rules. The services stamp what
they do with the present: where the demo tells of the past (a version adopted years
ago, last plenary's votes) the timestamps are moved back afterwards, in the order the
services would have kept, and the notifications of those past events are dated then,
read and not emailed. Outside members have no portal account and so cannot vote in the
portal: their votes at the plenary are written as the meeting recorded them by name,
with no one entering them. Idempotent by the articles' titles and the council's name.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from accounts.models import Organization, User
from partnerships.models import Partnership
from portal.models import Notification

from . import services
from .models import (
    Articles,
    ArticleVersion,
    AttendanceStatus,
    Board,
    BoardKind,
    BoardMember,
    BoardPowers,
    Constituency,
    MeetingKind,
    Position,
    Resolution,
    ResolutionKind,
    Vote,
    VoteChoice,
)

COLLEGE = "Riverside Vocational College"
ENTERPRISE = "Huaxin Precision Manufacturing"
BUREAU = "Municipal Education Bureau"
ASSOCIATION = "Regional Manufacturing Industry Association"
SOFTWARE = "Lanting Software"
INDUSTRY_COLLEGE = "Huaxin Intelligent Manufacturing Industry College"

ARTICLES_TITLE = "Articles of Association of Riverside Vocational College (河畔职业学院章程)"
COUNCIL = "Riverside Vocational College Council (河畔职业学院理事会)"
INDUSTRY_ARTICLES_TITLE = "Articles of the Huaxin Intelligent Manufacturing Industry College"

# --- Riverside's articles -------------------------------------------------------------

CH1 = "Chapter 1 General provisions (第一章 总则)"
CH2 = "Chapter 2 Organization and administration (第二章 组织与管理)"
CH3 = "Chapter 3 The council (第三章 理事会)"
CH4 = "Chapter 4 School–enterprise cooperation (第四章 校企合作)"
CH5 = "Chapter 5 Students and staff (第五章 学生与教职工)"
CH6 = "Chapter 6 Supplementary provisions (第六章 附则)"

# number: (chapter, heading, text)
Text = dict[int, tuple[str, str, str]]

ARTICLES_V1: Text = {
    1: (
        CH1,
        "Basis",
        "These Articles are made under the Higher Education Law and the Vocational "
        "Education Law of the People's Republic of China and the Provisional Measures for "
        "Formulating Articles of Association of Institutions of Higher Education (2011), so "
        "that the College is run according to law and its autonomy is secured.",
    ),
    2: (
        CH1,
        "Name and seat",
        "The College is named Riverside Vocational College (河畔职业学院). Its seat is 18 "
        "Riverside Road, Hangzhou.",
    ),
    3: (
        CH1,
        "Nature",
        "The College is a full-time public higher vocational college sponsored by the "
        "Hangzhou Municipal People's Government and administered by the Municipal "
        "Education Bureau. It is a non-profit institution with legal personality.",
    ),
    4: (
        CH1,
        "Mission",
        "The College trains highly skilled technicians for intelligent manufacturing, "
        "software and modern services in the region, by integrating industry and education "
        "and by cooperation between school and enterprise.",
    ),
    5: (
        CH2,
        "Leadership",
        "The College practises the system of the president taking overall responsibility "
        "under the leadership of the College Party Committee.",
    ),
    6: (
        CH2,
        "President",
        "The president is the College's legal representative and directs its teaching, "
        "research and administration. The president's office meeting decides the "
        "College's administrative affairs.",
    ),
    7: (
        CH2,
        "Academic committee",
        "The academic committee is the College's highest academic body. It reviews "
        "specialties, curricula, teaching standards and cases of academic misconduct.",
    ),
    8: (
        CH2,
        "Congress of teachers and staff",
        "The congress of teachers and staff meets at least once a year. It hears the "
        "president's report and deliberates on matters that concern the staff's interests.",
    ),
    9: (
        CH3,
        "Establishment",
        "The College establishes a council (理事会) through which government, industry, "
        "enterprises and the community take part in running the College and supervise it.",
    ),
    10: (
        CH3,
        "Composition",
        "The council has at least 15 members: representatives of the sponsor, of "
        "cooperating enterprises and industry associations, of the College leadership and "
        "of its teachers. Members serve terms of four years.",
    ),
    11: (
        CH3,
        "Powers",
        "The council advises on the College's development plan, its specialties and its "
        "cooperation with enterprises, and raises funds for the College.",
    ),
    12: (
        CH3,
        "Meetings",
        "The council meets in plenary session once a year. A meeting is quorate when more "
        "than half of the members attend; it decides by a majority of the members "
        "attending.",
    ),
    13: (
        CH4,
        "Cooperation agreements",
        "The College cooperates with enterprises under written agreements that set out "
        "each party's rights and responsibilities: placements, teaching resources, "
        "facilities and intellectual property.",
    ),
    14: (
        CH4,
        "Enterprise teachers",
        "The College appoints engineers and skilled workers from enterprises as part-time "
        "teachers. They teach at least a quarter of the practical courses of each specialty.",
    ),
    15: (
        CH4,
        "Internships",
        "Students take observation and on-the-job internships in enterprises. The College "
        "assigns each intern a tracking teacher and agrees the internship with the host in "
        "writing.",
    ),
    16: (
        CH5,
        "Students",
        "Students have the right to take part in the College's activities, to use its "
        "facilities, to be assessed fairly and to appeal against decisions that affect them.",
    ),
    17: (
        CH5,
        "Teachers and staff",
        "Teachers and staff are appointed on merit. Specialty teachers spend at least one "
        "month a year in practice in enterprises.",
    ),
    18: (
        CH6,
        "Amendment",
        "These Articles are amended on the proposal of the president's office meeting, with "
        "the approval of the Party Committee, and the amendment takes effect when the "
        "Provincial Department of Education approves it.",
    ),
    19: (CH6, "Interpretation", "The president's office meeting interprets these Articles."),
    20: (CH6, "Entry into force", "These Articles come into force on the day they are approved."),
}

# Version 2: the council under the 2014 rules for college councils, an industry college
# article and internship safety (articles 16 to 20 of version 1 move down by one).
ARTICLES_V2: Text = {
    **ARTICLES_V1,
    1: (
        CH1,
        "Basis",
        "These Articles are made under the Higher Education Law and the Vocational "
        "Education Law (2022) of the People's Republic of China, the Provisional Measures "
        "for Formulating Articles of Association of Institutions of Higher Education (2011) "
        "and the Rules for College Councils (2014), so that the College is run according "
        "to law and its autonomy is secured.",
    ),
    10: (
        CH3,
        "Composition",
        "The council has at least 21 members from eight constituencies: government, "
        "industry associations, enterprises, the College leadership, teaching staff, "
        "students, alumni and the community. Members from industry associations and "
        "enterprises make up at least a quarter of the council. Members serve terms of five "
        "years and may be reappointed once.",
    ),
    11: (
        CH3,
        "Powers",
        "The council decides on the College's development plan, its annual budget, the "
        "opening and closing of specialties and major cooperation with enterprises; it "
        "supervises their implementation, amends these Articles and raises funds for the "
        "College.",
    ),
    12: (
        CH3,
        "Meetings",
        "The council meets in plenary session at least once a year. A meeting is quorate "
        "when more than half of the seated members attend in person or by proxy. "
        "Resolutions on the plan, the budget and appointments need a majority of the "
        "seated members; other resolutions a majority of the votes cast.",
    ),
    15: (
        CH4,
        "Internships",
        "Students take observation and on-the-job internships in enterprises under the "
        "Provisions on Vocational School Student Internships (2021). No student is placed "
        "on night shifts, in hazardous posts or through an agency; every intern is insured "
        "against work injury and has a tracking teacher and an enterprise guide.",
    ),
    16: (
        CH4,
        "Industry colleges",
        "The College may run industry colleges (产业学院) jointly with enterprises, each "
        "under its own articles agreed by the founding parties and approved by the council.",
    ),
    17: ARTICLES_V1[16],
    18: ARTICLES_V1[17],
    19: (
        CH6,
        "Amendment",
        "These Articles are amended by a resolution of the council passed by two thirds of "
        "its seated members, at a meeting attended by at least two thirds of them, on the "
        "proposal of the president's office meeting. The amendment is filed with the "
        "Provincial Department of Education.",
    ),
    20: ARTICLES_V1[19],
    21: ARTICLES_V1[20],
}

# Version 3 (draft): two plenaries a year and written resolutions between them; a third
# of the practical courses taught by enterprise teachers.
ARTICLES_V3: Text = {
    **ARTICLES_V2,
    12: (
        CH3,
        "Meetings",
        "The council meets in plenary session at least twice a year. A meeting is quorate "
        "when more than half of the seated members attend in person or by proxy. Between "
        "sessions the council may decide by written resolution, on which every seated "
        "member votes within the time set. Resolutions on the plan, the budget and "
        "appointments need a majority of the seated members; other resolutions a majority "
        "of the votes cast.",
    ),
    14: (
        CH4,
        "Enterprise teachers",
        "The College appoints engineers and skilled workers from enterprises as part-time "
        "teachers. They teach at least a third of the practical courses of each specialty "
        "and take part in writing its curriculum.",
    ),
}

# --- the industry college's articles ----------------------------------------------------

IC1 = "Chapter 1 General provisions (第一章 总则)"
IC2 = "Chapter 2 Governance (第二章 治理结构)"
IC3 = "Chapter 3 Resources and results (第三章 资源与成果)"

INDUSTRY_ARTICLES: Text = {
    1: (
        IC1,
        "Name and founders",
        "The Huaxin Intelligent Manufacturing Industry College is founded by Riverside "
        "Vocational College and Huaxin Precision Manufacturing under their framework "
        "agreement, with the Municipal Education Bureau supervising.",
    ),
    2: (
        IC1,
        "Nature",
        "The industry college is a secondary college of Riverside without separate legal "
        "personality, run jointly by the founders.",
    ),
    3: (
        IC1,
        "Aims",
        "It trains technicians in CNC machining, mechatronics and industrial robotics to a "
        "curriculum written with Huaxin, with placements every term.",
    ),
    4: (
        IC2,
        "Board of directors",
        "A board of seven directors governs the industry college: three appointed by "
        "Riverside, three by Huaxin and one by the Municipal Education Bureau. A Huaxin "
        "director chairs it.",
    ),
    5: (
        IC2,
        "Dean",
        "The dean, appointed by Riverside with the board's consent, runs teaching and the "
        "day-to-day work; the deputy dean is a Huaxin engineer.",
    ),
    6: (
        IC3,
        "Contributions",
        "Riverside provides teachers, classrooms and its training centre; Huaxin provides "
        "its CNC workshop two days a week, engineers who teach, and 40 paid placements a "
        "year.",
    ),
    7: (
        IC3,
        "Intellectual property",
        "Teaching materials written jointly belong to both founders; patents arising from "
        "joint work are shared equally unless a project agreement says otherwise.",
    ),
    8: (
        IC3,
        "Duration and dissolution",
        "The industry college runs for five years and continues unless a founder gives a "
        "year's notice; students enrolled then complete their programmes.",
    ),
}

# --- the council ------------------------------------------------------------------------

C = Constituency
SEATS = {
    C.GOVERNMENT: (2, 3),
    C.ASSOCIATION: (1, 2),
    C.ENTERPRISE: (4, 6),
    C.LEADERSHIP: (2, 4),
    C.TEACHERS: (3, 5),
    C.STUDENTS: (2, 3),
    C.ALUMNI: (1, 2),
    C.COMMUNITY: (1, 3),
}

# A demo user (by username) or an outside member (by name), constituency, position and
# the organization represented (outside the portal when None).
MEMBERS = [
    ("officer", C.GOVERNMENT, Position.VICE_CHAIR, BUREAU),
    ("Gao Ming", C.GOVERNMENT, Position.MEMBER, None),
    ("Zheng Hao", C.ASSOCIATION, Position.MEMBER, ASSOCIATION),
    ("Feng Yu", C.ASSOCIATION, Position.MEMBER, None),
    ("enterprise", C.ENTERPRISE, Position.VICE_CHAIR, ENTERPRISE),
    ("He Jian", C.ENTERPRISE, Position.MEMBER, ENTERPRISE),
    ("Xu Lei", C.ENTERPRISE, Position.MEMBER, SOFTWARE),
    ("Ma Li", C.ENTERPRISE, Position.MEMBER, None),
    ("Tang Bo", C.ENTERPRISE, Position.MEMBER, None),
    ("Zhao Guoqiang", C.LEADERSHIP, Position.CHAIR, COLLEGE),
    ("college", C.LEADERSHIP, Position.SECRETARY, COLLEGE),
    ("Qian Hong", C.LEADERSHIP, Position.MEMBER, COLLEGE),
    ("Chen Jing", C.TEACHERS, Position.MEMBER, COLLEGE),
    ("Yang Fan", C.TEACHERS, Position.MEMBER, COLLEGE),
    ("Wu Min", C.TEACHERS, Position.MEMBER, COLLEGE),
    ("Li Na", C.STUDENTS, Position.MEMBER, COLLEGE),
    ("Deng Kai", C.ALUMNI, Position.MEMBER, None),
    ("Lu Xin", C.ALUMNI, Position.MEMBER, None),
    ("Xie Ping", C.COMMUNITY, Position.MEMBER, None),
    ("Han Mei", C.COMMUNITY, Position.MEMBER, None),
]
# A student member who graduated and left; the one who took her seat.
LEAVER = ("Sun Yue", C.STUDENTS, Position.MEMBER, COLLEGE)
SUCCESSOR = ("Zhou Tao", C.STUDENTS, Position.MEMBER, COLLEGE)
DEMO_MEMBERS = ("college", "enterprise", "officer")

# The plenary: who sent apologies, and who gave a proxy to whom (a demo user, who casts
# it in the portal). Everyone else attends.
ABSENT = ("Feng Yu", "Wu Min", "Lu Xin", "Han Mei")
PROXIES = {"Tang Bo": "enterprise"}
# How the members voted on each resolution, by name: those not named voted for.
AMENDMENT_VOTES = {"Ma Li": VoteChoice.AGAINST, "Zhou Tao": VoteChoice.ABSTAIN}
PLAN_VOTES = {"Li Na": VoteChoice.ABSTAIN}


# --- helpers ----------------------------------------------------------------------------


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _backdate(record, **fields) -> None:
    """Move timestamps a service wrote as now to when the demo says it happened."""
    type(record)._default_manager.filter(pk=record.pk).update(**fields)


@contextmanager
def _in_the_past(moment: datetime) -> Iterator[None]:
    """The notifications the services send inside the block tell of what happened at
    ``moment``: they are dated then, read, and not emailed today."""
    last = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    yield
    Notification.objects.filter(pk__gt=last).update(
        created_at=moment, read_at=moment, email_pending=False
    )


def _write_articles(actor, version: ArticleVersion, text: Text) -> None:
    """Make the draft's articles ``text``: save what is new or changed, delete the rest."""
    current = {a.number: (a.chapter, a.heading, a.text) for a in version.articles.all()}
    for number, (chapter, heading, body) in sorted(text.items()):
        if current.get(number) != (chapter, heading, body):
            services.article_save(
                actor=actor,
                version=version,
                number=number,
                chapter=chapter,
                heading=heading,
                text=body,
            )
    for number in sorted(current.keys() - text.keys()):
        services.article_delete(actor=actor, version=version, number=number)


def _adopted_before_the_portal(
    actor, document: Articles, text: Text, summary: str, in_force_from: date
) -> ArticleVersion:
    """A first version adopted outside the portal (no resolution on record): drafted,
    proposed and adopted through the services, then dated when that happened."""
    version = services.version_create(actor=actor, document=document, summary=summary)
    version = services.version_update(actor=actor, version=version, in_force_from=in_force_from)
    _write_articles(actor, version, text)
    version = services.version_propose(actor=actor, version=version)
    # Adopting is what closing a passed amendment calls; here no resolution adopted it.
    version = services.version_adopt(resolution=None, version=version)
    adopted = _at(in_force_from - timedelta(days=20), 10)
    _backdate(
        version,
        created_at=adopted - timedelta(days=90),
        proposed_at=adopted - timedelta(days=30),
        adopted_at=adopted,
    )
    _backdate(document, created_at=adopted - timedelta(days=90))
    return version


# --- seeding ----------------------------------------------------------------------------


def seed(log) -> None:
    organizations = {org.name: org for org in Organization.objects.all()}
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_MEMBERS)}
    if COLLEGE not in organizations or len(users) < len(DEMO_MEMBERS):
        return
    seed_riverside(organizations, users, log)
    seed_industry_college(users["college"], log)


def seed_riverside(organizations: dict[str, Organization], users: dict[str, User], log) -> None:
    """Once: Riverside's articles and council and all that follows from them."""
    college = organizations[COLLEGE]
    if (
        Articles.objects.filter(title=ARTICLES_TITLE).exists()
        or Board.objects.filter(name=COUNCIL).exists()
    ):
        return
    clerk = users["college"]
    today = timezone.localdate()

    document = services.articles_create(actor=clerk, title=ARTICLES_TITLE, organization=college)
    first = _adopted_before_the_portal(
        clerk,
        document,
        ARTICLES_V1,
        "First articles, approved by the Provincial Department of Education before the "
        "council was formed.",
        today - timedelta(days=2190),
    )
    log(f"articles {ARTICLES_TITLE}, version {first.number}")

    council = seed_council(clerk, college, organizations, users, today)
    seated = BoardMember.objects.seated().filter(board=council).count()
    log(f"council {COUNCIL}, {seated} members seated")

    meeting = seed_plenary(clerk, council, document, users, today)
    log(f"meeting {meeting.title}, minutes approved; version 2 of the articles in force")

    draft = services.version_create(
        actor=clerk,
        document=document,
        summary="Draft for the next meeting: two plenary sessions a year and written "
        "resolutions between them; enterprise teachers teach a third of the practical "
        "courses.",
    )
    _write_articles(clerk, draft, ARTICLES_V3)
    _backdate(draft, created_at=timezone.now() - timedelta(days=10))
    log(f"articles {ARTICLES_TITLE}, version {draft.number} (draft)")

    seed_business_ahead(clerk, council, today, log)


def seed_council(clerk, college, organizations, users, today: date) -> Board:
    """The council, its seats, and its members seated for a five-year term that began
    nearly two years ago; a student member who graduated and left, and her successor."""
    term_start = today - timedelta(days=700)
    formed = _at(term_start - timedelta(days=30), 10)
    with _in_the_past(formed):
        council = services.board_create(
            actor=clerk,
            organization=college,
            seats=SEATS,
            name=COUNCIL,
            kind=BoardKind.COUNCIL,
            powers=BoardPowers.DECIDES,
            term_years=5,
            quorum_percent=50,
            description="The council through which government, industry associations, "
            "enterprises, alumni and the community take part in running the College "
            "(Articles, chapter 3; Rules for College Councils, 2014).",
        )

    def add(who, constituency, position, represents, start: date) -> BoardMember:
        user = users.get(who)
        with _in_the_past(_at(start, 9)):
            member = services.member_add(
                actor=clerk,
                board=council,
                user=user,
                name="" if user else who,
                constituency=constituency,
                position=position,
                represents=organizations.get(represents) if represents else None,
                term_start=start,
            )
        _backdate(member, created_at=_at(start, 9))
        return member

    for row in MEMBERS:
        add(*row, term_start)
    leaver = add(*LEAVER, term_start)
    left_on = today - timedelta(days=300)
    with _in_the_past(_at(left_on, 9)):
        services.member_leave(actor=clerk, member=leaver, left_on=left_on)
    add(*SUCCESSOR, left_on + timedelta(days=10))
    _backdate(council, created_at=formed)
    return council


def _minutes(meeting, members: list[BoardMember], holders: dict, amendment, plan) -> str:
    """The minutes, from the attendance and the figures the resolutions closed on."""
    present = [m.name for m in members if m.name not in ABSENT and m.name not in PROXIES]
    proxies = [f"{name} (proxy held by {holder.name})" for name, holder in holders.items()]
    chair = next(m.name for m in members if m.position == Position.CHAIR)
    secretary = next(m.name for m in members if m.position == Position.SECRETARY)
    lines = [
        f"{meeting.title}, {timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}, "
        f"{meeting.place}.",
        f"Chair: {chair}. Secretary: {secretary}.",
        f"Present ({len(present)}): {', '.join(present)}.",
        f"By proxy ({len(proxies)}): {', '.join(proxies)}.",
        f"Apologies ({len(ABSENT)}): {', '.join(ABSENT)}.",
        f"The meeting was quorate: {len(present) + len(proxies)} of {len(members)} seated "
        "members attending, more than two thirds.",
        "",
        "1. The president reported on the year: 1,240 students on placements, the "
        "mechatronics curriculum rewritten with Huaxin, the industry college's first intake.",
        f"2. {amendment.title}: for {amendment.votes_for}, against {amendment.votes_against}, "
        f"abstentions {amendment.abstentions}. Passed (two thirds of the seated members).",
        f"3. {plan.title}: for {plan.votes_for}, against {plan.votes_against}, abstentions "
        f"{plan.abstentions}. Passed (a majority of the seated members).",
        "4. The secretary will circulate a draft of a third version of the Articles before "
        "the next meeting.",
    ]
    return "\n".join(lines)


def _vote_at_the_meeting(
    resolution: Resolution, members: list[BoardMember], holders: dict, choices: dict
) -> None:
    """Every attending member votes: the demo users in the portal (and the proxy one of
    them holds), the outside members as the meeting recorded them, by name."""
    for member in members:
        if member.name in ABSENT:
            continue
        choice = choices.get(member.name, VoteChoice.FOR)
        if member.name in holders:
            services.vote_cast(
                actor=holders[member.name].user, resolution=resolution, choice=choice, member=member
            )
        elif member.user_id:
            services.vote_cast(actor=member.user, resolution=resolution, choice=choice)
        else:
            Vote.objects.create(resolution=resolution, member=member, choice=choice)


def seed_plenary(clerk, council: Board, document: Articles, users, today: date):
    """Two months ago: the plenary session that adopted version 2 of the articles and the
    year's plan, with attendance and votes by name; its minutes approved since."""
    starts = _at(today - timedelta(days=60), 14, 30)
    opened, closed = starts + timedelta(minutes=50), starts + timedelta(minutes=80)

    version = services.version_create(
        actor=clerk,
        document=document,
        summary="Brings the council in line with the Rules for College Councils (2014) and "
        "the Vocational Education Law (2022): at least 21 members from eight constituencies "
        "with five-year terms, decisions on the plan, the budget and specialties, amendment "
        "by two thirds of the council; adds industry colleges and internship safety.",
    )
    version = services.version_update(
        actor=clerk, version=version, in_force_from=timezone.localdate(starts) + timedelta(days=15)
    )
    _write_articles(clerk, version, ARTICLES_V2)
    with _in_the_past(starts - timedelta(days=21)):
        version = services.version_propose(actor=clerk, version=version)
        meeting = services.meeting_schedule(
            actor=clerk,
            board=council,
            title="Annual plenary session of the council",
            kind=MeetingKind.PLENARY,
            starts_at=starts,
            place="Council room, Administration Building, 18 Riverside Road",
            agenda="1. The president's report on the year\n"
            "2. Version 2 of the Articles of Association (for adoption)\n"
            "3. The council's report and plan for the year\n"
            "4. Any other business",
        )
        amendment = services.resolution_create(
            actor=clerk,
            board=council,
            meeting=meeting,
            title="Adopt version 2 of the Articles of Association",
            text="The council adopts version 2 of the College's Articles of Association as "
            "proposed by the president's office meeting, in force from "
            f"{version.in_force_from:%Y-%m-%d}.",
            kind=ResolutionKind.ARTICLE_AMENDMENT,
            article_version=version,
        )
        plan = services.resolution_create(
            actor=clerk,
            board=council,
            meeting=meeting,
            title="Approve the council's report and plan for the year",
            text="The council approves the secretariat's report on the past year and the plan "
            "for the coming one: a review of the mechatronics curriculum with Huaxin, 40 more "
            "placements, and a draft of a third version of the Articles.",
            kind=ResolutionKind.PLAN,
        )
    _backdate(
        version, created_at=starts - timedelta(days=90), proposed_at=starts - timedelta(days=21)
    )
    for record in (meeting, amendment, plan):
        _backdate(record, created_at=starts - timedelta(days=21))

    members = list(
        BoardMember.objects.seated(timezone.localdate(starts))
        .filter(board=council)
        .select_related("user")
    )
    seat_of = {member.user_id: member for member in members if member.user_id}
    holders = {name: seat_of[users[username].pk] for name, username in PROXIES.items()}
    rows = []
    for member in members:
        if member.name in ABSENT:
            rows.append({"member": member, "status": AttendanceStatus.ABSENT})
        elif member.name in holders:
            rows.append(
                {
                    "member": member,
                    "status": AttendanceStatus.PROXY,
                    "proxy_holder": holders[member.name],
                }
            )
        else:
            rows.append({"member": member, "status": AttendanceStatus.PRESENT})

    with _in_the_past(closed):
        services.meeting_hold(actor=clerk, meeting=meeting)
        services.meeting_record_attendance(actor=clerk, meeting=meeting, rows=rows)
        for resolution, choices in ((amendment, AMENDMENT_VOTES), (plan, PLAN_VOTES)):
            services.resolution_open_voting(actor=clerk, resolution=resolution)
            _vote_at_the_meeting(resolution, members, holders, choices)
            services.resolution_close_voting(actor=clerk, resolution=resolution)
            _backdate(resolution, opened_at=opened, closed_at=closed)
            resolution.votes.update(cast_at=opened + timedelta(minutes=5))
    _backdate(version, adopted_at=closed)

    amendment.refresh_from_db()
    plan.refresh_from_db()
    with _in_the_past(starts + timedelta(days=12)):
        services.meeting_record_minutes(
            actor=clerk,
            meeting=meeting,
            minutes=_minutes(meeting, members, holders, amendment, plan),
        )
        services.meeting_approve_minutes(actor=clerk, meeting=meeting)
    _backdate(meeting, minutes_approved_at=starts + timedelta(days=12))
    return meeting


def seed_business_ahead(clerk, council: Board, today: date, log) -> None:
    """What is open now: a written resolution every seated member may vote on (the demo
    members' votes wait on their home pages), and a meeting in nine days with a draft
    resolution on its agenda."""
    written = services.resolution_create(
        actor=clerk,
        board=council,
        title="Open a new-energy vehicle technology specialty with Huaxin",
        text="The council approves a new specialty in new-energy vehicle technology from the "
        "autumn intake, taught jointly with Huaxin Precision Manufacturing: 40 places a year, "
        "a shared training workshop, and Huaxin engineers teaching a quarter of the "
        "practical courses.",
        kind=ResolutionKind.PLAN,
    )
    services.resolution_open_voting(
        actor=clerk, resolution=written, voting_closes_at=_at(today + timedelta(days=10), 18)
    )
    log(f"written resolution {written.title} (voting)")

    meeting = services.meeting_schedule(
        actor=clerk,
        board=council,
        title="Council meeting on the draft articles",
        kind=MeetingKind.EXTRAORDINARY,
        starts_at=_at(today + timedelta(days=9), 14, 30),
        place="Council room, Administration Building, 18 Riverside Road",
        link="https://meet.example.org/riverside-council",
        agenda="1. The draft version 3 of the Articles of Association (first reading)\n"
        "2. The industry college's report on its first year\n"
        "3. Any other business",
    )
    services.resolution_create(
        actor=clerk,
        board=council,
        meeting=meeting,
        title="Receive the industry college's report on its first year",
        text="The council receives the Huaxin Intelligent Manufacturing Industry College's "
        "report on its first year and asks for its second-year plan by the next plenary.",
        kind=ResolutionKind.ORDINARY,
    )
    log(f"meeting {meeting.title} (scheduled)")


def seed_industry_college(clerk, log) -> None:
    """Once: the industry college's articles, adopted by its founding parties with the
    framework agreement (before the portal: no resolution on record)."""
    partnership = Partnership.objects.filter(name=INDUSTRY_COLLEGE).first()
    if partnership is None or Articles.objects.filter(title=INDUSTRY_ARTICLES_TITLE).exists():
        return
    document = services.articles_create(
        actor=clerk, title=INDUSTRY_ARTICLES_TITLE, partnership=partnership
    )
    _adopted_before_the_portal(
        clerk,
        document,
        INDUSTRY_ARTICLES,
        "Adopted by the founding parties with the framework agreement.",
        partnership.start_date or timezone.localdate(),
    )
    log(f"articles {INDUSTRY_ARTICLES_TITLE}, version 1")
