"""Every rule a placement must meet before it is published, in one place.

Each rule names the article it comes from — the 2021 《职业学校学生实习管理规定》
(Provisions on the Management of Vocational School Students' Internships) and the 2022
《中华人民共和国职业教育法》 (Vocational Education Law) — a stable ``code`` that the
API returns, the field at fault, and a message in the reader's language.

Blocking rules stop ``placement_publish``; warnings are recorded on the placement and
shown to the poster. The student rules stop a nomination (``nomination_create``) and the
gates stop ``nomination_start``, each listing every rule at once. Pay rules apply to
on-the-job internships (岗位实习), which are paid; the prohibitions on fees, insurance
charged to students, forbidden venues and agencies hold for every internship the regulation covers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import InsurancePayer, InternshipType, Nomination, Placement, Student, VenueKind

REGULATION_2021 = "《职业学校学生实习管理规定》(2021)"
LAW_2022 = "《中华人民共和国职业教育法》(2022)"

FORBIDDEN_VENUES = frozenset(
    {
        VenueKind.BAR,
        VenueKind.NIGHTCLUB,
        VenueKind.KTV,
        VenueKind.BATHHOUSE,
        VenueKind.ARCADE,
        VenueKind.INTERNET_CAFE,
    }
)
MIN_PAY_SHARE = Decimal("0.80")  # of the probation wage for the same post
MAX_PAY_CYCLE_DAYS = 31  # "原则上支付周期不得超过1个月"
MAX_MONTHS = 6  # "岗位实习时间一般为6个月"
MAX_SHARE_OF_STAFF = Decimal("0.10")
MAX_SHARE_OF_SAME_POST = Decimal("0.20")

ALL_TYPES = frozenset(InternshipType)
ON_THE_JOB = frozenset({InternshipType.ON_THE_JOB})


class Severity:
    BLOCKING = "blocking"
    WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    code: str
    field: str  # the field at fault ("" for the placement as a whole)
    severity: str
    article: str
    message: Promise
    breached: Callable[[Placement], bool]
    applies_to: frozenset[str] = ON_THE_JOB


@dataclass(frozen=True)
class Finding:
    rule: Rule

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def field(self) -> str:
        return self.rule.field

    @property
    def message(self) -> str:
        return f"{self.rule.message} ({self.rule.article})"

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "field": self.field,
            "article": self.rule.article,
            "message": str(self.rule.message),
        }


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - February always has 28 days


def _pay_below_share(p: Placement) -> bool:
    return p.monthly_pay < p.regular_wage * MIN_PAY_SHARE


def _too_long(p: Placement) -> bool:
    return p.end_date > add_months(p.start_date, MAX_MONTHS)


def _above_share_of_staff(p: Placement) -> bool:
    return Decimal(p.slots) > Decimal(p.host_staff_count) * MAX_SHARE_OF_STAFF


def _above_share_of_same_post(p: Placement) -> bool:
    return Decimal(p.slots) > Decimal(p.same_post_staff_count) * MAX_SHARE_OF_SAME_POST


RULES: tuple[Rule, ...] = (
    Rule(
        code="pay_below_80_percent",
        field="monthly_pay",
        severity=Severity.BLOCKING,
        article=f"{REGULATION_2021} 第十七条; {LAW_2022} 第五十条",
        message=_(
            # xgettext:no-python-format
            "On-the-job interns are paid at least 80% of the probation wage for the same post."
        ),
        breached=_pay_below_share,
    ),
    Rule(
        code="pay_cycle_too_long",
        field="pay_cycle_days",
        severity=Severity.BLOCKING,
        article=f"{REGULATION_2021} 第十七条",
        message=_("Interns are paid at least once a month: a pay cycle of at most 31 days."),
        breached=lambda p: p.pay_cycle_days > MAX_PAY_CYCLE_DAYS,
    ),
    Rule(
        code="student_fee_charged",
        field="student_fee",
        severity=Severity.BLOCKING,
        article=f"{REGULATION_2021} 第十八条",
        message=_("No fee of any kind (deposit, training, management) may be charged to interns."),
        breached=lambda p: p.student_fee > 0,
        applies_to=ALL_TYPES,
    ),
    Rule(
        code="insurance_paid_by_student",
        field="insurance_paid_by",
        severity=Severity.BLOCKING,
        article=f"{REGULATION_2021} 第三十五条",
        message=_("Internship liability insurance may not be charged to the student."),
        breached=lambda p: p.insurance_paid_by == InsurancePayer.STUDENT,
        applies_to=ALL_TYPES,
    ),
    Rule(
        code="night_shifts",
        field="night_shifts",
        severity=Severity.BLOCKING,
        article=f"{REGULATION_2021} 第十六条",
        message=_("On-the-job interns may not be put on night shifts."),
        breached=lambda p: p.night_shifts,
    ),
    Rule(
        code="overtime",
        field="overtime",
        severity=Severity.BLOCKING,
        article=f"{REGULATION_2021} 第十六条",
        message=_("On-the-job interns may not work overtime."),
        breached=lambda p: p.overtime,
    ),
    Rule(
        code="forbidden_venue",
        field="venue_kind",
        severity=Severity.BLOCKING,
        article=f"{REGULATION_2021} 第十六条",
        message=_(
            "Interns may not be placed in bars, nightclubs, karaoke, bathhouses, arcades "
            "or internet cafés."
        ),
        breached=lambda p: p.venue_kind in FORBIDDEN_VENUES,
        applies_to=ALL_TYPES,
    ),
    Rule(
        code="via_agency",
        field="via_agency",
        severity=Severity.BLOCKING,
        article=f"{REGULATION_2021} 第十六条; {LAW_2022} 第五十条",
        message=_(
            "Internships may not be arranged through an agency, a paid agent or a labour "
            "dispatch firm."
        ),
        breached=lambda p: p.via_agency,
        applies_to=ALL_TYPES,
    ),
    Rule(
        code="longer_than_six_months",
        field="end_date",
        severity=Severity.WARNING,
        article=f"{REGULATION_2021} 第十五条",
        message=_("An on-the-job internship generally lasts no longer than six months."),
        breached=_too_long,
    ),
    Rule(
        code="above_10_percent_of_staff",
        field="slots",
        severity=Severity.WARNING,
        article=f"{REGULATION_2021} 第十五条",
        # xgettext:no-python-format
        message=_("On-the-job interns should not exceed 10% of the host's staff."),
        breached=_above_share_of_staff,
    ),
    Rule(
        code="above_20_percent_of_same_post",
        field="slots",
        severity=Severity.WARNING,
        article=f"{REGULATION_2021} 第十五条",
        # xgettext:no-python-format
        message=_("On-the-job interns should not exceed 20% of the staff in the same post."),
        breached=_above_share_of_same_post,
    ),
)

RULES_BY_CODE = {rule.code: rule for rule in RULES}


def check(placement: Placement) -> list[Finding]:
    """Every rule the placement breaks, blocking and warning alike, in the rules' order."""
    return [
        Finding(rule)
        for rule in RULES
        if placement.internship_type in rule.applies_to and rule.breached(placement)
    ]


def blocking(placement: Placement) -> list[Finding]:
    return [f for f in check(placement) if f.rule.severity == Severity.BLOCKING]


def warnings(placement: Placement) -> list[Finding]:
    return [f for f in check(placement) if f.rule.severity == Severity.WARNING]


def by_field(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.field, []).append(finding)
    return grouped


def require_publishable(placement: Placement) -> None:
    """Raise one ValidationError naming every blocking rule, keyed by field, each error
    carrying its rule's code (the API answers ``{field: [{code, message}]}``)."""
    found = blocking(placement)
    if found:
        raise ValidationError(
            {
                field: [ValidationError(f.message, code=f.code) for f in items]
                for field, items in by_field(found).items()
            }
        )


# --- students: who may be nominated ------------------------------------------------

ADULT_AGE = 18
MIN_AGE_ON_THE_JOB = 16
SCHOOL_YEAR_STARTS = (9, 1)  # 1 September


def age_on(born: date, day: date) -> int:
    """Whole years from ``born`` to ``day`` (a 29 February birthday counts on 1 March)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def in_first_year(student: Student, day: date) -> bool:
    """A student's first school year runs from September of the enrolment year to the
    end of the following August."""
    month, first = SCHOOL_YEAR_STARTS
    return day < date(student.enrolment_year + 1, month, first)


@dataclass(frozen=True)
class StudentRule:
    code: str
    article: str
    message: Promise
    breached: Callable[[Student, Placement], bool]
    applies_to: frozenset[str] = ON_THE_JOB


STUDENT_RULES: tuple[StudentRule, ...] = (
    StudentRule(
        code="first_year_student",
        article=f"{REGULATION_2021} 第十六条",
        message=_("First-year students may not take on-the-job internships."),
        breached=lambda s, p: in_first_year(s, p.start_date),
    ),
    StudentRule(
        code="birth_date_unknown",
        article=f"{REGULATION_2021} 第十六条",
        message=_(
            "Record the student's date of birth first: on-the-job interns must be 16 or "
            "older on the start date."
        ),
        breached=lambda s, p: s.date_of_birth is None,
    ),
    StudentRule(
        code="under_16",
        article=f"{REGULATION_2021} 第十六条",
        message=_("Students under 16 on the start date may not take on-the-job internships."),
        breached=lambda s, p: (
            s.date_of_birth is not None
            and age_on(s.date_of_birth, p.start_date) < MIN_AGE_ON_THE_JOB
        ),
    ),
)


def student_findings(student: Student, placement: Placement) -> list[str]:
    """The messages of every student rule the nomination would break."""
    return [
        f"{rule.message} ({rule.article})"
        for rule in STUDENT_RULES
        if placement.internship_type in rule.applies_to and rule.breached(student, placement)
    ]


# --- gates before an internship starts ---------------------------------------------


def needs_guardian_consent(nomination: Nomination) -> bool:
    """Under 18 on the start date, or of unknown age."""
    born = nomination.student.date_of_birth
    return born is None or age_on(born, nomination.placement.start_date) < ADULT_AGE


def _insurance_incomplete(n: Nomination) -> bool:
    return not (
        n.insurer and n.policy_number and n.policy_start and n.policy_end and n.policy_paid_by
    )


def _insurance_short(n: Nomination) -> bool:
    if not (n.policy_start and n.policy_end):
        return False  # reported as incomplete
    return n.policy_start > n.placement.start_date or n.policy_end < n.placement.end_date


@dataclass(frozen=True)
class Gate:
    code: str
    field: str
    article: str
    message: Promise
    missing: Callable[[Nomination], bool]
    applies_to: frozenset[str] = ALL_TYPES


GATES: tuple[Gate, ...] = (
    Gate(
        code="tripartite_agreement_unsigned",
        field="tripartite_signed_on",
        article=f"{REGULATION_2021} 第十三条",
        message=_("Record the date the tripartite agreement (college, host, student) was signed."),
        missing=lambda n: n.tripartite_signed_on is None,
        applies_to=ON_THE_JOB,
    ),
    Gate(
        code="tripartite_scan_missing",
        field="tripartite_scan",
        article=f"{REGULATION_2021} 第十三条",
        message=_("Attach the scan of the signed tripartite agreement."),
        missing=lambda n: n.tripartite_scan_id is None,
        applies_to=ON_THE_JOB,
    ),
    Gate(
        code="guardian_consent_missing",
        field="guardian_consent",
        article=f"{REGULATION_2021} 第十三条",
        message=_(
            "Attach the guardian's signed consent: the student is under 18 on the start "
            "date (or their date of birth is not recorded)."
        ),
        missing=lambda n: n.guardian_consent_id is None and needs_guardian_consent(n),
        applies_to=ON_THE_JOB,
    ),
    Gate(
        code="insurance_missing",
        field="policy_number",
        article=f"{REGULATION_2021} 第三十五条",
        message=_(
            "Record the liability insurance policy: insurer, policy number, its dates and "
            "who paid the premium."
        ),
        missing=_insurance_incomplete,
    ),
    Gate(
        code="insurance_not_covering",
        field="policy_end",
        article=f"{REGULATION_2021} 第三十五条",
        message=_("The insurance policy must cover the whole internship, first day to last."),
        missing=_insurance_short,
    ),
    Gate(
        code="tracking_teacher_missing",
        field="tracking_teacher_name",
        article=f"{REGULATION_2021} 第十二条",
        message=_("Name the college's tracking teacher for the intern."),
        missing=lambda n: not n.tracking_teacher_name.strip(),
    ),
    Gate(
        code="guide_missing",
        field="guide_name",
        article=f"{REGULATION_2021} 第十二条",
        message=_("Name the enterprise guide for the intern."),
        missing=lambda n: not n.named_guide.strip(),
    ),
)


def missing_gates(nomination: Nomination) -> list[Gate]:
    kind = nomination.placement.internship_type
    return [gate for gate in GATES if kind in gate.applies_to and gate.missing(nomination)]


def gate_message(gate: Gate) -> str:
    return f"{gate.message} ({gate.article})"


def require_gates(nomination: Nomination) -> None:
    """Raise one ValidationError listing every missing gate, keyed by field, each with
    its code."""
    missing = missing_gates(nomination)
    if missing:
        raise ValidationError(
            {gate.field: [ValidationError(gate_message(gate), code=gate.code)] for gate in missing}
        )
