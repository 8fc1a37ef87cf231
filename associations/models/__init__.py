"""Industry associations: their memberships and dues, the work government entrusts to
them (with the records in its scope and every read of them logged), and the
talent-demand reports they publish. One module per part; everything is importable
from here."""

from .assessments import (
    MAX_CRITERIA,
    MAX_EVIDENCE,
    Assessment,
    AssessmentCriterion,
    AssessmentEvidence,
    AssessmentResponse,
    AssessmentStatus,
)
from .certifications import (
    DEFAULT_VALIDITY_YEARS,
    MAX_INVESTMENT_ROWS,
    SURTAX_CREDIT_RATE,
    SURTAX_RULE,
    CertificationApplication,
    CertificationStatus,
    DeclaredInvestment,
    InvestmentKind,
)
from .demand import MAX_DEMAND_ROWS, DemandRow, ReportStatus, TalentDemandReport
from .entrustments import (
    OPEN_STATUSES,
    SCOPE_KINDS,
    Deliverable,
    Entrustment,
    EntrustmentKind,
    EntrustmentStatus,
    ScopedRead,
)
from .memberships import (
    GRACE_DAYS,
    AssociationMembership,
    DuesPayment,
    MembershipRenewal,
    MembershipStatus,
    MembershipType,
    status_on,
)

__all__ = [
    "DEFAULT_VALIDITY_YEARS",
    "GRACE_DAYS",
    "MAX_CRITERIA",
    "MAX_DEMAND_ROWS",
    "MAX_EVIDENCE",
    "MAX_INVESTMENT_ROWS",
    "OPEN_STATUSES",
    "SCOPE_KINDS",
    "SURTAX_CREDIT_RATE",
    "SURTAX_RULE",
    "Assessment",
    "AssessmentCriterion",
    "AssessmentEvidence",
    "AssessmentResponse",
    "AssessmentStatus",
    "AssociationMembership",
    "CertificationApplication",
    "CertificationStatus",
    "DeclaredInvestment",
    "Deliverable",
    "DemandRow",
    "DuesPayment",
    "Entrustment",
    "EntrustmentKind",
    "EntrustmentStatus",
    "InvestmentKind",
    "MembershipRenewal",
    "MembershipStatus",
    "MembershipType",
    "ReportStatus",
    "ScopedRead",
    "TalentDemandReport",
    "status_on",
]
