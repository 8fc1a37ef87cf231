from django.urls import path

from . import views

urlpatterns = [
    path(
        "funding/tranches/<int:pk>/evidence/",
        views.TrancheEvidenceView.as_view(),
        name="tranche-evidence",
    ),
    path("funding/programs/", views.FundProgramListView.as_view(), name="fund-program-list"),
    path(
        "funding/programs/new/", views.FundProgramCreateView.as_view(), name="fund-program-create"
    ),
    path(
        "funding/programs/<int:pk>/",
        views.FundProgramDetailView.as_view(),
        name="fund-program-detail",
    ),
    path(
        "funding/programs/<int:pk>/edit/",
        views.FundProgramUpdateView.as_view(),
        name="fund-program-edit",
    ),
    path(
        "funding/programs/<int:pk>/status/",
        views.ProgramTransitionView.as_view(),
        name="fund-program-status",
    ),
    path(
        "funding/programs/<int:pk>/criteria/",
        views.CriterionAddView.as_view(),
        name="fund-criterion-add",
    ),
    path(
        "funding/criteria/<int:pk>/remove/",
        views.CriterionRemoveView.as_view(),
        name="fund-criterion-remove",
    ),
    path(
        "funding/programs/<int:program>/apply/",
        views.FundApplicationCreateView.as_view(),
        name="fund-application-create",
    ),
    path(
        "funding/applications/",
        views.FundApplicationListView.as_view(),
        name="fund-application-list",
    ),
    path(
        "funding/applications/<int:pk>/",
        views.FundApplicationDetailView.as_view(),
        name="fund-application-detail",
    ),
    path(
        "funding/applications/<int:pk>/edit/",
        views.FundApplicationUpdateView.as_view(),
        name="fund-application-edit",
    ),
    path(
        "funding/applications/<int:pk>/lines/",
        views.BudgetLineAddView.as_view(),
        name="fund-budget-line-add",
    ),
    path(
        "funding/budget-lines/<int:pk>/remove/",
        views.BudgetLineRemoveView.as_view(),
        name="fund-budget-line-remove",
    ),
    path(
        "funding/applications/<int:pk>/status/",
        views.ApplicationTransitionView.as_view(),
        name="fund-application-status",
    ),
    path(
        "funding/applications/<int:pk>/review/",
        views.ReviewCreateView.as_view(),
        name="fund-review-create",
    ),
    path(
        "funding/awards/<int:pk>/tranches/",
        views.TranchePlanView.as_view(),
        name="fund-tranche-plan",
    ),
    path(
        "funding/tranches/<int:pk>/release/",
        views.TrancheReleaseView.as_view(),
        name="fund-tranche-release",
    ),
    path(
        "funding/tranches/<int:pk>/cancel/",
        views.TrancheCancelView.as_view(),
        name="fund-tranche-cancel",
    ),
    path(
        "funding/awards/<int:pk>/reports/",
        views.ReportScheduleView.as_view(),
        name="fund-report-schedule",
    ),
    path("funding/reports/<int:pk>/", views.ReportActionView.as_view(), name="fund-report-action"),
    path("funding/reviews/", views.ReviewQueueView.as_view(), name="fund-review-queue"),
    path("funding/conflicts/", views.ConflictListView.as_view(), name="fund-conflicts"),
    path(
        "funding/conflicts/<int:pk>/withdraw/",
        views.ConflictWithdrawView.as_view(),
        name="fund-conflict-withdraw",
    ),
]
