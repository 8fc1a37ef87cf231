from . import views

routes = [
    ("fund-programs", views.FundProgramViewSet, "fund-program"),
    ("fund-applications", views.FundApplicationViewSet, "fund-application"),
    ("reviews", views.ReviewViewSet, "review"),
    ("conflicts-of-interest", views.ConflictOfInterestViewSet, "conflict-of-interest"),
    ("awards", views.AwardViewSet, "award"),
    ("tranches", views.TrancheViewSet, "tranche"),
    ("progress-reports", views.ProgressReportViewSet, "progress-report"),
]

urlpatterns: list = []
