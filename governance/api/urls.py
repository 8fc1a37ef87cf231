from . import views

routes = [
    ("articles", views.ArticlesViewSet, "articles"),
    ("article-versions", views.VersionViewSet, "article-version"),
    ("boards", views.BoardViewSet, "board"),
    ("board-members", views.BoardMemberViewSet, "board-member"),
    ("meetings", views.MeetingViewSet, "meeting"),
    ("resolutions", views.ResolutionViewSet, "resolution"),
    ("votes", views.VoteViewSet, "vote"),
]

urlpatterns: list = []
