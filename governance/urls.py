from django.urls import path

from . import views

urlpatterns = [
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
]
