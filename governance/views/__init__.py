"""The governance pages, one module per part; ``governance.urls`` names them from here."""

from .articles import (
    ArticleDeleteView,
    ArticleSaveView,
    ArticlesCreateView,
    ArticlesDetailView,
    ArticlesListView,
    VersionCreateView,
    VersionDetailView,
    VersionDiffView,
    VersionStepView,
    VersionUpdateView,
)

__all__ = [
    "ArticleDeleteView",
    "ArticleSaveView",
    "ArticlesCreateView",
    "ArticlesDetailView",
    "ArticlesListView",
    "VersionCreateView",
    "VersionDetailView",
    "VersionDiffView",
    "VersionStepView",
    "VersionUpdateView",
]
