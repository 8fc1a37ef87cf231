"""Practice bases (实习实训基地) and the internship placements (实习岗位) enterprises post.

Students (a college's records) are nominated to placements by their college; the host
decides; a placement keeps ``filled_slots`` (accepted, started and completed nominations)
under a CHECK constraint. Gates before starting and the evaluations at the end are kept
on the nomination. Teacher secondments (教师企业实践) record a college's teachers' time in
enterprises. One module per record kind; everything is importable from here.
"""

from .bases import PracticeBase, PracticeBaseCollege, PracticeBaseStatus, split_specialties
from .nominations import (
    BASE_RATING_CRITERIA,
    EVALUATION_CRITERIA,
    HOLDING_STATUSES,
    OPEN_STATUSES,
    SCORE,
    SLOT_STATUSES,
    Evaluation,
    EvaluatorRole,
    Nomination,
    NominationQuerySet,
    NominationStatus,
)
from .placements import (
    MONEY,
    NOT_NEGATIVE,
    PARTNER_AGREEMENT_STATUSES,
    InsurancePayer,
    InternshipType,
    OpenTo,
    Placement,
    PlacementQuerySet,
    PlacementStatus,
    VenueKind,
    partner_college_ids,
)
from .secondments import SECONDMENT_DAYS_REQUIRED, SECONDMENT_WINDOW_YEARS, Secondment
from .students import (
    EARLIEST_ENROLMENT_YEAR,
    LATEST_ENROLMENT_YEAR,
    PHONE_VALIDATOR,
    Student,
    StudentQuerySet,
    StudentStatus,
)

__all__ = [
    "BASE_RATING_CRITERIA",
    "EARLIEST_ENROLMENT_YEAR",
    "EVALUATION_CRITERIA",
    "HOLDING_STATUSES",
    "LATEST_ENROLMENT_YEAR",
    "MONEY",
    "NOT_NEGATIVE",
    "OPEN_STATUSES",
    "PARTNER_AGREEMENT_STATUSES",
    "PHONE_VALIDATOR",
    "SCORE",
    "SECONDMENT_DAYS_REQUIRED",
    "SECONDMENT_WINDOW_YEARS",
    "SLOT_STATUSES",
    "Evaluation",
    "EvaluatorRole",
    "InsurancePayer",
    "InternshipType",
    "Nomination",
    "NominationQuerySet",
    "NominationStatus",
    "OpenTo",
    "Placement",
    "PlacementQuerySet",
    "PlacementStatus",
    "PracticeBase",
    "PracticeBaseCollege",
    "PracticeBaseStatus",
    "Secondment",
    "Student",
    "StudentQuerySet",
    "StudentStatus",
    "VenueKind",
    "partner_college_ids",
    "split_specialties",
]
