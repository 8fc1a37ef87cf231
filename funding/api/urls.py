from . import payments, questions, reviews, views

routes = [
    ("fund-programs", views.FundProgramViewSet, "fund-program"),
    ("fund-applications", views.FundApplicationViewSet, "fund-application"),
    ("program-questions", questions.ProgramQuestionViewSet, "program-question"),
    ("reviews", reviews.ReviewViewSet, "review"),
    ("review-assignments", reviews.ReviewAssignmentViewSet, "review-assignment"),
    ("conflicts-of-interest", views.ConflictOfInterestViewSet, "conflict-of-interest"),
    ("awards", views.AwardViewSet, "award"),
    ("tranches", views.TrancheViewSet, "tranche"),
    ("progress-reports", views.ProgressReportViewSet, "progress-report"),
    ("payments", payments.PaymentViewSet, "payment"),
    ("budget-revisions", payments.BudgetRevisionViewSet, "budget-revision"),
    ("performance-indicators", payments.PerformanceIndicatorViewSet, "performance-indicator"),
]

urlpatterns: list = []
