"""The internships pages, one module per record kind; ``internships.urls`` names them
from here."""

from .bases import (
    PracticeBaseCreateView,
    PracticeBaseDetailView,
    PracticeBaseListView,
    PracticeBaseStatusView,
    PracticeBaseUpdateView,
)
from .nominations import (
    NominationAcceptView,
    NominationCompleteView,
    NominationDetailView,
    NominationEvaluateView,
    NominationGatesView,
    NominationListView,
    NominationMoveView,
    NominationStartView,
    PlacementNominateView,
    placement_nominations,
    practice_base_interns,
    student_nominations,
)
from .placements import (
    PlacementCancelView,
    PlacementCloseView,
    PlacementCreateView,
    PlacementDetailView,
    PlacementListView,
    PlacementPublishView,
    PlacementUpdateView,
)
from .secondments import (
    SecondmentCreateView,
    SecondmentDetailView,
    SecondmentListView,
    SecondmentUpdateView,
    TeacherDaysView,
)
from .students import (
    StudentCreateView,
    StudentDetailView,
    StudentImportView,
    StudentListView,
    StudentUpdateView,
)

__all__ = [
    "NominationAcceptView",
    "NominationCompleteView",
    "NominationDetailView",
    "NominationEvaluateView",
    "NominationGatesView",
    "NominationListView",
    "NominationMoveView",
    "NominationStartView",
    "PlacementCancelView",
    "PlacementCloseView",
    "PlacementCreateView",
    "PlacementDetailView",
    "PlacementListView",
    "PlacementNominateView",
    "PlacementPublishView",
    "PlacementUpdateView",
    "PracticeBaseCreateView",
    "PracticeBaseDetailView",
    "PracticeBaseListView",
    "PracticeBaseStatusView",
    "PracticeBaseUpdateView",
    "SecondmentCreateView",
    "SecondmentDetailView",
    "SecondmentListView",
    "SecondmentUpdateView",
    "StudentCreateView",
    "StudentDetailView",
    "StudentImportView",
    "StudentListView",
    "StudentUpdateView",
    "TeacherDaysView",
    "placement_nominations",
    "practice_base_interns",
    "student_nominations",
]
