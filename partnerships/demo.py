"""Demo partnerships and agreements in every status (relative to today, so the demo
always has one expiring soon and one overdue responsibility). Idempotent by title."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Organization, User
from portal.references import next_reference

from .models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Clause,
    ClauseCategory,
    ClauseKind,
    ClauseStatus,
    Partnership,
    PartnershipKind,
    PartnershipMember,
    PartnershipStatus,
)

R, L = ClauseKind.RIGHT, ClauseKind.RESPONSIBILITY

# Who signs for each organization: the demo account, its title, and where.
SIGNATORY_TITLES = {
    "Riverside Vocational College": "President",
    "Eastlake Polytechnic": "Vice President",
    "Huaxin Precision Manufacturing": "General Manager",
    "Lanting Software": "Chief Executive",
    "Municipal Education Bureau": "Deputy Director",
    "Regional Manufacturing Industry Association": "Secretary-General",
}
SIGNING_PLACE = "Hangzhou"
# The preamble (summary) of the agreements that have one.
SUMMARIES = {
    "Framework agreement on the Huaxin Intelligent Manufacturing Industry College": (
        "To train technicians for intelligent manufacturing in the city, Riverside and "
        "Huaxin run the Huaxin Intelligent Manufacturing Industry College together, "
        "under the supervision of the Municipal Education Bureau, which funds its "
        "training equipment."
    ),
}

PARTNERSHIPS = [
    (
        "Huaxin Intelligent Manufacturing Industry College",
        PartnershipKind.INDUSTRY_COLLEGE,
        PartnershipStatus.ACTIVE,
        "Riverside Vocational College",
        -400,
        [
            ("Huaxin Precision Manufacturing", "Co-founder: workshops, engineers and placements"),
            ("Municipal Education Bureau", "Supervision and special funding"),
        ],
        "An industry college run jointly by Riverside and Huaxin: a shared curriculum in "
        "intelligent manufacturing, enterprise engineers teaching, and placements every term.",
    ),
    (
        "Eastlake–Lanting Software Joint R&D Centre",
        PartnershipKind.JOINT_RD_CENTRE,
        PartnershipStatus.PROPOSED,
        "Eastlake Polytechnic",
        None,
        [("Lanting Software", "Research partner")],
        "A proposed centre for industrial software research with student research assistants.",
    ),
    (
        "Precision Machining Teacher Workstation",
        PartnershipKind.TEACHER_WORKSTATION,
        PartnershipStatus.SUSPENDED,
        "Huaxin Precision Manufacturing",
        -600,
        [("Riverside Vocational College", "Sends teachers for practice")],
        "Riverside teachers spend a term a year in Huaxin's machining workshop.",
    ),
    (
        "Regional Manufacturing Skills Alliance",
        PartnershipKind.STRATEGIC_ALLIANCE,
        PartnershipStatus.ENDED,
        "Eastlake Polytechnic",
        -1500,
        [
            ("Regional Manufacturing Industry Association", "Convenor"),
            ("Huaxin Precision Manufacturing", "Member enterprise"),
        ],
        "A three-year alliance on skills standards, now concluded.",
    ),
]

# title, kind, status, partnership, effective offset, expiry offset, parties (name, role,
# signed?), clauses (party, kind, category, text, due offset, status, note), extra
AGREEMENTS = [
    (
        "Framework agreement on the Huaxin Intelligent Manufacturing Industry College",
        AgreementKind.FRAMEWORK,
        AgreementStatus.ACTIVE,
        "Huaxin Intelligent Manufacturing Industry College",
        -340,
        20,
        [
            ("Riverside Vocational College", "Party A", True),
            ("Huaxin Precision Manufacturing", "Party B", True),
            ("Municipal Education Bureau", "Supervising department", True),
        ],
        [
            (
                "Huaxin Precision Manufacturing",
                L,
                ClauseCategory.TALENT_TRAINING,
                "Provide 40 paid placements for second-year mechatronics students each spring.",
                -10,
                ClauseStatus.OPEN,
                "",
            ),
            (
                "Huaxin Precision Manufacturing",
                L,
                ClauseCategory.SAFETY_INSURANCE,
                "Insure every placed student against work injury for the whole placement.",
                -60,
                ClauseStatus.FULFILLED,
                "Group policy PICC-2026-0418 covers all placed students.",
            ),
            (
                "Huaxin Precision Manufacturing",
                R,
                ClauseCategory.EMPLOYMENT,
                "Offer employment first to graduates who completed a placement with Huaxin.",
                None,
                ClauseStatus.OPEN,
                "",
            ),
            (
                "Riverside Vocational College",
                L,
                ClauseCategory.TEACHING_RESOURCES,
                "Rewrite the mechatronics curriculum with Huaxin engineers, module by module.",
                -90,
                ClauseStatus.FULFILLED,
                "New curriculum approved by the academic board.",
            ),
            (
                "Riverside Vocational College",
                R,
                ClauseCategory.FACILITIES,
                "Use Huaxin's CNC training workshop for teaching two days a week.",
                None,
                ClauseStatus.OPEN,
                "",
            ),
            (
                "Riverside Vocational College",
                L,
                ClauseCategory.ASSESSMENT,
                "Assess every placement jointly with the enterprise mentor and report results.",
                5,
                ClauseStatus.CLAIMED,  # fulfilled with evidence: Huaxin and the Bureau confirm
                "Joint assessment report for the autumn placements, signed by both mentors "
                "and filed with the academic office (report no. RVC-PA-2026-11).",
            ),
            (
                "Municipal Education Bureau",
                L,
                ClauseCategory.FUNDING,
                "Fund 500,000 yuan of training equipment from the special cooperation fund.",
                60,
                ClauseStatus.OPEN,
                "",
            ),
            (
                "Municipal Education Bureau",
                R,
                ClauseCategory.ASSESSMENT,
                "Inspect the industry college's accounts and teaching quality each year.",
                None,
                ClauseStatus.OPEN,
                "",
            ),
        ],
    ),
    (
        "Internship agreement for the spring cohort",
        AgreementKind.INTERNSHIP,
        AgreementStatus.NEGOTIATING,
        None,
        30,
        210,
        [
            ("Riverside Vocational College", "Party A", False),
            ("Lanting Software", "Host enterprise", True),
        ],
        [
            (
                "Lanting Software",
                L,
                ClauseCategory.TALENT_TRAINING,
                "Host 12 software students for 16 weeks with a named mentor each.",
                30,
                ClauseStatus.OPEN,
                "",
            ),
            (
                "Lanting Software",
                L,
                ClauseCategory.SAFETY_INSURANCE,
                "Insure every intern and pay at least the local minimum internship allowance.",
                30,
                ClauseStatus.OPEN,
                "",
            ),
            (
                "Riverside Vocational College",
                L,
                ClauseCategory.ASSESSMENT,
                "Visit each intern twice and grade the internship with the mentor.",
                200,
                ClauseStatus.OPEN,
                "",
            ),
        ],
    ),
    (
        "Joint research on precision sensor calibration",
        AgreementKind.RND,
        AgreementStatus.DRAFT,
        None,
        45,
        775,
        [
            ("Eastlake Polytechnic", "Party A", False),
            ("Huaxin Precision Manufacturing", "Party B", False),
        ],
        [
            (
                "Huaxin Precision Manufacturing",
                L,
                ClauseCategory.FUNDING,
                "Fund two research assistant posts for two years.",
                60,
                ClauseStatus.OPEN,
                "",
            ),
            (
                "Eastlake Polytechnic",
                R,
                ClauseCategory.INTELLECTUAL_PROPERTY,
                "Co-own patents arising from the joint work, shared equally.",
                None,
                ClauseStatus.OPEN,
                "",
            ),
        ],
    ),
    (
        "Joint training agreement for industrial robot technicians",
        AgreementKind.JOINT_TRAINING,
        AgreementStatus.SIGNED,
        None,
        15,
        745,
        [
            ("Eastlake Polytechnic", "Training provider", True),
            ("Huaxin Precision Manufacturing", "Employer", True),
            ("Regional Manufacturing Industry Association", "Skills assessor", True),
        ],
        [
            (
                "Regional Manufacturing Industry Association",
                L,
                ClauseCategory.ASSESSMENT,
                "Certify trainees against the association's robot technician standard.",
                400,
                ClauseStatus.OPEN,
                "",
            ),
            (
                "Huaxin Precision Manufacturing",
                R,
                ClauseCategory.EMPLOYMENT,
                "Select trainees for employment after certification.",
                None,
                ClauseStatus.OPEN,
                "",
            ),
        ],
    ),
    (
        "Practice base agreement for software testing",
        AgreementKind.PRACTICE_BASE,
        AgreementStatus.EXPIRED,
        None,
        -1100,
        -5,
        [("Eastlake Polytechnic", "Party A", True), ("Lanting Software", "Party B", True)],
        [
            (
                "Lanting Software",
                L,
                ClauseCategory.FACILITIES,
                "Keep a 30-seat testing lab open to Eastlake students.",
                -400,
                ClauseStatus.FULFILLED,
                "Lab used by 212 students over three years.",
            ),
        ],
    ),
    (
        "Teacher practice agreement for software teachers",
        AgreementKind.OTHER,
        AgreementStatus.TERMINATED,
        None,
        -300,
        400,
        [("Riverside Vocational College", "Party A", True), ("Lanting Software", "Party B", True)],
        [
            (
                "Lanting Software",
                L,
                ClauseCategory.TEACHING_RESOURCES,
                "Host two Riverside teachers for a term each year.",
                -100,
                ClauseStatus.BREACHED,
                "No teacher was hosted in the autumn term.",
            ),
        ],
    ),
]


def seed(log) -> None:
    today = timezone.localdate()
    organizations = {org.name: org for org in Organization.objects.all()}
    signers = {
        "Riverside Vocational College": "college",
        "Eastlake Polytechnic": "college2",
        "Huaxin Precision Manufacturing": "enterprise",
        "Lanting Software": "enterprise2",
        "Municipal Education Bureau": "officer2",
        "Regional Manufacturing Industry Association": "association",
    }
    users = {user.username: user for user in User.objects.filter(username__in=signers.values())}

    partnerships = {}
    for name, kind, status, lead, start, members, description in PARTNERSHIPS:
        partnership, created = Partnership.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "status": status,
                "lead": organizations[lead],
                "start_date": today + timedelta(days=start) if start is not None else None,
                "end_date": today - timedelta(days=30)
                if status == PartnershipStatus.ENDED
                else None,
                "description": description,
            },
        )
        partnerships[name] = partnership
        if created:
            PartnershipMember.objects.create(
                partnership=partnership, organization=organizations[lead], role="Lead"
            )
            for member, role in members:
                PartnershipMember.objects.create(
                    partnership=partnership, organization=organizations[member], role=role
                )
            log(f"partnership {name}")

    for title, kind, status, partnership, start, end, parties, clauses in AGREEMENTS:
        if Agreement.objects.filter(title=title).exists():
            continue
        agreement = Agreement.objects.create(
            reference=next_reference("AGR"),
            title=title,
            kind=kind,
            status=status,
            partnership=partnerships.get(partnership),
            effective_date=today + timedelta(days=start),
            expiry_date=today + timedelta(days=end),
            legal_basis="Vocational Education Law of the PRC (2022), art. 9 and 40; "
            "Provincial Regulations on School–Enterprise Cooperation.",
            summary=SUMMARIES.get(title, ""),
        )
        party_rows = {}
        for name, role, _signed in parties:
            party_rows[name] = AgreementParty.objects.create(
                agreement=agreement, organization=organizations[name], role=role
            )
        for party, clause_kind, category, text, due, clause_status, note in clauses:
            # A fulfilment's note is its evidence, given by the owing party's signer; a
            # breach's, its reason.
            evidence = clause_status in (ClauseStatus.CLAIMED, ClauseStatus.FULFILLED)
            moved = timezone.now() if clause_status != ClauseStatus.OPEN else None
            Clause.objects.create(
                agreement=agreement,
                party=party_rows[party],
                kind=clause_kind,
                category=category,
                text=text,
                due_date=today + timedelta(days=due) if due is not None else None,
                status=clause_status,
                status_note="" if evidence else note,
                status_changed_at=moved,
                evidence=note if evidence else "",
                evidence_at=moved if evidence else None,
                evidence_by=users.get(signers[party]) if evidence else None,
            )
        terms = agreement.terms_hash()
        for name, _role, signed in parties:
            if signed:
                party = party_rows[name]
                party.signed_at = timezone.now() - timedelta(days=max(1, -start))
                party.signed_by = users.get(signers[name])
                party.signatory_name = (
                    party.signed_by.get_full_name() if party.signed_by else ""
                ) or signers[name]
                party.signatory_title = SIGNATORY_TITLES[name]
                party.signed_place = SIGNING_PLACE
                party.signed_terms_hash = terms
                party.save()
        if status == AgreementStatus.TERMINATED:
            agreement.termination_reason = "Lanting Software withdrew from teacher hosting."
            agreement.terminated_at = timezone.now() - timedelta(days=20)
            agreement.terminated_by = users.get("college")
            agreement.save()
        log(f"agreement {agreement.reference} {title}")
