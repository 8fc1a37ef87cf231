from django.urls import path

from . import views

urlpatterns = [
    path("boards/", views.BoardListView.as_view(), name="board-list"),
    path("boards/new/", views.BoardCreateView.as_view(), name="board-create"),
    path("boards/<int:pk>/", views.BoardDetailView.as_view(), name="board-detail"),
    path("boards/<int:pk>/edit/", views.BoardUpdateView.as_view(), name="board-edit"),
    path(
        "boards/<int:pk>/members/new/",
        views.BoardMemberAddView.as_view(),
        name="board-member-add",
    ),
    path(
        "board-members/<int:pk>/edit/",
        views.BoardMemberUpdateView.as_view(),
        name="board-member-edit",
    ),
    path(
        "board-members/<int:pk>/leave/",
        views.BoardMemberLeaveView.as_view(),
        name="board-member-leave",
    ),
    path("articles/", views.ArticlesListView.as_view(), name="articles-list"),
    path("articles/new/", views.ArticlesCreateView.as_view(), name="articles-create"),
    path("articles/<int:pk>/", views.ArticlesDetailView.as_view(), name="articles-detail"),
    path(
        "articles/<int:pk>/new-version/",
        views.VersionCreateView.as_view(),
        name="article-version-create",
    ),
    path(
        "article-versions/<int:pk>/",
        views.VersionDetailView.as_view(),
        name="article-version-detail",
    ),
    path(
        "article-versions/<int:pk>/edit/",
        views.VersionUpdateView.as_view(),
        name="article-version-edit",
    ),
    path(
        "article-versions/<int:pk>/articles/",
        views.ArticleSaveView.as_view(),
        name="article-save",
    ),
    path(
        "article-versions/<int:pk>/articles/delete/",
        views.ArticleDeleteView.as_view(),
        name="article-delete",
    ),
    path(
        "article-versions/<int:pk>/diff/",
        views.VersionDiffView.as_view(),
        name="article-version-diff",
    ),
    *(
        path(
            f"article-versions/<int:pk>/{verb}/",
            views.VersionStepView.as_view(verb=verb),
            name=f"article-version-{verb}",
        )
        for verb in ("propose", "reopen", "withdraw")
    ),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path(
        "boards/<int:board_pk>/meetings/new/",
        views.MeetingScheduleView.as_view(),
        name="meeting-schedule",
    ),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting-edit"),
    path(
        "meetings/<int:pk>/attendance/",
        views.MeetingAttendanceView.as_view(),
        name="meeting-attendance",
    ),
    path("meetings/<int:pk>/minutes/", views.MeetingMinutesView.as_view(), name="meeting-minutes"),
    *(
        path(
            f"meetings/<int:pk>/{verb}/",
            views.MeetingStepView.as_view(verb=verb),
            name=f"meeting-{verb}",
        )
        for verb in ("hold", "cancel", "approve-minutes")
    ),
    path("resolutions/", views.ResolutionListView.as_view(), name="resolution-list"),
    path(
        "boards/<int:board_pk>/resolutions/new/",
        views.ResolutionCreateView.as_view(),
        name="resolution-create",
    ),
    path("resolutions/<int:pk>/", views.ResolutionDetailView.as_view(), name="resolution-detail"),
    path(
        "resolutions/<int:pk>/edit/",
        views.ResolutionUpdateView.as_view(),
        name="resolution-edit",
    ),
    path("resolutions/<int:pk>/vote/", views.VoteCastView.as_view(), name="resolution-vote"),
    path(
        "resolutions/<int:pk>/votes.csv",
        views.ResolutionVotesCsvView.as_view(),
        name="resolution-votes-csv",
    ),
    *(
        path(
            f"resolutions/<int:pk>/{verb}/",
            views.ResolutionStepView.as_view(verb=verb),
            name=f"resolution-{verb}",
        )
        for verb in ("open-voting", "close-voting", "withdraw")
    ),
]
