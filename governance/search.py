"""What the global search finds in governance, among the records the user sees: articles
of association by their title or the text of their current version's articles, boards
by name, resolutions by title."""

from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from portal import search

from .models import Article, Articles, ArticleVersion, Board, Resolution, VersionStatus


def current_version_id(document_ref: OuterRef) -> Subquery:
    """The version a document is read by: the one in force, else its latest."""
    return Subquery(
        ArticleVersion.objects.filter(document_id=document_ref)
        .order_by(
            Case(When(status=VersionStatus.IN_FORCE, then=Value(0)), default=Value(1)),
            "-number",
        )
        .values("pk")[:1]
    )


def articles_matching(text: str) -> Q:
    """Articles whose title, or an article (heading or text) of whose current version,
    contains the text. The articles are matched on their own, not per document, so
    that PostgreSQL can use the trigram indexes on their heading and text (see
    ``Article.Meta.indexes``) and then keep the matches in current versions."""
    in_current_versions = (
        Article.objects.filter(Q(heading__icontains=text) | Q(text__icontains=text))
        .filter(version_id=current_version_id(OuterRef("version__document_id")))
        .values("version__document_id")
    )
    return Q(title__icontains=text) | Q(pk__in=in_current_versions)


search.register(
    label=_("Articles of association"),
    queryset=lambda user: Articles.objects.visible_to(user).select_related(
        "organization", "partnership"
    ),
    condition=articles_matching,
    describe=lambda document: document.body_name,
)
search.register(
    label=_("Boards"),
    queryset=lambda user: Board.objects.visible_to(user).select_related(
        "organization", "partnership"
    ),
    fields=("name",),
    describe=lambda board: f"{board.get_kind_display()} · {board.body_name}",
)
search.register(
    label=_("Resolutions"),
    queryset=lambda user: Resolution.objects.visible_to(user).select_related("board"),
    fields=("title",),
    describe=lambda resolution: f"{resolution.get_status_display()} · {resolution.board.name}",
)
