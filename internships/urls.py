from django.urls import path

from . import views

urlpatterns = [
    path("practice-bases/", views.PracticeBaseListView.as_view(), name="practice-base-list"),
    path(
        "practice-bases/new/", views.PracticeBaseCreateView.as_view(), name="practice-base-create"
    ),
    path(
        "practice-bases/<int:pk>/",
        views.PracticeBaseDetailView.as_view(),
        name="practice-base-detail",
    ),
    path(
        "practice-bases/<int:pk>/edit/",
        views.PracticeBaseUpdateView.as_view(),
        name="practice-base-edit",
    ),
    *(
        path(
            f"practice-bases/<int:pk>/{verb}/",
            views.PracticeBaseStatusView.as_view(verb=verb),
            name=f"practice-base-{verb}",
        )
        for verb in ("activate", "suspend", "close")
    ),
    path("placements/", views.PlacementListView.as_view(), name="placement-list"),
    path("placements/new/", views.PlacementCreateView.as_view(), name="placement-create"),
    path("placements/<int:pk>/", views.PlacementDetailView.as_view(), name="placement-detail"),
    path("placements/<int:pk>/edit/", views.PlacementUpdateView.as_view(), name="placement-edit"),
    path(
        "placements/<int:pk>/publish/",
        views.PlacementPublishView.as_view(),
        name="placement-publish",
    ),
    path("placements/<int:pk>/close/", views.PlacementCloseView.as_view(), name="placement-close"),
    path(
        "placements/<int:pk>/cancel/", views.PlacementCancelView.as_view(), name="placement-cancel"
    ),
    path("secondments/", views.SecondmentListView.as_view(), name="secondment-list"),
    path("secondments/new/", views.SecondmentCreateView.as_view(), name="secondment-create"),
    path(
        "secondments/teacher-days/",
        views.TeacherDaysView.as_view(),
        name="secondment-teacher-days",
    ),
    path("secondments/<int:pk>/", views.SecondmentDetailView.as_view(), name="secondment-detail"),
    path(
        "secondments/<int:pk>/edit/", views.SecondmentUpdateView.as_view(), name="secondment-edit"
    ),
    path(
        "placements/<int:pk>/nominate/",
        views.PlacementNominateView.as_view(),
        name="placement-nominate",
    ),
    path("nominations/", views.NominationListView.as_view(), name="nomination-list"),
    path("nominations/<int:pk>/", views.NominationDetailView.as_view(), name="nomination-detail"),
    path(
        "nominations/<int:pk>/gates/", views.NominationGatesView.as_view(), name="nomination-gates"
    ),
    path(
        "nominations/<int:pk>/evaluate/<str:role>/",
        views.NominationEvaluateView.as_view(),
        name="nomination-evaluate",
    ),
    *(
        path(
            f"nominations/<int:pk>/{verb}/",
            views.NominationMoveView.as_view(verb=verb),
            name=f"nomination-{verb}",
        )
        for verb in ("shortlist", "offer", "reject", "withdraw", "decline")
    ),
    path(
        "nominations/<int:pk>/accept/",
        views.NominationAcceptView.as_view(),
        name="nomination-accept",
    ),
    path(
        "nominations/<int:pk>/start/", views.NominationStartView.as_view(), name="nomination-start"
    ),
    path(
        "nominations/<int:pk>/complete/",
        views.NominationCompleteView.as_view(),
        name="nomination-complete",
    ),
    path("students/", views.StudentListView.as_view(), name="student-list"),
    path("students/new/", views.StudentCreateView.as_view(), name="student-create"),
    path("students/import/", views.StudentImportView.as_view(), name="student-import"),
    path("students/<int:pk>/", views.StudentDetailView.as_view(), name="student-detail"),
    path("students/<int:pk>/edit/", views.StudentUpdateView.as_view(), name="student-edit"),
]
